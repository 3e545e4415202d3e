#include "train/train_model.h"

#include <algorithm>

#include "base/error.h"

namespace qc {

size_t layer_index(const std::vector<LayerSpec>& specs, const std::string& name) {
  for (size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].name == name) return i;
  }
  throw Error("no layer named " + name);
}

CodecNetImpl::CodecNetImpl(const ArchConfig& config) : config_(config), specs_(layers(config)) {
  config_.validate();
  quantizer_ = register_module("quantizer", WeightQuantizer());
  for (size_t i = 0; i < specs_.size(); ++i) {
    const LayerSpec& s = specs_[i];
    std::string key = s.name;  // torch forbids '.' in parameter names
    std::replace(key.begin(), key.end(), '.', '_');
    auto w = torch::empty({s.out_channels, s.in_channels, s.kernel, s.kernel});
    torch::nn::init::kaiming_uniform_(w, std::sqrt(5.0));  // torch's Conv2d default
    weights_.push_back(register_parameter(key + "_weight", w));
    if (s.bias) {
      double bound = 1.0 / std::sqrt(double(s.in_channels) * s.kernel * s.kernel);
      biases_.push_back(
          register_parameter(key + "_bias", torch::empty({s.out_channels}).uniform_(-bound, bound)));
    } else {
      biases_.emplace_back();
    }
    layer_bases_.push_back(1);
  }
  enc_conv_ = layer_index(specs_, "enc.conv");
  dec_out_ = layer_index(specs_, "dec.out");
  {
    // Each iteration's output is added to the reconstruction: start it small
    // (and unbiased) so the first steps do not fight a drifting sum.
    torch::NoGradGuard no_grad;
    weights_[dec_out_].mul_(0.1);
    biases_[dec_out_].zero_();
  }
  binarizer_ = layer_index(specs_, "binarizer");
  dec_conv_ = layer_index(specs_, "dec.conv");
  auto cell_layers = [&](const std::string& name) {
    return CellLayers{layer_index(specs_, name + ".input"), layer_index(specs_, name + ".hidden")};
  };
  for (int k = 0; k < 3; ++k) enc_cells_.push_back(cell_layers(enc_cell_name(k)));
  for (int k = 0; k < 4; ++k) dec_cells_.push_back(cell_layers(dec_cell_name(k)));
}

void CodecNetImpl::replace_config(ArchConfig config) {
  config.validate();
  config_ = std::move(config);
}

void CodecNetImpl::set_residual_gains(std::vector<float> gains) {
  ArchConfig c = config_;
  c.residual_gains = std::move(gains);
  replace_config(std::move(c));
}

void CodecNetImpl::set_freeze_stopped(bool freeze, int grace) {
  ArchConfig c = config_;
  c.freeze_stopped = freeze;
  c.freeze_grace = grace;
  replace_config(std::move(c));
}

void CodecNetImpl::extend_iterations(int iterations) {
  if (iterations <= config_.iterations) return;
  ArchConfig c = config_;
  c.iterations = iterations;
  if (!c.residual_gains.empty()) c.residual_gains.resize(iterations, c.residual_gains.back());
  replace_config(std::move(c));
}

void CodecNetImpl::set_compute_dtype(torch::ScalarType dtype) {
  if (dtype != torch::kFloat && dtype != torch::kBFloat16) {
    throw Error("convolutions compute in fp32 or bf16");
  }
  compute_dtype_ = dtype;
}

CodecNetImpl::Weights CodecNetImpl::quantized_weights() {
  Weights out;
  out.regulariser = torch::zeros({}, weights_[0].options());
  for (size_t i = 0; i < weights_.size(); ++i) {
    QuantizedWeight q = quantizer_->quantize(weights_[i], layer_bases_[i]);
    out.conv_w.push_back(q.effective.to(compute_dtype_).contiguous(torch::MemoryFormat::ChannelsLast));
    out.conv_b.push_back(biases_[i].defined() ? biases_[i].to(compute_dtype_) : torch::Tensor());
    out.regulariser = out.regulariser + q.regulariser;
  }
  out.regulariser = out.regulariser / static_cast<double>(weights_.size());
  return out;
}

