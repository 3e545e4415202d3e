// Decoder: parse the container, replay the coding loop from the decoded bits.
#include <algorithm>
#include <cstdio>

#include "base/error.h"
#include "codec/bitstream.h"
#include "codec/codec.h"
#include "codec/coding_loop.h"
#include "codec/planar.h"
#include "nn/runtime_graph.h"

namespace qc {
namespace {

// The iterations `options` ask for out of what `header` holds (>= 1).
int iterations_to_decode(const QcHeader& header, const DecodeOptions& options, const std::string& name) {
  int n = header.complete_iterations;
  if (options.max_iterations > 0) n = std::min(n, options.max_iterations);
  if (options.max_bpp > 0) {
    if (header.version < 2) {
      throw Error(name + ": a rate limit needs per-iteration sizes (format 2; this file is format " +
                  std::to_string(header.version) + ")");
    }
    const double budget = options.max_bpp * header.width * header.height / 8.0;
    while (n > 0 && header.bytes_through(n) > budget) --n;
    if (n == 0 && header.iterations > 0) {
      char need[32];
      std::snprintf(need, sizeof need, "%.4f",
                    header.bytes_through(1) * 8.0 / (double(header.width) * header.height));
      throw Error(name + ": even one iteration needs " + need + " bpp");
    }
  }
  return n;
}

}  // namespace

DecodeResult decode(const uint8_t* data, size_t size, const Model& model, const DecodeOptions& options,
                    const std::string& name) {
  // The header is held against the model before the payload is decoded, so a
  // crafted file cannot make the code stack bigger than the model's iterations
  // and channels allow for its image size (the container alone admits up to
  // kMaxCodeBits). A file from another model is left to read_qc to name.
  const QcHeader header = read_qc_header(data, size, name, options.accept_prefix);
  if (header.model_fingerprint == model.fingerprint) {
    if (header.code_channels != model.qcm.config.code_channels) {
      throw Error(name + ": code channels do not match the model", ErrorKind::kCorrupt);
    }
    if (header.iterations > model.qcm.config.iterations) {
      throw Error(name + ": more iterations than the model has", ErrorKind::kCorrupt);
    }
  }
  const int wanted = iterations_to_decode(header, options, name);
  QcReadOptions read;
  read.max_iterations = wanted;
  read.accept_prefix = options.accept_prefix;
  QcFile file = read_qc(data, size, model.fingerprint, name, read);
  RuntimeNetwork net(model.qcm, RuntimeOptions{options.threads, ActivationMode::kInt8});
  const int width = static_cast<int>(file.width), height = static_cast<int>(file.height);
  const int padded_w = padded_side(width), padded_h = padded_side(height);
  CodingLoop loop(net, padded_h, padded_w, false);
  const std::vector<uint8_t> counts = position_counts(file.map, loop.rows(), loop.cols());
  for (int i = 0; i < file.codes.iterations; ++i) loop.decode_step(file.codes, counts);

  DecodeResult result;
  result.iterations = file.codes.iterations;
  result.file_iterations = header.iterations;
  result.bytes_used = header.version >= 2 ? header.bytes_through(result.iterations) : size;
  result.truncated = header.truncated();
  const int colour = file.channels >= 3 ? 3 : 1;
  Image rgb = from_planar(loop.reconstruction().data(), padded_w, padded_h, width, height, colour);
  if (file.alpha.empty()) {
    result.image = std::move(rgb);
    return result;
  }
  result.image = Image(width, height, colour + 1);
  Image& out = result.image;
  for (size_t p = 0; p < file.alpha.size(); ++p) {
    for (int c = 0; c < colour; ++c) out.pixels[p * out.channels + c] = rgb.pixels[p * colour + c];
    out.pixels[p * out.channels + colour] = file.alpha[p];
  }
  return result;
}

Image decode(const uint8_t* data, size_t size, const Model& model, int threads, const std::string& name) {
  DecodeOptions options;
  options.threads = threads;
  return decode(data, size, model, options, name).image;
}

}  // namespace qc
