#include "nn/packed_conv.h"

#include <algorithm>
#include <string>

#include "base/error.h"
#include "nn/cpu_dispatch.h"
#include "nn/vector_clones.h"

namespace qc {
namespace {

// dst[x][o] = scale * (alpha[0][o] acc_0 + alpha[1][o] acc_1 + ...) + bias[o]
// with acc_k = 2 * selected[x][k][o] - sum_q[x], in exactly that order, for
// every pixel x of a row. One call per row, and the bases summed in a
// register (kBases known, so that loop unrolls and the one over o
// vectorises; 0 = `bases` at run time).
template <int kBases>
[[gnu::always_inline]] inline void epilogue_pixels(const int32_t* selected, int stride, const int32_t* sum_q,
                                                   int pixels, const float* alpha, const float* bias, int out,
                                                   int bases, float scale, float* dst) {
  const int n = kBases ? kBases : bases;
  for (int x = 0; x < pixels; ++x, selected += stride, dst += out) {
    const int32_t s = sum_q[x];
    for (int o = 0; o < out; ++o) {
      float v = alpha[o] * static_cast<float>(2 * selected[o] - s);
      for (int k = 1; k < n; ++k)
        v = v + alpha[k * out + o] * static_cast<float>(2 * selected[k * out + o] - s);
      dst[o] = scale * v + bias[o];
    }
  }
}

QC_VECTOR_CLONES void epilogue(const int32_t* selected, int stride, const int32_t* sum_q, int pixels,
                               const float* alpha, const float* bias, int out, int bases, float scale,
                               float* dst) {
  switch (bases) {
    case 1:
      return epilogue_pixels<1>(selected, stride, sum_q, pixels, alpha, bias, out, bases, scale, dst);
    case 2:
      return epilogue_pixels<2>(selected, stride, sum_q, pixels, alpha, bias, out, bases, scale, dst);
    case 3:
      return epilogue_pixels<3>(selected, stride, sum_q, pixels, alpha, bias, out, bases, scale, dst);
    case 4:
      return epilogue_pixels<4>(selected, stride, sum_q, pixels, alpha, bias, out, bases, scale, dst);
    case 5:
      return epilogue_pixels<5>(selected, stride, sum_q, pixels, alpha, bias, out, bases, scale, dst);
    case 8:  // the first and last convs (--edge-bases 8)
      return epilogue_pixels<8>(selected, stride, sum_q, pixels, alpha, bias, out, bases, scale, dst);
    default:
      return epilogue_pixels<0>(selected, stride, sum_q, pixels, alpha, bias, out, bases, scale, dst);
  }
}

}  // namespace

PackedConv::PackedConv(const LayerSpec& spec, const QuantLayer& layer, FloatWeights float_weights)
    : in_channels_(spec.in_channels),
      out_channels_(spec.out_channels),
      kernel_(spec.kernel),
      stride_(spec.stride),
      bases_(layer.bases),
      blocks_((layer.bases * spec.out_channels + 15) / 16),
      groups_((spec.in_channels + 3) / 4),
      input_scale_(layer.input_scale),
      alpha_(layer.alpha),
      bias_(layer.bias) {
  const int taps = kernel_ * kernel_;
  const size_t words = row_words(in_channels_, kernel_);
  if (layer.bits.size() != static_cast<size_t>(bases_) * out_channels_ * words ||
      alpha_.size() != static_cast<size_t>(bases_) * out_channels_)
    throw Error("layer " + spec.name + ": weights do not match its shape");
  if (bias_.empty()) bias_.assign(out_channels_, 0.0f);
  // Pick the kernels here, on the caller's thread: a bad QC_ISA must reach
  // the caller as an error, not end the process from inside a worker.
  kernels();

  masks_.assign(static_cast<size_t>(blocks_) * taps * groups_, 0);
  const bool keep_float = float_weights == FloatWeights::kKeep;
  if (keep_float) float_weights_.assign(static_cast<size_t>(taps) * in_channels_ * out_channels_, 0.0f);
  for (int row = 0; row < bases_ * out_channels_; ++row) {
    const uint64_t* bits = layer.bits.data() + row * words;
    const int k = row / out_channels_, o = row % out_channels_;
    uint64_t* block = masks_.data() + static_cast<size_t>(row / 16) * taps * groups_;
    for (int i = 0; i < in_channels_; ++i) {
      const int shift = 4 * (row % 16) + i % 4;
      for (int t = 0; t < taps; ++t) {
        const size_t index = static_cast<size_t>(i) * taps + t;  // OIHW: [in][ky][kx]
        const uint64_t plus = (bits[index / 64] >> (index % 64)) & 1;
        block[t * groups_ + i / 4] |= plus << shift;  // branch-free: the bits are random
        if (!keep_float) continue;
        float& w = float_weights_[(static_cast<size_t>(t) * in_channels_ + i) * out_channels_ + o];
        w = w + alpha_[static_cast<size_t>(k) * out_channels_ + o] * (plus ? 1.0f : -1.0f);
      }
    }
  }
  // Expanded whenever the CPU has AMX, whichever path is active now, so
  // that force_isa() can switch to it later.
  if (cpu_supports(Isa::kAmx)) {
    amx_weights_.resize(amx_weight_bytes(blocks_, kernel_, groups_));
    expand_amx_weights(masks_.data(), blocks_, kernel_, groups_, amx_weights_.data());
  }
}

template <class T>
void PackedConv::check_input(const PaddedTensor<T>& in, int x0, int x1) const {
  if (in.channels != in_channels_ || in.border < pad())
    throw Error("conv input has " + std::to_string(in.channels) + " channels and border " +
                std::to_string(in.border) + ", the layer needs " + std::to_string(in_channels_) + " and " +
                std::to_string(pad()));
  if (x0 < 0 || x0 > x1 || x1 > out_size(in.width)) throw Error("conv: pixel span outside the row");
}

void PackedConv::count_span(const QuantizedTensor& in, int y, int x0, int x1,
                            KernelScratch& scratch) const {
  check_input(in, x0, x1);
  const int pixels = x1 - x0;
  // The kernel's counts, then (run_span) each output pixel's sum of its inputs.
  scratch.resize(static_cast<size_t>(pixels) * (blocks_ * 16 + 1));
  BinaryRowArgs args;
  args.in = in.at(y * stride_ - pad(), x0 * stride_ - pad());
  args.row_stride = in.row_stride();
  args.pixel_step = stride_ * in.padded_channels;
  args.kernel = kernel_;
  args.groups = groups_;
  args.pixels = pixels;
  args.blocks = blocks_;
  args.masks = masks_.data();
  args.out = scratch.data();
  args.amx_weights = amx_weights_.data();
  kernels().row(args);
}

void PackedConv::run_span(const QuantizedTensor& in, int y, int x0, int x1, float* out,
                          KernelScratch& scratch) const {
  count_span(in, y, x0, x1, scratch);
  const int pixels = x1 - x0;
  const int rows = blocks_ * 16;
  const int top = y * stride_ - pad();
  int32_t* sum_q = scratch.data() + static_cast<size_t>(pixels) * rows;
  std::fill_n(sum_q, pixels, 0);
  for (int ky = 0; ky < kernel_; ++ky) {
    const int32_t* sums = in.pixel_sums.data() + in.pixel_index(top + ky, x0 * stride_ - pad());
    for (int x = 0; x < pixels; ++x)
      for (int kx = 0; kx < kernel_; ++kx) sum_q[x] += sums[x * stride_ + kx];
  }
  epilogue(scratch.data(), rows, sum_q, pixels, alpha_.data(), bias_.data(), out_channels_, bases_,
           input_scale_, out);
}

void PackedConv::run_span(const FloatTensor& in, int y, int x0, int x1, float* out,
                          KernelScratch&) const {
  check_input(in, x0, x1);
  if (float_weights_.empty()) throw Error("conv: built for int8 activations only (no float weights)");
  const int top = y * stride_ - pad();
  for (int x = x0; x < x1; ++x) {
    float* dst = out + static_cast<size_t>(x - x0) * out_channels_;
    for (int o = 0; o < out_channels_; ++o) dst[o] = bias_[o];
    for (int ky = 0; ky < kernel_; ++ky)
      for (int kx = 0; kx < kernel_; ++kx) {
        const float* src = in.at(top + ky, x * stride_ - pad() + kx);
        const float* w =
            float_weights_.data() + static_cast<size_t>(ky * kernel_ + kx) * in_channels_ * out_channels_;
        for (int i = 0; i < in_channels_; ++i, w += out_channels_)
          for (int o = 0; o < out_channels_; ++o) dst[o] = dst[o] + src[i] * w[o];
      }
  }
}

}  // namespace qc
