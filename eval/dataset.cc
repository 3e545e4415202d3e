#include "eval/dataset.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "base/error.h"
#include "image/image_io.h"

namespace qc {
namespace {

bool has_image_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

}  // namespace

Image to_rgb(const Image& image) {
  if (image.channels == 3) return image;
  Image out(image.width, image.height, 3);
  const bool gray = image.channels < 3;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      for (int c = 0; c < 3; ++c) out.at(x, y, c) = image.at(x, y, gray ? 0 : c);
    }
  }
  return out;
}

std::vector<DatasetImage> load_dataset(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": not a folder");
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file(ec) && has_image_extension(entry.path())) {
      files.push_back(entry.path());
    }
  }
  if (ec) throw Error(dir + ": cannot list: " + ec.message());
  if (files.empty()) throw Error(dir + ": no PNG or JPEG images");
  std::sort(files.begin(), files.end());
  std::vector<DatasetImage> images;
  for (const fs::path& file : files) {
    images.push_back({file.filename().string(), to_rgb(read_image(file.string()).image)});
  }
  return images;
}

}  // namespace qc
