// Temporary files that must not outlive their process. While a PendingFile
// is alive, a fatal signal (SIGINT, SIGTERM, SIGHUP, SIGXFSZ) removes the
// path before the process dies of the signal, so an interrupted write leaves
// no stray "<path>.XXXXXX" behind. The handlers are installed on first use
// and only for signals that still have their default action: a program's own
// handlers are left alone.
#pragma once
#include <string>

namespace qc {

class PendingFile {
 public:
  explicit PendingFile(const std::string& path);
  ~PendingFile();  // the path is no longer removed on a signal
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

 private:
  int slot_;  // -1 when the path could not be registered (table full, path too long)
};

}  // namespace qc
