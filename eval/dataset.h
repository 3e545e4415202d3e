// An evaluation dataset: every PNG or JPEG file directly inside one folder
// (Kodak kodimNN.png, Tecnick RGB_OR_1200x1200_NNN.png, ...).
#pragma once
#include <string>
#include <vector>

#include "image/image.h"

namespace qc {

struct DatasetImage {
  std::string name;  // file name without folder
  Image rgb;         // 3 channels: gray replicated, alpha dropped
};

// Files are chosen by extension (.png, .jpg, .jpeg, any case) and sorted by
// name; anything else in the folder is ignored. Throws qc::Error when the
// folder is missing, holds no image, or an image cannot be read.
std::vector<DatasetImage> load_dataset(const std::string& dir);

// The colour part of any image as RGB: gray is replicated to R, G, B, alpha
// is dropped (metrics ignore alpha; not every baseline codes it).
Image to_rgb(const Image& image);

}  // namespace qc
