// Decoder: parse the container, replay the coding loop from the decoded bits.
#include "base/error.h"
#include "codec/bitstream.h"
#include "codec/codec.h"
#include "codec/coding_loop.h"
#include "codec/planar.h"
#include "models/runtime_graph.h"

namespace qc {

Image decode(const uint8_t* data, size_t size, const Model& model, int threads,
             const std::string& name) {
  // The header is held against the model before the payload is decoded, so a
  // crafted file cannot make the code stack bigger than the model's iterations
  // and channels allow for its image size (the container alone admits up to
  // kMaxCodeBits). A file from another model is left to read_qc to name.
  const QcHeader header = read_qc_header(data, size, name);
  if (header.model_fingerprint == model.fingerprint) {
    if (header.code_channels != model.qcm.config.code_channels) {
      throw Error(name + ": code channels do not match the model");
    }
    if (header.iterations > model.qcm.config.iterations) {
      throw Error(name + ": more iterations than the model has");
    }
  }
  QcFile file = read_qc(data, size, model.fingerprint, name);
  RuntimeNetwork net(model.qcm, RuntimeOptions{threads, ActivationMode::kInt8});
  const int width = static_cast<int>(file.width), height = static_cast<int>(file.height);
  const int padded_w = padded_side(width), padded_h = padded_side(height);
  CodingLoop loop(net, padded_h, padded_w, false);
  const std::vector<uint8_t> counts = position_counts(file.map, loop.rows(), loop.cols());
  for (int i = 0; i < file.codes.iterations; ++i) loop.decode_step(file.codes, counts);

  const int colour = file.channels >= 3 ? 3 : 1;
  Image rgb = from_planar(loop.reconstruction().data(), padded_w, padded_h, width, height, colour);
  if (file.alpha.empty()) return rgb;
  Image out(width, height, colour + 1);
  for (size_t p = 0; p < file.alpha.size(); ++p) {
    for (int c = 0; c < colour; ++c) out.pixels[p * out.channels + c] = rgb.pixels[p * colour + c];
    out.pixels[p * out.channels + colour] = file.alpha[p];
  }
  return out;
}

}  // namespace qc
