// Starting a program (or a function in a forked child) that a test can
// interrupt, with the resource limits a test wants to impose on it.
#pragma once
#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace qc::testing {

struct ChildOptions {
  long file_size_limit = -1;    // RLIMIT_FSIZE in bytes, -1 to leave it
  bool ignore_sigxfsz = false;  // then an oversized write fails with EFBIG instead
  std::string stderr_path;      // where the child's stderr goes ("" = /dev/null)
};

// Forks; the child applies the options and runs body, then _exit(0)s. Signal
// handlers are inherited as they are.
pid_t start_child(const std::function<void()>& body, const ChildOptions& options = {});
// Forks and executes args[0] with args (stdin and stdout are /dev/null).
pid_t start_program(const std::vector<std::string>& args, const ChildOptions& options = {});

struct ChildEnd {
  bool signaled = false;
  int code = -1;  // exit status, or the signal number when signaled
};
ChildEnd wait_child(pid_t pid);

}  // namespace qc::testing
