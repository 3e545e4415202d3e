// The LibTorch training model of the network described in architecture.h.
// Layer shapes, names and order come from layers(config), so the training
// model and the runtime graph cannot disagree.
#pragma once
#include <torch/torch.h>

#include <functional>
#include <vector>

#include "nn/architecture.h"
#include "train/train_quantizer.h"

namespace qc {

struct RecurrentState {
  std::vector<torch::Tensor> h;  // one per cell
  std::vector<torch::Tensor> c;  // LSTM cell states (empty for GRU)
};

enum class Binarization { kStochastic, kDeterministic };

class CodecNetImpl : public torch::nn::Module {
 public:
  explicit CodecNetImpl(const ArchConfig& config);

  const ArchConfig& config() const { return config_; }
  // The dtype convolutions compute in: kFloat, or kBFloat16 for mixed
  // precision (weights, optimizer state, recurrent state, reconstructions
  // and the loss stay fp32; see conv()).
  void set_compute_dtype(torch::ScalarType dtype);
  torch::ScalarType compute_dtype() const { return compute_dtype_; }
  // Fixed per-iteration residual gains (architecture.h); validated.
  void set_residual_gains(std::vector<float> gains);
  // Stopped tiles keep their state after `grace` iterations (architecture.h);
  // a network trained without it can be fine-tuned with it.
  void set_freeze_stopped(bool freeze, int grace = 0);
  // Raises the maximum iteration count (no-op when not larger); the new
  // iterations repeat the last residual gain.
  void extend_iterations(int iterations);
  const std::vector<LayerSpec>& specs() const { return specs_; }
  // Binary bases per layer: the first and last layers may keep more.
  int bases(size_t layer) const { return layer_bases_[layer]; }
  void set_bases(size_t layer, int bases) { layer_bases_[layer] = bases; }
  WeightQuantizer quantizer() { return quantizer_; }
  torch::Tensor& latent_weight(size_t layer) { return weights_[layer]; }
  torch::Tensor& bias(size_t layer) { return biases_[layer]; }

  struct Result {
    std::vector<torch::Tensor> reconstructions;  // x_hat after each iteration
    torch::Tensor regulariser;                   // quantizer regulariser
  };
  // x in [-0.5, 0.5], N x 3 x H x W with H, W multiples of 16. keep[i] (or
  // undefined) is N x 1 x H/16 x W/16, 1 where iteration i's bits are kept
  // (with freeze_stopped, 0 also freezes that block's state and pixels).
  // Observes every conv input (for activation-scale calibration at export).
  using ConvObserver = std::function<void(size_t layer, const torch::Tensor& input)>;
  void set_observer(ConvObserver observer) { observer_ = std::move(observer); }

  Result forward(const torch::Tensor& x, int iterations, const std::vector<torch::Tensor>& keep,
                 Binarization binarization);

 private:
  struct CellLayers {
    size_t input, hidden;
  };
  // The weights used by this forward pass (quantized once per pass), in the
  // compute dtype, channels-last, cast once per pass (what autocast's weight
  // cache would hold, without a cache to clear).
  struct Weights {
    std::vector<torch::Tensor> conv_w, conv_b;
    torch::Tensor regulariser;
  };
  Weights quantized_weights();
  // Only fields that do not change the layers (gains, iteration count).
  void replace_config(ArchConfig config);
  torch::Tensor conv(const Weights& w, size_t layer, const torch::Tensor& x) const;
  // `active` (or undefined: all): N x 1 x H/16 x W/16, 1 where the state is
  // updated (freeze_stopped).
  torch::Tensor cell(const Weights& w, const CellLayers& layers, const torch::Tensor& x,
                     RecurrentState& state, size_t slot, const torch::Tensor& active) const;
  torch::Tensor encode(const Weights& w, const torch::Tensor& residual, RecurrentState& state,
                       Binarization binarization, const torch::Tensor& active) const;
  torch::Tensor decode(const Weights& w, const torch::Tensor& bits, RecurrentState& state,
                       const torch::Tensor& active) const;
  // The positions computed in iteration i of a freeze_stopped network: those
  // kept in iteration i or in the freeze grace's iterations before it
  // (iterations before the first count as kept; undefined: all).
  torch::Tensor computed_positions(const std::vector<torch::Tensor>& keep, int i) const;

  ArchConfig config_;
  std::vector<LayerSpec> specs_;
  // Positions in specs_, looked up by name once.
  size_t enc_conv_, binarizer_, dec_conv_, dec_out_;
  std::vector<CellLayers> enc_cells_, dec_cells_;
  std::vector<int> layer_bases_;
  std::vector<torch::Tensor> weights_, biases_;
  WeightQuantizer quantizer_{nullptr};
  ConvObserver observer_;
  torch::ScalarType compute_dtype_ = torch::kFloat;
};
TORCH_MODULE(CodecNet);

// Function-preserving widening (Net2Net-style, zero outgoing weights): a
// network with `narrow`'s recurrence, iterations and gains and the widths of
// `wide` (each at least `narrow`'s; the same code channels), whose old units
// keep their weights and whose new units start from fresh random incoming
// weights but feed every old unit through zero weights, so it computes
// exactly what `narrow` computes until training moves those weights.
CodecNet widen(CodecNetImpl& narrow, const ArchConfig& wide);

// Index of the layer with this name in layers(config); throws if absent.
size_t layer_index(const std::vector<LayerSpec>& specs, const std::string& name);

}  // namespace qc
