#include "eval/progress.h"

#include <cstdio>

namespace qc {

std::string format_duration(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char text[32];
  if (s < 60) {
    std::snprintf(text, sizeof text, "%lds", s);
  } else if (s < 3600) {
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, s / 60 % 60);
  }
  return text;
}

ProgressBar::ProgressBar(size_t total, bool enabled)
    : total_(total), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}

void ProgressBar::advance(const std::string& what) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++done_;
  if (enabled_) draw(what);
}

void ProgressBar::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (enabled_) std::fputc('\n', stderr);
  enabled_ = false;
}

void ProgressBar::draw(const std::string& what) {
  constexpr int kWidth = 30;
  double fraction = total_ ? static_cast<double>(done_) / total_ : 1.0;
  int filled = static_cast<int>(fraction * kWidth);
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string eta = done_ ? format_duration(elapsed / done_ * (total_ - done_)) : "?";
  std::fprintf(stderr, "\r[%s%s] %zu/%zu %3d%% ETA %-7s %-40.40s", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), done_, total_, static_cast<int>(fraction * 100),
               eta.c_str(), what.c_str());
  std::fflush(stderr);
}

}  // namespace qc
