// The shared weight quantizer used while training (LibTorch). Every conv
// layer's latent float weight passes through the same module, which returns
// the weight the forward pass uses and, at export, the binary bases + scales.
//
//  - kFloat:    the latent weight itself.
//  - kQuantNet: 1 bit. w~ = w / mean|w| (per output channel); a small shared
//               elementwise meta-network m() reshapes w~, and
//               q = tanh(beta * m(w~)) is annealed towards +-1 as beta grows
//               (no straight-through estimator); W = mean|w| * q. A
//               regulariser mean(1 - q^2) pulls q to +-1.
//  - layers with bases > 1 use ALQ-style multi-bit quantization:
//               W ~= sum_k alpha_k B_k, greedy residual init, alternating
//               least-squares refits of alpha and B (gradient to the latent
//               weight passes straight through; ALQ itself is not STE-free).
//  - kAlq:      every layer ALQ, 1-basis layers included (sign(w) * mean|w|
//               per output channel with the straight-through gradient).
// Progressive binarization (stochastic-quantization style): while the
// quantized share is below 1, each forward pass quantizes only that share
// of each layer's filters, drawn with probability inversely proportional to
// their quantization error; the others keep their float weights.
#pragma once
#include <torch/torch.h>

#include <vector>

namespace qc {

enum class QuantMode { kFloat, kQuantNet, kAlq };

struct QuantizedWeight {
  torch::Tensor effective;    // same shape as the latent weight
  torch::Tensor regulariser;  // scalar, 0 when not applicable
};

struct BinaryBases {
  torch::Tensor signs;  // bases x O x I x kh x kw, values +-1
  torch::Tensor alpha;  // bases x O
};

class WeightQuantizerImpl : public torch::nn::Module {
 public:
  explicit WeightQuantizerImpl(int meta_hidden = 16);

  void set_mode(QuantMode mode) { mode_ = mode; }
  QuantMode mode() const { return mode_; }
  // Annealing temperature of the QuantNet path (grows towards binary).
  void set_beta(double beta) { beta_ = beta; }
  double beta() const { return beta_; }
  // Hard: forward with exactly the binary weights that export writes
  // (validation and calibration measure the shipped network).
  void set_hard(bool hard) { hard_ = hard; }
  // Share of each layer's filters quantized per forward pass (1: all).
  void set_quantized_share(double share) { share_ = share; }

  QuantizedWeight quantize(const torch::Tensor& latent, int bases);
  // The binary form the runtime uses (no gradient).
  BinaryBases binarize(const torch::Tensor& latent, int bases);

 private:
  torch::Tensor meta(const torch::Tensor& normalised);
  QuantMode mode_ = QuantMode::kFloat;
  double beta_ = 1.0;
  double share_ = 1.0;
  bool hard_ = false;
  torch::nn::Linear fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(WeightQuantizer);

// ALQ-style multi-bit approximation of a weight (per output channel).
BinaryBases alq_approximate(const torch::Tensor& weight, int bases, int refits = 2);
// The weight the bases stand for: sum_k alpha_k B_k.
torch::Tensor compose(const BinaryBases& b);

// ALQ's pruning towards a target bitwidth, per layer: starting from `bases`,
// removes one basis at a time from a prunable layer, always the one whose
// removal adds the least relative reconstruction error per bit saved, until
// the average bits per weight (weighted by layer size) is <= target_bits or
// every prunable layer is down to one basis. Returns the new counts.
std::vector<int> prune_bases(const std::vector<torch::Tensor>& weights, std::vector<int> bases,
                             const std::vector<bool>& prunable, double target_bits);

}  // namespace qc
