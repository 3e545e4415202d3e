// The training loss and the validation measurement, shared by training and
// export (which reports how the exported binary network does).
#pragma once
#include <torch/torch.h>

#include <vector>

#include "train/train_model.h"

namespace qc {

constexpr int kHoldoutEvery = 50;     // every 50th image validates, never trains
constexpr int kValidationSide = 192;  // 5 MS-SSIM scales need >= 161 px

// Gaussian-windowed local SSIM of the luma of two N x 3 x H x W batches with
// values in [0, 1] (SSIM's luminance term needs non-negative intensities),
// edges replicated: N x 1 x H x W. The map metrics/tile_ssim averages per
// tile (tests/train checks they agree).
torch::Tensor local_ssim(const torch::Tensor& a, const torch::Tensor& b);

// SSIM-weighted L1 (or plain L1) of a reconstruction, as in docs/DESIGN.md.
torch::Tensor reconstruction_loss(const torch::Tensor& x, const torch::Tensor& x_hat, bool ssim_weighted);

// The mean of values[i] / sizes[i], scaled back by the mean size, with no
// gradient through the sizes: each term counts by its relative change, so
// small terms learn as fast as large ones while the value keeps its scale.
torch::Tensor relative_mean(const torch::Tensor& values, const torch::Tensor& sizes);

// Distillation: the mean over the iterations of the L1 distance between
// the student's and the teacher's reconstructions. With `relative`, each
// distance is divided by the teacher's own L1 error at that iteration and
// the mean scaled back by the mean error, so late iterations, whose errors
// and distances are small, count as much as early ones.
torch::Tensor distillation_loss(const torch::Tensor& x, const std::vector<torch::Tensor>& student,
                                const std::vector<torch::Tensor>& teacher, bool relative);

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
