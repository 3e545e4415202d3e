// The C API's encoder half (include/qcodec/qcodec.h): strided pixels in,
// a .qc file out. Only libqcodec has it, not libqcodec_dec.
#include <cstring>
#include <string>

#include "api/api_support.h"
#include "image/image_io.h"

using qc::api::copy_out;
using qc::api::guarded;
using qc::api::invalid;

extern "C" {

void qc_encode_options_init(qc_encode_options* options) {
  if (options != nullptr) *options = qc_encode_options{0.0, 0.0, 0, 0, nullptr, nullptr, 1};
}

qc_status qc_encode(const qc_model* model, const uint8_t* pixels, int width, int height, int stride,
                    qc_layout layout, const qc_encode_options* options, uint8_t** out, size_t* out_size) {
  return guarded(QC_INVALID_ARGUMENT, [&] {
    if (model == nullptr || pixels == nullptr || options == nullptr || out == nullptr || out_size == nullptr)
      return invalid("qc_encode: NULL argument");
    const int channels = static_cast<int>(layout);
    if (channels < 1 || channels > 4) return invalid("qc_encode: unknown pixel layout");
    if (width < 1 || height < 1 || static_cast<int64_t>(stride) < static_cast<int64_t>(width) * channels)
      return invalid("qc_encode: bad width, height or stride");
    if (width > qc::kMaxImageSide || height > qc::kMaxImageSide ||
        static_cast<uint64_t>(width) * height > qc::kMaxImagePixels) {
      qc::api::last_error() =
          "qc_encode: " + std::to_string(width) + "x" + std::to_string(height) + " is over the size limits";
      return QC_OVER_LIMIT;
    }
    qc::Image image(width, height, channels);
    const size_t row = static_cast<size_t>(width) * channels;
    for (int y = 0; y < height; ++y)
      std::memcpy(image.pixels.data() + y * row, pixels + static_cast<size_t>(y) * stride, row);
    qc::EncodeOptions o;
    o.bpp = options->bpp;
    o.quality = options->quality;
    o.iterations = options->iterations;
    o.threads = options->threads;
    o.effort = options->effort == 0 ? 1 : options->effort;
    qc::Progress progress;
    if (options->progress != nullptr) {
      progress = [fn = options->progress, user = options->progress_user](double done) { fn(done, user); };
    }
    const qc::EncodeResult result = qc::encode(image, model->model, o, progress);
    *out = copy_out(result.bytes.data(), result.bytes.size());
    *out_size = result.bytes.size();
    return QC_OK;
  });
}

}  // extern "C"
