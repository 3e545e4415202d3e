// One exception type for every user-facing failure: its message is the single
// line the command-line tools print.
#pragma once
#include <stdexcept>
#include <string>

namespace qc {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace qc
