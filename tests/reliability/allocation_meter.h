// Counts the bytes held through operator new, so a test can bound what a
// call allocates. Linking allocation_meter.cc replaces the global operator
// new and delete of the whole test program: keep it to one test binary.
#pragma once
#include <cstddef>

namespace qc::testing {

// The largest number of bytes held at once, above what was held when the
// meter started, until peak() is read.
class AllocationMeter {
 public:
  AllocationMeter();
  size_t peak() const;

 private:
  size_t start_;
};

}  // namespace qc::testing
