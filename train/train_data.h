// Training data: photographs held in memory as uint8 tensors, random crops
// with the augmentations the codec needs, and a fixed validation set.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

#include "image/image.h"

namespace qc {

// PNG and JPEG files under dir (recursive), sorted for reproducibility.
std::vector<std::string> list_images(const std::string& dir);

// 3 x H x W uint8 (gray is repeated to RGB, alpha dropped).
torch::Tensor image_to_tensor(const Image& image);
// 3 x H x W float in [-0.5, 0.5] -> 8-bit RGB image (rounded, clamped).
Image tensor_to_image(const torch::Tensor& x);

class TrainingSet {
 public:
  // Every `holdout_every`-th image (in sorted order) is kept out for validation.
  TrainingSet(const std::string& dir, int holdout_every);

  size_t train_images() const { return train_.size(); }
  size_t validation_images() const { return validation_.size(); }
  // N x 3 x crop x crop in [-0.5, 0.5]: images drawn by area, a random
  // box downscale (x0.5..1), a random crop and random flips.
  torch::Tensor sample(int batch, int crop) const;
  // Centre crops (side x side, smaller images skipped) of the held-out images;
  // undefined when none is large enough.
  torch::Tensor validation_crops(int side) const;

 private:
  std::vector<torch::Tensor> train_, validation_;
  std::vector<double> cumulative_area_;
};

}  // namespace qc
