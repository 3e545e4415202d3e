// The codec's public API: an image in, .qc bytes out, and back.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "codec/allocation.h"
#include "entropy/code_stack.h"
#include "image/image.h"
#include "nn/model_file.h"

namespace qc {

// A runtime model and the fingerprint .qc files made with it carry.
struct Model {
  QcmModel qcm;
  uint64_t fingerprint = 0;
  std::string source;  // file name or "built-in model", for messages
};
Model model_from_bytes(const uint8_t* data, size_t size, const std::string& source);
Model model_from_file(const std::string& path);

struct EncodeOptions {
  // Exactly one target: bpp > 0 (rate control), quality > 0 (MS-SSIM),
  // iterations > 0 (every tile gets that many), or an allocation.
  double bpp = 0;
  double quality = 0;
  int iterations = 0;
  // Code exactly these tile counts (its tile size replaces `tile`): what
  // the rate control would otherwise choose.
  std::optional<TileMap> allocation;
  int threads = 0;  // 0 = all cores
  int tile = 2;     // allocation tile side in 16x16 code blocks
  AllocationRule rule = AllocationRule::kTopUp;
  // For a rate target, also code with a uniform allocation and keep the file
  // with the higher MS-SSIM (twice the work; `--alloc best`). Off by default:
  // with the w8h model it changed MS-SSIM by <= 0.004 on Kodak but landed
  // fewer files in the rate window (docs/ALLOCATION.md).
  bool compare_uniform = false;
  // 1..kMaxEffort (codec/bit_search.h). Above 1 each coding pass searches
  // each iteration's bits for ones that decode better, and rate control
  // measures those searched files (docs/EFFORT.md).
  int effort = 1;
};

// Called with the share of the work done (0..1).
using Progress = std::function<void(double done)>;

struct EncodeResult {
  std::vector<uint8_t> bytes;  // the .qc file
  TileMap map;
  int passes = 0;          // closed-loop coding passes run
  bool target_met = true;  // false when the rate or quality target was out of reach
  std::string note;        // why, when it was not met
};

EncodeResult encode(const Image& image, const Model& model, const EncodeOptions& options,
                    const Progress& progress = nullptr);

// A .qc file decodes whole, or any prefix of its iterations: iteration i
// depends only on the codes and tile counts of iterations 1..i, so decoding
// the first N gives exactly what a fresh encode with every count capped at N
// decodes to.
struct DecodeOptions {
  int threads = 0;         // 0 = all cores
  int max_iterations = 0;  // decode only the first N iterations of every tile (0: all)
  // Decode the largest uniform prefix whose bytes fit this rate (0: no
  // limit). Needs a format-2 file (per-iteration sizes).
  double max_bpp = 0;
  // The bytes may be the start of a format-2 file: decode the complete
  // iterations they hold instead of refusing them as truncated.
  bool accept_prefix = false;
};

struct DecodeResult {
  Image image;
  int iterations = 0;       // iterations decoded
  int file_iterations = 0;  // iterations the file holds
  size_t bytes_used = 0;    // bytes of the file those iterations need
  bool truncated = false;   // the bytes given were a prefix of the file
};

// Errors are "<name>: <cause>".
DecodeResult decode(const uint8_t* data, size_t size, const Model& model, const DecodeOptions& options,
                    const std::string& name);
// The whole file.
Image decode(const uint8_t* data, size_t size, const Model& model, int threads, const std::string& name);

}  // namespace qc
