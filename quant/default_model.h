// The model embedded in a binary by qc_embed_model() (cmake/EmbedModel.cmake).
// Only targets that call qc_embed_model may use this header.
#pragma once
#include <cstddef>
#include <cstdint>

#include "base/error.h"
#include "quant/model_file.h"

namespace qc {

struct EmbeddedBytes {
  const uint8_t* data;
  size_t size;  // 0 when the build had no model file to embed
};

EmbeddedBytes default_model_bytes();  // defined by the generated source

inline QcmModel load_default_model() {
  EmbeddedBytes bytes = default_model_bytes();
  if (bytes.size == 0) throw Error("built-in model: this build embeds no model (pass --model)");
  return parse_qcm(bytes.data, bytes.size, "built-in model");
}

}  // namespace qc
