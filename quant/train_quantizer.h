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
#pragma once
#include <torch/torch.h>

namespace qc {

enum class QuantMode { kFloat, kQuantNet };

struct QuantizedWeight {
  torch::Tensor effective;  // same shape as the latent weight
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

  QuantizedWeight quantize(const torch::Tensor& latent, int bases);
  // The binary form the runtime uses (no gradient).
  BinaryBases binarize(const torch::Tensor& latent, int bases);

 private:
  torch::Tensor meta(const torch::Tensor& normalised);
  QuantMode mode_ = QuantMode::kFloat;
  double beta_ = 1.0;
  bool hard_ = false;
  torch::nn::Linear fc1_{nullptr}, fc2_{nullptr};
};
TORCH_MODULE(WeightQuantizer);

// ALQ-style multi-bit approximation of a weight (per output channel).
BinaryBases alq_approximate(const torch::Tensor& weight, int bases, int refits = 2);

}  // namespace qc
