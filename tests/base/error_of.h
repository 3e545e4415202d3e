// The qc::Error message or kind of a call, for tests that check what a
// failure says.
#pragma once
#include <optional>
#include <string>

#include "base/error.h"

namespace qc::testing {

// The qc::Error message of f(), or "" if it did not throw.
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// The qc::Error kind of f() (what the C API maps to its status), or nullopt
// if it did not throw.
template <typename F>
std::optional<ErrorKind> kind_of(F f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  return std::nullopt;
}

}  // namespace qc::testing