// The one place that computes in the compute dtype: the conv reads its input
// in it and hands back fp32, so gate arithmetic, recurrent states and the
// reconstruction sum never round to bf16's 8-bit mantissa.
torch::Tensor CodecNetImpl::conv(const Weights& w, size_t layer, const torch::Tensor& x) const {
  const LayerSpec& s = specs_[layer];
  if (observer_) observer_(layer, x);
  auto y = torch::conv2d(x.to(compute_dtype_), w.conv_w[layer], w.conv_b[layer], s.stride, s.kernel / 2);
  return y.to(torch::kFloat);
}

namespace {

// `active` (N x 1 x H/16 x W/16) at the resolution of `like`, or undefined.
torch::Tensor active_at(const torch::Tensor& active, const torch::Tensor& like) {
  if (!active.defined()) return active;
  return torch::upsample_nearest2d(active.to(like.scalar_type()), {like.size(2), like.size(3)});
}

// `updated` where active, `previous` elsewhere.
torch::Tensor frozen_where_stopped(const torch::Tensor& updated, const torch::Tensor& previous,
                                   const torch::Tensor& active) {
  if (!active.defined()) return updated;
  return torch::where(active_at(active, updated) > 0, updated, previous);
}

}  // namespace

torch::Tensor CodecNetImpl::cell(const Weights& w, const CellLayers& layers, const torch::Tensor& x,
                                 RecurrentState& state, size_t slot, const torch::Tensor& active) const {
  auto gi = conv(w, layers.input, x);
  torch::Tensor& h = state.h[slot];
  if (!h.defined()) {
    const int64_t hidden = specs_[layers.input].out_channels / config_.gates();
    h = torch::zeros({gi.size(0), hidden, gi.size(2), gi.size(3)},
                     gi.options().memory_format(torch::MemoryFormat::ChannelsLast));
  }
  auto gh = conv(w, layers.hidden, h);
  if (config_.cell == CellType::kGru) {
    auto i = gi.chunk(3, 1), g = gh.chunk(3, 1);
    auto r = torch::sigmoid(i[0] + g[0]);
    auto z = torch::sigmoid(i[1] + g[1]);
    auto n = torch::tanh(i[2] + r * g[2]);
    h = frozen_where_stopped((1 - z) * n + z * h, h, active);
  } else {
    torch::Tensor& c = state.c[slot];
    if (!c.defined()) c = torch::zeros_like(h);
    auto g = (gi + gh).chunk(4, 1);
    auto c_next = torch::sigmoid(g[1]) * c + torch::sigmoid(g[0]) * torch::tanh(g[2]);
    h = frozen_where_stopped(torch::sigmoid(g[3]) * torch::tanh(c_next), h, active);
    c = frozen_where_stopped(c_next, c, active);
  }
  return h;
}

torch::Tensor CodecNetImpl::encode(const Weights& w, const torch::Tensor& residual, RecurrentState& state,
                                   Binarization binarization, const torch::Tensor& active) const {
  auto e = conv(w, enc_conv_, residual);
  for (size_t k = 0; k < enc_cells_.size(); ++k) e = cell(w, enc_cells_[k], e, state, k, active);
  auto t = torch::tanh(conv(w, binarizer_, e));
  if (binarization == Binarization::kStochastic) {
    // Toderici: b = +1 with probability (1 + t) / 2; gradient as if b = t.
    auto b = torch::where(torch::rand_like(t) < (1 + t) / 2, 1.0, -1.0).to(t.dtype());
    return t + (b - t).detach();
  }
  return torch::where(t >= 0, 1.0, -1.0).to(t.dtype());
}

torch::Tensor CodecNetImpl::decode(const Weights& w, const torch::Tensor& bits, RecurrentState& state,
                                   const torch::Tensor& active) const {
  auto d = conv(w, dec_conv_, bits);
  for (size_t k = 0; k < dec_cells_.size(); ++k) {
    d = torch::pixel_shuffle(cell(w, dec_cells_[k], d, state, k, active), 2);
  }
  return conv(w, dec_out_, d);
}

