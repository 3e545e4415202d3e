// The packed runtime against LibTorch float on the same dequantized weights:
// single convs on every ISA path, and the whole recurrent network.
// Tolerances (absolute, on outputs of order 1): single convs 2e-5; the
// network's reconstruction after 4 iterations 1e-4 (measured ~1e-6: float
// mode differs from oneDNN only by summation order and the gate
// approximations; int8 mode is compared with fake-quantized torch activations
// on the same integer grid), and >= 99% of the code bits equal.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <random>

#include "nn/activation_tensor.h"
#include "nn/cpu_dispatch.h"
#include "nn/packed_conv.h"
#include "nn/random_model.h"
#include "nn/runtime_graph.h"
#include "tests/nn/small_network.h"
#include "train/torch_reference.h"

namespace qc {
namespace {

torch::Tensor to_tensor(const std::vector<float>& v, int64_t c, int64_t h, int64_t w) {
  return torch::from_blob(const_cast<float*>(v.data()), {1, c, h, w}).clone();
}

template <class T>
torch::Tensor run_packed(const PackedConv& conv, const torch::Tensor& x) {
  const int c = static_cast<int>(x.size(1)), h = static_cast<int>(x.size(2)), w = static_cast<int>(x.size(3));
  PaddedTensor<T> in;
  in.reset(h, w, c, conv.pad());
  torch::Tensor nhwc = x[0].permute({1, 2, 0}).contiguous();
  const float* src = nhwc.data_ptr<float>();
  for (int y = 0; y < h; ++y)
    for (int i = 0; i < w; ++i)
      in.store(y, i, src + (static_cast<size_t>(y) * w + i) * c, 1, conv.input_scale());
  const int oh = conv.out_size(h), ow = conv.out_size(w);
  torch::Tensor out = torch::empty({oh, ow, conv.out_channels()});
  KernelScratch scratch;
  for (int y = 0; y < oh; ++y) conv.run_row(in, y, out[y].data_ptr<float>(), scratch);
  return out.permute({2, 0, 1}).unsqueeze(0);
}

struct Shape {
  int in, out, kernel, stride, bases, height, width;
};

TEST(TorchConv, EveryIsaMatchesConv2d) {
  const Shape shapes[] = {{3, 32, 3, 2, 1, 33, 21},
                          {32, 192, 3, 2, 2, 15, 17},
                          {16, 96, 3, 1, 1, 11, 9},
                          {128, 32, 1, 1, 3, 4, 5},
                          {8, 3, 1, 1, 1, 19, 13}};
  torch::manual_seed(1);
  uint64_t seed = 100;
  for (Isa isa : supported_isas()) {
    force_isa(isa);
    for (const Shape& s : shapes) {
      LayerSpec spec{"conv", LayerRole::kConv, s.in, s.out, s.kernel, s.stride, true};
      QuantLayer layer = random_quant_layer(spec, s.bases, ++seed);
      PackedConv conv(spec, layer);
      torch::Tensor x = torch::rand({1, s.in, s.height, s.width}) * 2 - 1;
      torch::Tensor w = dequantized_weight(spec, layer);
      torch::Tensor b = torch::from_blob(layer.bias.data(), {s.out}).clone();
      torch::Tensor want_float = torch::conv2d(x, w, b, s.stride, s.kernel / 2);
      torch::Tensor want_int8 =
          torch::conv2d(fake_quantize(x, layer.input_scale), w, b, s.stride, s.kernel / 2);
      torch::Tensor got_float = run_packed<float>(conv, x), got_int8 = run_packed<int8_t>(conv, x);
      ASSERT_EQ(got_int8.sizes(), want_int8.sizes());
      EXPECT_LT((got_float - want_float).abs().max().item<float>(), 2e-5) << isa_name(isa) << " in " << s.in;
      EXPECT_LT((got_int8 - want_int8).abs().max().item<float>(), 2e-5) << isa_name(isa) << " in " << s.in;
      // Activation quantization itself costs more than that: the test can tell.
      EXPECT_GT((got_int8 - want_float).abs().max().item<float>(), 1e-4);
    }
  }
  force_isa(supported_isas().back());
}

struct NetworkDiff {
  double bit_agreement, max_diff;
};

NetworkDiff compare_network(const QcmModel& model, ActivationMode mode, bool quantized_reference,
                            int iterations) {
  const int height = 48, width = 64;
  RuntimeNetwork net(model, {2, mode});
  EncoderState enc(net, height, width);
  DecoderState dec(net, height, width);
  TorchReference ref(model, quantized_reference);
  std::vector<float> x = test_image(height, width, 3);
  torch::Tensor xt = to_tensor(x, 3, height, width);
  std::vector<float> x_hat(x.size(), 0.0f), residual(x.size());
  torch::Tensor x_hat_t = torch::zeros_like(xt);
  const int codes = model.config.code_channels, ch = height / 16, cw = width / 16;
  std::vector<int8_t> bits(static_cast<size_t>(codes) * ch * cw);
  size_t agree = 0, total = 0;
  double max_diff = 0;
  for (int it = 0; it < iterations; ++it) {
    for (size_t i = 0; i < x.size(); ++i) residual[i] = x[i] - x_hat[i];
    enc.step(residual.data(), bits.data());
    torch::Tensor bits_t = ref.encode_step(xt - x_hat_t).flatten();
    for (size_t i = 0; i < bits.size(); ++i) agree += bits[i] == bits_t[i].item<float>();
    total += bits.size();
    // Both decoders get the runtime's bits (masked on odd iterations), so a
    // rare sign flip in the encoder does not fork the comparison.
    if (it % 2)
      for (size_t i = 0; i < bits.size(); i += 3) bits[i] = 0;
    std::vector<float> bits_f(bits.begin(), bits.end());
    dec.step(bits.data(), x_hat.data());
    x_hat_t = x_hat_t + ref.decode_step(to_tensor(bits_f, codes, ch, cw));
    max_diff = std::max(max_diff, (to_tensor(x_hat, 3, height, width) - x_hat_t).abs().max().item<double>());
  }
  return {static_cast<double>(agree) / total, max_diff};
}

TEST(TorchNetwork, RuntimeMatchesTheTorchReference) {
  torch::set_num_threads(1);
  for (CellType cell : {CellType::kGru, CellType::kLstm}) {
    QcmModel model = random_qcm_model(small_config(cell, 1), 2, cell == CellType::kGru ? 31 : 32);
    NetworkDiff f = compare_network(model, ActivationMode::kFloat, false, 4);
    NetworkDiff q = compare_network(model, ActivationMode::kInt8, true, 4);
    NetworkDiff cost = compare_network(model, ActivationMode::kInt8, false, 4);
    std::printf(
        "%s: float mode vs torch: bits %.4f max|dx| %.2e; int8 vs fake-quant torch: bits %.4f "
        "max|dx| %.2e; int8 vs float torch: bits %.4f max|dx| %.2e\n",
        cell == CellType::kGru ? "gru" : "lstm", f.bit_agreement, f.max_diff, q.bit_agreement, q.max_diff,
        cost.bit_agreement, cost.max_diff);
    EXPECT_GE(f.bit_agreement, 0.99);
    EXPECT_LT(f.max_diff, 1e-4);
    EXPECT_GE(q.bit_agreement, 0.99);
    EXPECT_LT(q.max_diff, 1e-4);
  }
}

}  // namespace
}  // namespace qc
