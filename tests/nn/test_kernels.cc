// Every ISA path of the binary conv against a naive reference written from
// the .qcm contract (OIHW sign bits, NCHW input, zero padding): bit-exact.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "nn/activation_tensor.h"
#include "nn/cpu_dispatch.h"
#include "nn/gates.h"
#include "nn/packed_conv.h"
#include "nn/random_model.h"
#include "nn/thread_pool.h"

namespace qc {
namespace {

struct Shape {
  int in, out, kernel, stride, bases, height, width;
};

// The int8 semantics spelled out: q = quantize(x), acc_k = sum q * (+-1),
// out = scale * sum_k alpha_k acc_k + bias, with PackedConv's float order.
std::vector<float> reference_conv(const LayerSpec& spec, const QuantLayer& layer, const std::vector<float>& x,
                                  int h, int w) {
  const int pad = spec.kernel / 2;
  const int oh = (h + 2 * pad - spec.kernel) / spec.stride + 1;
  const int ow = (w + 2 * pad - spec.kernel) / spec.stride + 1;
  const size_t words = row_words(spec.in_channels, spec.kernel);
  std::vector<float> out(static_cast<size_t>(spec.out_channels) * oh * ow);
  for (int o = 0; o < spec.out_channels; ++o)
    for (int y = 0; y < oh; ++y)
      for (int xx = 0; xx < ow; ++xx) {
        float v = 0;
        for (int k = 0; k < layer.bases; ++k) {
          const int row = k * spec.out_channels + o;
          int32_t acc = 0;
          for (int i = 0; i < spec.in_channels; ++i)
            for (int ky = 0; ky < spec.kernel; ++ky)
              for (int kx = 0; kx < spec.kernel; ++kx) {
                const int sy = y * spec.stride - pad + ky, sx = xx * spec.stride - pad + kx;
                if (sy < 0 || sx < 0 || sy >= h || sx >= w) continue;
                const int q =
                    quantize_activation(x[(static_cast<size_t>(i) * h + sy) * w + sx], layer.input_scale);
                const size_t bit = (static_cast<size_t>(i) * spec.kernel + ky) * spec.kernel + kx;
                acc += (layer.bits[row * words + bit / 64] >> (bit % 64)) & 1 ? q : -q;
              }
          const float term = layer.alpha[row] * static_cast<float>(acc);
          v = k == 0 ? term : v + term;
        }
        out[(static_cast<size_t>(o) * oh + y) * ow + xx] =
            layer.input_scale * v + (layer.bias.empty() ? 0.0f : layer.bias[o]);
      }
  return out;
}

// Runs PackedConv on NCHW input, each row whole or in three spans (one of
// a single pixel); returns NCHW output.
template <class T>
std::vector<float> packed_conv(const PackedConv& conv, const std::vector<float>& x, int h, int w, int border,
                               bool in_spans = false) {
  PaddedTensor<T> in;
  in.reset(h, w, conv.in_channels(), border);
  const size_t plane = static_cast<size_t>(h) * w;
  for (int y = 0; y < h; ++y)
    for (int xx = 0; xx < w; ++xx)
      in.store(y, xx, &x[static_cast<size_t>(y) * w + xx], static_cast<int>(plane), conv.input_scale());
  const int oh = conv.out_size(h), ow = conv.out_size(w), oc = conv.out_channels();
  std::vector<float> row(static_cast<size_t>(ow) * oc), out(static_cast<size_t>(oc) * oh * ow);
  KernelScratch scratch;
  const int cut = ow / 3, cuts[] = {0, cut, std::min(cut + 1, ow), ow};
  for (int y = 0; y < oh; ++y) {
    if (!in_spans) conv.run_row(in, y, row.data(), scratch);
    for (int k = 0; in_spans && k < 3; ++k) {
      if (cuts[k] < cuts[k + 1])
        conv.run_span(in, y, cuts[k], cuts[k + 1], row.data() + cuts[k] * oc, scratch);
    }
    for (int xx = 0; xx < ow; ++xx)
      for (int o = 0; o < oc; ++o) out[(static_cast<size_t>(o) * oh + y) * ow + xx] = row[xx * oc + o];
  }
  return out;
}

std::vector<float> random_input(size_t n, uint64_t seed, float range) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-range, range);
  std::vector<float> v(n);
  for (float& f : v) f = u(rng);
  return v;
}

