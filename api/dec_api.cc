// The C API's decoder half (include/qcodec/qcodec.h): models, decoding,
// info; everything libqcodec_dec has.
#include <cstdlib>
#include <cstring>
#include <string>

#include "api/api_support.h"
#include "codec/bitstream.h"
#include "nn/default_model.h"

namespace {

qc::DecodeOptions decode_options(const qc_decode_options* o) {
  qc::DecodeOptions options;
  if (o != nullptr) {
    options.threads = o->threads;
    options.max_iterations = o->max_iterations;
    options.max_bpp = o->max_bpp;
    options.accept_prefix = o->accept_prefix != 0;
  }
  return options;
}

const char kStreamName[] = "qcodec stream";

qc_status new_model(qc::Model model, qc_model** out) {
  *out = new qc_model{std::move(model)};
  return QC_OK;
}

}  // namespace

namespace qc::api {

std::string& last_error() {
  thread_local std::string message;
  return message;
}

qc_status status_of(ErrorKind kind, qc_status generic) {
  switch (kind) {
    case ErrorKind::kCorrupt:
      return QC_CORRUPT;
    case ErrorKind::kTruncated:
      return QC_TRUNCATED;
    case ErrorKind::kWrongModel:
      return QC_WRONG_MODEL;
    case ErrorKind::kUnsupportedVersion:
      return QC_UNSUPPORTED_VERSION;
    case ErrorKind::kOverLimit:
      return QC_OVER_LIMIT;
    case ErrorKind::kIo:
      return QC_IO_ERROR;
    case ErrorKind::kGeneric:
      break;
  }
  return generic;
}

uint8_t* copy_out(const uint8_t* data, size_t size) {
  uint8_t* out = static_cast<uint8_t*>(std::malloc(size > 0 ? size : 1));
  if (out == nullptr) throw std::bad_alloc();
  if (size > 0) std::memcpy(out, data, size);
  return out;
}

}  // namespace qc::api

using qc::api::copy_out;
using qc::api::guarded;
using qc::api::invalid;

extern "C" {

int qc_version(void) { return (QC_VERSION_MAJOR << 16) | (QC_VERSION_MINOR << 8) | QC_VERSION_PATCH; }

const char* qc_last_error(void) { return qc::api::last_error().c_str(); }

qc_status qc_model_builtin(qc_model** model) {
  return guarded(QC_CORRUPT, [&] {
    if (model == nullptr) return invalid("qc_model_builtin: model is NULL");
    const qc::EmbeddedBytes bytes = qc::default_model_bytes();
    if (bytes.size == 0) return invalid("this build of libqcodec has no built-in model");
    return new_model(qc::model_from_bytes(bytes.data, bytes.size, "built-in model"), model);
  });
}

qc_status qc_model_from_memory(const uint8_t* data, size_t size, qc_model** model) {
  return guarded(QC_CORRUPT, [&] {
    if (model == nullptr || (data == nullptr && size > 0))
      return invalid("qc_model_from_memory: NULL argument");
    return new_model(qc::model_from_bytes(data, size, "model in memory"), model);
  });
}

qc_status qc_model_from_file(const char* path, qc_model** model) {
  return guarded(QC_CORRUPT, [&] {
    if (model == nullptr || path == nullptr) return invalid("qc_model_from_file: NULL argument");
    return new_model(qc::model_from_file(path), model);
  });
}

void qc_model_free(qc_model* model) { delete model; }

void qc_decode_options_init(qc_decode_options* options) {
  if (options != nullptr) *options = qc_decode_options{0, 0, 0.0, 0};
}

qc_status qc_decode(const qc_model* model, const uint8_t* data, size_t size, const qc_decode_options* options,
                    qc_image* image) {
  return guarded(QC_CORRUPT, [&] {
    if (model == nullptr || data == nullptr || image == nullptr) return invalid("qc_decode: NULL argument");
    const qc::DecodeResult r = qc::decode(data, size, model->model, decode_options(options), kStreamName);
    image->pixels = copy_out(r.image.pixels.data(), r.image.pixels.size());
    image->width = r.image.width;
    image->height = r.image.height;
    image->layout = static_cast<qc_layout>(r.image.channels);
    image->iterations = r.iterations;
    image->file_iterations = r.file_iterations;
    return QC_OK;
  });
}

qc_status qc_decode_into(const qc_model* model, const uint8_t* data, size_t size,
                         const qc_decode_options* options, uint8_t* buffer, size_t buffer_size, int stride) {
  return guarded(QC_CORRUPT, [&] {
    if (model == nullptr || data == nullptr || buffer == nullptr)
      return invalid("qc_decode_into: NULL argument");
    const bool prefix = options != nullptr && options->accept_prefix;
    const qc::QcHeader h = qc::read_qc_header(data, size, kStreamName, prefix);
    const size_t row = static_cast<size_t>(h.width) * h.channels;
    if (stride < 0 || static_cast<size_t>(stride) < row ||
        buffer_size < static_cast<size_t>(stride) * (h.height - 1) + row) {
      qc::api::last_error() = "qc_decode_into: the buffer is too small for " + std::to_string(h.width) + "x" +
                              std::to_string(h.height) + "x" + std::to_string(h.channels);
      return QC_BUFFER_TOO_SMALL;
    }
    const qc::DecodeResult r = qc::decode(data, size, model->model, decode_options(options), kStreamName);
    for (int y = 0; y < r.image.height; ++y)
      std::memcpy(buffer + static_cast<size_t>(y) * stride, r.image.pixels.data() + y * row, row);
    return QC_OK;
  });
}

qc_status qc_get_info(const uint8_t* data, size_t size, int accept_prefix, qc_info* info) {
  return guarded(QC_CORRUPT, [&] {
    if (data == nullptr || info == nullptr) return invalid("qc_get_info: NULL argument");
    const qc::QcHeader h = qc::read_qc_header(data, size, kStreamName, accept_prefix != 0);
    info->format_version = h.version;
    info->width = static_cast<int>(h.width);
    info->height = static_cast<int>(h.height);
    info->layout = static_cast<qc_layout>(h.channels);
    info->iterations = h.iterations;
    info->model_fingerprint = h.model_fingerprint;
    info->file_bytes = h.total_bytes;
    info->complete_iterations = h.complete_iterations;
    return QC_OK;
  });
}

void qc_free(void* pointer) { std::free(pointer); }

}  // extern "C"
