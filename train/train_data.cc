#include "train/train_data.h"

#include <algorithm>
#include <filesystem>

#include "base/error.h"
#include "image/image_io.h"

namespace qc {

std::vector<std::string> list_images(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a directory");
  std::vector<std::string> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (ext == ".png" || ext == ".jpg" || ext == ".jpeg") out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  if (out.empty()) throw Error(dir + ": no PNG or JPEG images found");
  return out;
}

torch::Tensor image_to_tensor(const Image& image) {
  auto hwc = torch::from_blob(const_cast<uint8_t*>(image.pixels.data()),
                              {image.height, image.width, image.channels}, torch::kUInt8);
  int colour = image.channels >= 3 ? 3 : 1;
  auto chw = hwc.slice(2, 0, colour).permute({2, 0, 1}).clone();
  return colour == 3 ? chw : chw.expand({3, image.height, image.width}).clone();
}

Image tensor_to_image(const torch::Tensor& x) {
  auto u8 = ((x.detach().to(torch::kCPU, torch::kFloat) + 0.5) * 255.0)
                .round()
                .clamp(0, 255)
                .to(torch::kUInt8)
                .permute({1, 2, 0})
                .contiguous();
  Image image(static_cast<int>(u8.size(1)), static_cast<int>(u8.size(0)), 3);
  std::memcpy(image.pixels.data(), u8.data_ptr<uint8_t>(), image.pixels.size());
  return image;
}

TrainingSet::TrainingSet(const std::string& dir, int holdout_every) {
  std::vector<std::string> paths = list_images(dir);
  double total = 0;
  for (size_t i = 0; i < paths.size(); ++i) {
    torch::Tensor t = image_to_tensor(read_image(paths[i]).image);
    if (holdout_every > 0 && i % holdout_every == static_cast<size_t>(holdout_every) - 1) {
      validation_.push_back(t);
      continue;
    }
    total += static_cast<double>(t.size(1)) * t.size(2);
    cumulative_area_.push_back(total);
    train_.push_back(t);
  }
  if (train_.empty()) throw Error(dir + ": no training images left after the hold-out");
}

torch::Tensor TrainingSet::sample(int batch, int crop) const {
  std::vector<torch::Tensor> crops;
  const double total = cumulative_area_.back();
  for (int n = 0; n < batch; ++n) {
    double pick = torch::rand({1}).item<double>() * total;
    size_t idx =
        std::upper_bound(cumulative_area_.begin(), cumulative_area_.end(), pick) - cumulative_area_.begin();
    const torch::Tensor& img = train_[std::min(idx, train_.size() - 1)];
    const int64_t h = img.size(1), w = img.size(2);
    // Box downscale by 1/scale: crop a larger window, then area-average it.
    double scale = 0.5 + 0.5 * torch::rand({1}).item<double>();
    int64_t window = std::min<int64_t>({static_cast<int64_t>(crop / scale), h, w});
    window = std::max<int64_t>(window, std::min<int64_t>({crop, h, w}));
    int64_t y = torch::randint(0, h - window + 1, {1}).item<int64_t>();
    int64_t x = torch::randint(0, w - window + 1, {1}).item<int64_t>();
    auto c = img.slice(1, y, y + window).slice(2, x, x + window).to(torch::kFloat).unsqueeze(0);
    if (window != crop) {
      namespace F = torch::nn::functional;
      c = F::interpolate(
          c, F::InterpolateFuncOptions().size(std::vector<int64_t>{crop, crop}).mode(torch::kArea));
    }
    if (torch::rand({1}).item<double>() < 0.5) c = c.flip({3});
    if (torch::rand({1}).item<double>() < 0.5) c = c.flip({2});
    crops.push_back(c);
  }
  return torch::cat(crops) / 255.0 - 0.5;
}

torch::Tensor TrainingSet::validation_crops(int side) const {
  std::vector<torch::Tensor> crops;
  for (const torch::Tensor& img : validation_) {
    const int64_t h = img.size(1), w = img.size(2);
    if (h < side || w < side) continue;
    int64_t y = (h - side) / 2, x = (w - side) / 2;
    crops.push_back(img.slice(1, y, y + side).slice(2, x, x + side).to(torch::kFloat).unsqueeze(0));
  }
  if (crops.empty()) return {};
  return torch::cat(crops) / 255.0 - 0.5;
}

}  // namespace qc
