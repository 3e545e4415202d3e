// What the C API's encoder and decoder halves share: exceptions turned into
// status codes with a per-thread message, and buffers handed to the caller.
#pragma once
#include <cstddef>
#include <cstdint>
#include <exception>
#include <new>
#include <string>

#include "base/error.h"
#include "codec/codec.h"
#include "qcodec/qcodec.h"

struct qc_model {
  qc::Model model;
};

namespace qc::api {

std::string& last_error();  // this thread's

qc_status status_of(ErrorKind kind, qc_status generic);

inline qc_status invalid(const std::string& message) {
  last_error() = message;
  return QC_INVALID_ARGUMENT;
}

// Runs `body`, which returns a status; any exception becomes one. `generic`
// is what an unclassified qc::Error means there (bad arguments for an
// encoder, bad bytes for a reader).
template <class Body>
qc_status guarded(qc_status generic, Body&& body) {
  last_error().clear();
  try {
    return body();
  } catch (const Error& e) {
    last_error() = e.what();
    return status_of(e.kind(), generic);
  } catch (const std::bad_alloc&) {
    last_error() = "out of memory";
    return QC_OUT_OF_MEMORY;
  } catch (const std::exception& e) {
    last_error() = e.what();
    return generic;
  }
}

// A malloc'd copy, for the caller to qc_free.
uint8_t* copy_out(const uint8_t* data, size_t size);

}  // namespace qc::api
