// The whole decoder, .qc bytes to pixels, with a small random model. The input
// is sealed first (fingerprint, size field, checksum), so every mutation
// reaches the header checks, the map, the payload and the coding loop; a
// prefix of it then goes through prefix decoding.
#include <algorithm>
#include <cstdlib>

#include "base/error.h"
#include "codec/bitstream.h"
#include "fuzz/fuzz_targets.h"
#include "nn/random_model.h"

namespace qc::fuzz {
namespace {

// Larger images run the same code for longer; the fuzzer's time is better
// spent on more inputs. (Size limits are tested in tests/reliability.) The
// network runs on the image padded to whole 16x16 blocks, so a 24753x1 image
// costs as much as a 24768x16 one: the padded size is what is capped.
constexpr uint64_t kMaxDecodePaddedPixels = 1 << 16;

uint64_t padded(uint32_t side) { return (side + kCodeBlock - 1) / kCodeBlock * kCodeBlock; }

}  // namespace

const Model& fuzz_model() {
  static const Model model = [] {
    ArchConfig config;
    config.enc_conv = 4;
    config.enc_cells[0] = config.enc_cells[1] = config.enc_cells[2] = 4;
    config.code_channels = 4;
    config.dec_conv = 8;
    for (int& c : config.dec_cells) c = 8;
    config.iterations = 4;
    config.priming = 1;
    const std::vector<uint8_t> bytes = serialize_qcm(random_qcm_model(config, 2, 1));
    return model_from_bytes(bytes.data(), bytes.size(), "fuzz model");
  }();
  return model;
}

void fuzz_decode(const uint8_t* data, size_t size) {
  const Model& model = fuzz_model();
  const std::vector<uint8_t> file = seal_qc(data, size, model.fingerprint);
  try {
    const QcHeader header = read_qc_header(file.data(), file.size(), "fuzz");
    if (padded(header.width) * padded(header.height) > kMaxDecodePaddedPixels) return;
    const Image image = decode(file.data(), file.size(), model, 1, "fuzz");
    if (image.width != static_cast<int>(header.width) || image.height != static_cast<int>(header.height) ||
        image.channels != static_cast<int>(header.channels) ||
        image.pixels.size() != static_cast<size_t>(image.width) * image.height * image.channels)
      std::abort();
    // A prefix (the last byte says how much is cut and how many iterations
    // are asked for) decodes the same way, to an image of the same shape.
    DecodeOptions prefix;
    prefix.threads = 1;
    prefix.accept_prefix = true;
    prefix.max_iterations = file.back() % 5;
    const size_t cut = file.size() - file.back() % std::min<size_t>(file.size(), 48);
    const DecodeResult part = decode(file.data(), cut, model, prefix, "fuzz");
    if (part.image.width != image.width || part.image.height != image.height ||
        part.iterations > part.file_iterations)
      std::abort();
  } catch (const Error&) {
  }
}

}  // namespace qc::fuzz
