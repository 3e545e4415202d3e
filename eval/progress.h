// A one-line progress bar with an ETA on stderr, for long evaluations. It
// draws only when enabled (the caller passes isatty(stderr)), so logs and
// pipes stay clean. Safe to advance from many threads.
#pragma once
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace qc {

class ProgressBar {
 public:
  ProgressBar(size_t total, bool enabled);
  void advance(const std::string& what);  // one unit done; `what` names it
  void finish();                          // ends the line

 private:
  void draw(const std::string& what);

  size_t total_, done_ = 0;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

// "42s", "3m05s", "1h02m".
std::string format_duration(double seconds);

}  // namespace qc
