// The qc::Error message of a call, for tests that check what a failure says.
#pragma once
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

}  // namespace qc::testing
