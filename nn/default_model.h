// The model embedded in a binary by qc_embed_model() (cmake/EmbedModel.cmake).
// Only targets that call qc_embed_model may use this header.
#pragma once
#include <cstddef>
#include <cstdint>

namespace qc {

struct EmbeddedBytes {
  const uint8_t* data;
  size_t size;  // 0 when the build had no model file to embed
};

EmbeddedBytes default_model_bytes();  // defined by the generated source

}  // namespace qc