torch::Tensor CodecNetImpl::computed_positions(const std::vector<torch::Tensor>& keep, int i) const {
  if (i < config_.freeze_grace) return torch::Tensor();  // iterations before the first count as coding
  torch::Tensor active = keep[i];
  for (int j = i - config_.freeze_grace; j < i; ++j) {
    if (keep[j].defined()) active = torch::maximum(active, keep[j]);
  }
  return active;
}

CodecNetImpl::Result CodecNetImpl::forward(const torch::Tensor& x, int iterations,
                                           const std::vector<torch::Tensor>& keep,
                                           Binarization binarization) {
  Weights w = quantized_weights();
  RecurrentState enc{std::vector<torch::Tensor>(enc_cells_.size()),
                     std::vector<torch::Tensor>(enc_cells_.size())};
  RecurrentState dec{std::vector<torch::Tensor>(dec_cells_.size()),
                     std::vector<torch::Tensor>(dec_cells_.size())};
  Result result;
  result.regulariser = w.regulariser;
  const torch::Tensor image = x.contiguous(torch::MemoryFormat::ChannelsLast);
  auto x_hat = torch::zeros_like(image);
  for (int i = 0; i < iterations; ++i) {
    const double gain = config_.gain(i);
    const bool masked = i < static_cast<int>(keep.size()) && keep[i].defined();
    const torch::Tensor active =
        masked && config_.freeze_stopped ? computed_positions(keep, i) : torch::Tensor();
    auto bits = encode(w, (image - x_hat) * gain, enc, binarization, active);
    if (masked) bits = bits * keep[i];
    if (i == 0) {
      for (int p = 0; p < config_.priming; ++p) decode(w, bits, dec, active);
    }
    auto out = decode(w, bits, dec, active);
    x_hat = frozen_where_stopped(config_.one_shot ? out : x_hat + out / gain, x_hat, active);
    result.reconstructions.push_back(x_hat);
  }
  return result;
}

CodecNet widen(CodecNetImpl& narrow, const ArchConfig& wide) {
  ArchConfig c = narrow.config();  // recurrence, iterations, gains, one-shot
  c.enc_conv = wide.enc_conv;
  c.dec_conv = wide.dec_conv;
  std::copy(std::begin(wide.enc_cells), std::end(wide.enc_cells), c.enc_cells);
  std::copy(std::begin(wide.dec_cells), std::end(wide.dec_cells), c.dec_cells);
  if (wide.code_channels != c.code_channels) {
    throw Error("widening keeps the code channels (they set the rate)");
  }
  CodecNet out(c);
  torch::NoGradGuard no_grad;
  const std::vector<LayerSpec>& from = narrow.specs();
  const std::vector<LayerSpec>& to = out->specs();
  for (size_t i = 0; i < to.size(); ++i) {
    const LayerSpec &a = from[i], &b = to[i];
    if (b.in_channels < a.in_channels || b.out_channels < a.out_channels) {
      throw Error("cannot narrow " + b.name + " (widening only)");
    }
    // Old output channels keep their order; a cell's gates are blocks of
    // `hidden` channels, so each old block moves to the start of its new one.
    const bool gated = b.role == LayerRole::kCellInput || b.role == LayerRole::kCellHidden;
    const int blocks = gated ? c.gates() : 1;
    const int64_t old_block = a.out_channels / blocks, new_block = b.out_channels / blocks;
    torch::Tensor& w = out->latent_weight(i);
    // New units' incoming weights stay random; every weight from a new input
    // channel to an old output is zero.
    for (int g = 0; g < blocks; ++g) {
      auto rows = w.slice(0, g * new_block, g * new_block + old_block);
      rows.zero_();
      rows.slice(1, 0, a.in_channels)
          .copy_(narrow.latent_weight(i).slice(0, g * old_block, (g + 1) * old_block));
      if (b.bias) {
        out->bias(i)
            .slice(0, g * new_block, g * new_block + old_block)
            .copy_(narrow.bias(i).slice(0, g * old_block, (g + 1) * old_block));
      }
    }
    out->set_bases(i, narrow.bases(i));
  }
  out->quantizer()->set_mode(narrow.quantizer()->mode());
  return out;
}

}  // namespace qc