const Shape kShapes[] = {
    {3, 32, 3, 2, 1, 17, 23},  // first layer, odd sizes
    {5, 20, 3, 1, 2, 9, 31},   // channels not a multiple of 4, two bases
    {64, 48, 1, 1, 3, 5, 7},   // 1x1, three bases: 144 rows = 9 blocks
    {13, 7, 3, 2, 1, 1, 1},    // a single pixel
    {8, 96, 3, 1, 1, 13, 29},  // every pixel-tile tail
    {128, 384, 3, 2, 1, 6, 26},
    {16, 24, 3, 1, 4, 7, 11},  // four bases
    {16, 24, 3, 1, 5, 7, 11},  // five bases: the last unrolled epilogue
    {16, 24, 3, 1, 6, 7, 11},  // six bases: the epilogue's general case
    {3, 32, 3, 2, 8, 9, 13},   // eight bases: the first and last convs' unrolled epilogue
    {32, 3, 3, 1, 8, 5, 9},    // eight bases, three outputs (dec.out)
    // Shapes for the AMX path's tiles of 16 and 32 pixels and its chunks of 64
    // input bytes per kernel row:
    {32, 40, 3, 1, 2, 5, 70},   // 2 chunks (96 bytes), 5 blocks, pixel tiles of 32 and 16, 6 left
    {20, 24, 3, 2, 1, 4, 75},   // stride 2: 38 output pixels, one 60-byte chunk
    {100, 16, 1, 1, 1, 3, 48},  // 1x1, 2 chunks, 3 tiles of 16 pixels
    {24, 16, 3, 1, 1, 4, 32},   // the last tile ends the tensor: its reads run past the last pixel
};

class KernelTest : public testing::TestWithParam<Isa> {
 protected:
  void SetUp() override {
    if (!cpu_supports(GetParam())) GTEST_SKIP() << isa_name(GetParam()) << ": not on this CPU";
    force_isa(GetParam());
  }
  void TearDown() override { force_isa(supported_isas().back()); }
};

TEST_P(KernelTest, BinaryConvIsBitExact) {
  uint64_t seed = 1;
  for (const Shape& s : kShapes) {
    LayerSpec spec{"layer", LayerRole::kConv, s.in, s.out, s.kernel, s.stride, true};
    QuantLayer layer = random_quant_layer(spec, s.bases, ++seed);
    layer.input_scale = 0.9f / 127;  // some inputs clamp
    PackedConv conv(spec, layer);
    std::vector<float> x = random_input(static_cast<size_t>(s.in) * s.height * s.width, ++seed, 1.0f);
    std::vector<float> expected = reference_conv(spec, layer, x, s.height, s.width);
    // A wider border than needed, or a row computed in spans, must not
    // change anything.
    for (int border : {s.kernel / 2, 2}) {
      std::vector<float> got = packed_conv<int8_t>(conv, x, s.height, s.width, border, border == 2);
      ASSERT_EQ(got.size(), expected.size());
      for (size_t i = 0; i < got.size(); ++i)
        ASSERT_EQ(got[i], expected[i]) << isa_name(GetParam()) << " in " << s.in << " out " << s.out << " k"
                                       << s.kernel << " s" << s.stride << " at " << i;
    }
  }
}

TEST_P(KernelTest, QuantizeGivesTheScalarDefinitionsBytes) {
  std::vector<float> x = random_input(1000, 7, 300.0f);  // many clamp
  const float halves[] = {0.5f,    -0.5f,  1.5f,    -1.5f,       126.5f,
                          -126.5f, 127.5f, -127.5f, 0.49999997f, -0.49999997f};
  x.insert(x.end(), std::begin(halves), std::end(halves));
  x.insert(x.end(), {std::nanf(""), -std::nanf(""), INFINITY, -INFINITY, 0.0f, -0.0f, 1e-30f});  // odd tail
  std::vector<int8_t> got(x.size());
  for (float scale : {1.0f, 0.37f, 2.0f / 127}) {
    kernels().quantize(x.data(), static_cast<int>(x.size()), scale, got.data());
    for (size_t i = 0; i < x.size(); ++i)
      ASSERT_EQ(got[i], quantize_activation(x[i], scale))
          << isa_name(GetParam()) << " x " << x[i] << " scale " << scale;
  }
}

INSTANTIATE_TEST_SUITE_P(AllIsas, KernelTest, testing::ValuesIn(kAllIsas),
                         [](const testing::TestParamInfo<Isa>& info) { return isa_name(info.param); });

TEST(Dispatch, ScalarIsAlwaysSupportedAndForcingWorks) {
  std::vector<Isa> isas = supported_isas();
  ASSERT_FALSE(isas.empty());
  EXPECT_EQ(isas.front(), Isa::kScalar);
  for (Isa isa : isas) {
    force_isa(isa);
    EXPECT_EQ(active_isa(), isa);
  }
}

TEST(FloatConv, MatchesTheDequantizedWeights) {
  LayerSpec spec{"layer", LayerRole::kConv, 6, 10, 3, 2, true};
  QuantLayer layer = random_quant_layer(spec, 2, 11);
  PackedConv conv(spec, layer);
  std::vector<float> x = random_input(6 * 7 * 9, 12, 2.0f);
  std::vector<float> got = packed_conv<float>(conv, x, 7, 9, 1);
  const size_t words = row_words(6, 3);
  for (int o = 0; o < 10; ++o)
    for (int y = 0; y < 4; ++y)
      for (int xx = 0; xx < 5; ++xx) {
        double sum = layer.bias[o];
        for (int i = 0; i < 6; ++i)
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
              int sy = 2 * y - 1 + ky, sx = 2 * xx - 1 + kx;
              if (sy < 0 || sx < 0 || sy >= 7 || sx >= 9) continue;
              size_t bit = (i * 3 + ky) * 3 + kx;
              double w = 0;
              for (int k = 0; k < 2; ++k)
                w += layer.alpha[k * 10 + o] *
                     ((layer.bits[(k * 10 + o) * words + bit / 64] >> (bit % 64)) & 1 ? 1 : -1);
              sum += w * x[(i * 7 + sy) * 9 + sx];
            }
        EXPECT_NEAR(got[(o * 4 + y) * 5 + xx], sum, 1e-5);
      }
  EXPECT_EQ(packed_conv<float>(conv, x, 7, 9, 1, /*in_spans=*/true), got);
}

