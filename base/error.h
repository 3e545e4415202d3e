// One exception type for every user-facing failure: its message is the single
// line the command-line tools print, and its kind is what the C API returns.
#pragma once
#include <stdexcept>
#include <string>

namespace qc {

enum class ErrorKind {
  kGeneric,             // bad input or options, not one of the kinds below
  kCorrupt,             // the bytes are not what a writer made
  kTruncated,           // the file ends early
  kWrongModel,          // made by another model
  kUnsupportedVersion,  // a newer format than this build reads
  kOverLimit,           // beyond a size limit (docs/LIMITS.md)
  kIo,                  // a file could not be read or written
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ErrorKind kind = ErrorKind::kGeneric)
      : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace qc
