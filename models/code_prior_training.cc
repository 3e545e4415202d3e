#include "models/code_prior_training.h"

#include <algorithm>
#include <cstdio>

#include "base/error.h"
#include "base/file_io.h"
#include "codec/bitstream.h"
#include "codec/codec.h"
#include "codec/image_io.h"
#include "entropy/code_prior.h"

namespace qc {
namespace {

Image centre_crop(const Image& image, int side) {
  const int w = std::min(side, image.width), h = std::min(side, image.height);
  const int x0 = (image.width - w) / 2, y0 = (image.height - h) / 2;
  Image out(w, h, image.channels >= 3 ? 3 : 1);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      for (int c = 0; c < out.channels; ++c) out.at(x, y, c) = image.at(x0 + x, y0 + y, c);
  return out;
}

}  // namespace

void train_code_prior(const CodePriorTrainingOptions& o) {
  if (!o.overwrite && file_exists(o.output)) throw Error(o.output + ": already exists (use -f to overwrite)");
  if (o.image_count < 1 || o.crop < 16 || o.rates.empty() || o.confidence < 0 || o.confidence > 255)
    throw Error("prior: bad options (images >= 1, crop >= 16, some rates, confidence 0..255)");
  Model model = model_from_file(o.model);
  // The examples are coded without a prior: the bits do not depend on it.
  model.qcm.code_prior.clear();
  model.prior.reset();
  const std::vector<uint8_t> plain = serialize_qcm(model.qcm);
  model = model_from_bytes(plain.data(), plain.size(), o.model);

  const std::vector<std::string> paths = list_images(o.images);
  const size_t count = std::min<size_t>(o.image_count, paths.size());
  std::vector<CodedExample> examples;
  for (size_t i = 0; i < count; ++i) {
    const std::string& path = paths[i * paths.size() / count];
    const Image image = centre_crop(read_image(path).image, o.crop);
    for (double rate : o.rates) {
      EncodeOptions options;
      options.bpp = rate;
      options.threads = o.threads;
      const EncodeResult r = encode(image, model, options);
      QcFile file = read_qc(r.bytes.data(), r.bytes.size(), model.fingerprint, path);
      examples.emplace_back(std::move(file.codes), std::move(file.map));
    }
    std::fprintf(stderr, "\rprior: %zu/%zu images coded", i + 1, count);
  }
  std::fprintf(stderr, "\n");
  const ArchConfig& c = model.qcm.config;
  const CodePrior prior = learn_code_prior(examples, c.iterations, c.code_channels, o.confidence);
  QcmModel with_prior = model.qcm;
  with_prior.code_prior = serialize_code_prior(prior);
  const std::vector<uint8_t> bytes = serialize_qcm(with_prior);
  write_file_atomic(o.output, bytes, o.overwrite ? Overwrite::kAllow : Overwrite::kRefuse);
  std::printf("%s: %zu examples (%zu images x %zu rates), %zu bytes, fingerprint %016llx\n",
              o.output.c_str(), examples.size(), count, o.rates.size(), bytes.size(),
              static_cast<unsigned long long>(qcm_fingerprint(bytes)));
}

}  // namespace qc
