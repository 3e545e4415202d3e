// The training loss and the validation measurement, shared by training and
// export (which reports how the exported binary network does).
#pragma once
#include <torch/torch.h>

#include <vector>

#include "models/train_model.h"

namespace qc {

constexpr int kHoldoutEvery = 50;     // every 50th image validates, never trains
constexpr int kValidationSide = 192;  // 5 MS-SSIM scales need >= 161 px

// SSIM-weighted L1 (or plain L1) of a reconstruction, as in docs/DESIGN.md.
torch::Tensor reconstruction_loss(const torch::Tensor& x, const torch::Tensor& x_hat,
                                  bool ssim_weighted);

struct Validation {
  double loss = 0;
  std::vector<double> msssim;  // after each iteration (raw 0.125 bpp each)
  std::vector<double> psnr;    // dB, after each iteration (mean over the crops)
};

// Deterministic bits; with `hard`, the binary weights export would ship (in the
// float phase the float network is measured: its binarization means nothing yet).
Validation validate(CodecNet& model, const torch::Tensor& crops, int iterations, bool ssim_weighted,
                    bool hard, const torch::Device& device);

}  // namespace qc