TEST(Quantize, RoundsHalfAwayFromZeroAndClamps) {
  EXPECT_EQ(quantize_activation(0.5f, 1.0f), 1);
  EXPECT_EQ(quantize_activation(-0.5f, 1.0f), -1);
  EXPECT_EQ(quantize_activation(0.49999997f, 1.0f), 0);
  EXPECT_EQ(quantize_activation(2.5f, 1.0f), 3);
  EXPECT_EQ(quantize_activation(-126.5f, 1.0f), -127);
  EXPECT_EQ(quantize_activation(1e30f, 1.0f), 127);
  EXPECT_EQ(quantize_activation(-1e30f, 1.0f), -127);
  EXPECT_EQ(quantize_activation(std::nanf(""), 1.0f), -127);
  EXPECT_EQ(quantize_activation(0.3f, 0.1f), 3);
}

TEST(Gates, ApproximationsAreAccurate) {
  double worst_exp = 0, worst_sig = 0, worst_tanh = 0;
  for (float x = -20.0f; x <= 20.0f; x += 0.001953125f) {
    worst_exp = std::max(worst_exp, std::abs(exp_approx(x) / std::exp(double(x)) - 1));
    worst_sig = std::max(worst_sig, std::abs(sigmoid(x) - 1 / (1 + std::exp(-double(x)))));
    worst_tanh = std::max(worst_tanh, std::abs(tanh_approx(x) - std::tanh(double(x))));
  }
  EXPECT_LT(worst_exp, 5e-7);
  EXPECT_LT(worst_sig, 3e-7);
  EXPECT_LT(worst_tanh, 5e-7);
  EXPECT_EQ(exp_approx(1000.0f), exp_approx(88.0f));
  EXPECT_GT(exp_approx(-1000.0f), 0.0f);
  EXPECT_EQ(tanh_approx(50.0f), 1.0f);
  EXPECT_EQ(tanh_approx(-50.0f), -1.0f);
}

TEST(Gates, GruAndLstmFollowTheirEquations) {
  const float gi[4] = {0.3f, -0.2f, 0.5f, 0.1f}, gh[4] = {-0.1f, 0.4f, 0.2f, -0.3f};
  float h = 0.25f;
  gru_update(gi, gh, &h, 1, 1);
  double r = 1 / (1 + std::exp(-0.2)), z = 1 / (1 + std::exp(-0.2));
  double n = std::tanh(0.5 + r * 0.2);
  EXPECT_NEAR(h, (1 - z) * n + z * 0.25, 1e-6);
  float hl = 0.0f, c = 0.5f;
  lstm_update(gi, gh, &hl, &c, 1, 1);
  double i = 1 / (1 + std::exp(-0.2)), f = 1 / (1 + std::exp(-0.2)), g = std::tanh(0.7),
         o = 1 / (1 + std::exp(0.2));
  double cn = f * 0.5 + i * g;
  EXPECT_NEAR(c, cn, 1e-6);
  EXPECT_NEAR(hl, o * std::tanh(cn), 1e-6);
}

TEST(ThreadPool, RunsEveryItemOnce) {
  for (int threads : {1, 2, 5}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (int round = 0; round < 20; ++round) {
      std::vector<int> hits(97, 0);
      pool.parallel_for(97, [&](int worker, int i) {
        EXPECT_LT(worker, threads);
        ++hits[i];
      });
      for (int h : hits) ASSERT_EQ(h, 1);
    }
  }
}

// The kernels' buffers start on a cache line (a 64-byte tile row in a
// buffer 16 bytes past one spans two lines: 1.8x the AMX kernel time),
// whatever their size and whatever malloc did before.
TEST(CacheLineVector, BuffersStartOnACacheLine) {
  std::vector<CacheLineVector<int8_t>> keep;
  for (size_t n : {1, 17, 1000, 100000, 3000000}) {
    std::vector<char> unaligned_filler(n % 48 + 1);
    keep.emplace_back(n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(keep.back().data()) % 64, 0u) << n;
    KernelScratch counts(n);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(counts.data()) % 64, 0u) << n;
  }
  QuantizedTensor tensor;
  tensor.reset(37, 53, 20, 1);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(tensor.data.data()) % 64, 0u);
}

}  // namespace
}  // namespace qc
