#include "train/torch_reference.h"

#include "base/error.h"
#include "nn/architecture.h"

namespace qc {

torch::Tensor dequantized_weight(const LayerSpec& spec, const QuantLayer& layer) {
  const int64_t row_len = int64_t{spec.in_channels} * spec.kernel * spec.kernel;
  const size_t words = row_words(spec.in_channels, spec.kernel);
  torch::Tensor w = torch::zeros({spec.out_channels, row_len});
  auto a = w.accessor<float, 2>();
  for (int k = 0; k < layer.bases; ++k)
    for (int o = 0; o < spec.out_channels; ++o) {
      const uint64_t* bits = layer.bits.data() + (static_cast<size_t>(k) * spec.out_channels + o) * words;
      const float alpha = layer.alpha[static_cast<size_t>(k) * spec.out_channels + o];
      for (int64_t i = 0; i < row_len; ++i) a[o][i] += (bits[i / 64] >> (i % 64)) & 1 ? alpha : -alpha;
    }
  return w.reshape({spec.out_channels, spec.in_channels, spec.kernel, spec.kernel});
}

torch::Tensor fake_quantize(const torch::Tensor& x, float scale) {
  torch::Tensor v = (x / scale).clamp(-127, 127);
  torch::Tensor t = v.trunc();
  torch::Tensor frac = v - t;
  return (t + (frac >= 0.5).to(torch::kFloat) - (frac <= -0.5).to(torch::kFloat)) * scale;
}

TorchReference::TorchReference(const QcmModel& model, bool quantize_activations)
    : config_(model.config), quantize_(quantize_activations), encoder_(3), decoder_(4) {
  std::vector<LayerSpec> specs = layers(config_);
  if (specs.size() != model.layers.size()) throw Error("torch reference: model does not match its config");
  for (size_t i = 0; i < specs.size(); ++i) {
    const QuantLayer& l = model.layers[i];
    torch::Tensor bias = l.bias.empty() ? torch::Tensor()
                                        : torch::from_blob(const_cast<float*>(l.bias.data()),
                                                           {static_cast<int64_t>(l.bias.size())})
                                              .clone();
    layers_[specs[i].name] = Layer{specs[i], dequantized_weight(specs[i], l), bias, l.input_scale};
  }
}

torch::Tensor TorchReference::conv(const std::string& name, const torch::Tensor& x) const {
  const Layer& l = layers_.at(name);
  torch::Tensor in = quantize_ ? fake_quantize(x, l.input_scale) : x;
  return torch::conv2d(in, l.weight, l.bias, l.spec.stride, l.spec.kernel / 2);
}

torch::Tensor TorchReference::cell(const std::string& name, const torch::Tensor& x, State& s) const {
  torch::Tensor gi = conv(name + ".input", x);
  const int64_t hidden = gi.size(1) / config_.gates();
  if (!s.h.defined()) {
    s.h = torch::zeros({1, hidden, gi.size(2), gi.size(3)});
    s.c = torch::zeros_like(s.h);
  }
  torch::Tensor gh = conv(name + ".hidden", s.h);
  if (config_.cell == CellType::kGru) {
    std::vector<torch::Tensor> i = gi.chunk(3, 1), h = gh.chunk(3, 1);
    torch::Tensor r = torch::sigmoid(i[0] + h[0]);
    torch::Tensor z = torch::sigmoid(i[1] + h[1]);
    torch::Tensor n = torch::tanh(i[2] + r * h[2]);
    s.h = (1 - z) * n + z * s.h;
  } else {
    std::vector<torch::Tensor> g = (gi + gh).chunk(4, 1);
    s.c = torch::sigmoid(g[1]) * s.c + torch::sigmoid(g[0]) * torch::tanh(g[2]);
    s.h = torch::sigmoid(g[3]) * torch::tanh(s.c);
  }
  return s.h;
}

torch::Tensor TorchReference::encode_step(const torch::Tensor& residual) {
  torch::Tensor x = conv("enc.conv", residual);
  for (int k = 0; k < 3; ++k) x = cell(enc_cell_name(k), x, encoder_[k]);
  torch::Tensor t = torch::tanh(conv("binarizer", x));
  return torch::where(t >= 0, torch::ones_like(t), -torch::ones_like(t));
}

torch::Tensor TorchReference::decode_step(const torch::Tensor& bits) {
  torch::Tensor d0 = conv("dec.conv", bits);
  torch::Tensor d;
  const int runs = decoded_++ == 0 ? config_.priming + 1 : 1;
  for (int run = 0; run < runs; ++run) {
    d = d0;
    for (int k = 0; k < 4; ++k) d = torch::pixel_shuffle(cell(dec_cell_name(k), d, decoder_[k]), 2);
  }
  return conv("dec.out", d);
}

}  // namespace qc
