#include "tests/reliability/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace qc::testing {
namespace {

// Runs in the forked child: only async-signal-safe calls.
void apply(const ChildOptions& options) {
  if (options.file_size_limit >= 0) {
    rlimit limit;
    ::getrlimit(RLIMIT_FSIZE, &limit);
    limit.rlim_cur = static_cast<rlim_t>(options.file_size_limit);
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(126);
  }
  if (options.ignore_sigxfsz) ::signal(SIGXFSZ, SIG_IGN);
  const int null_fd = ::open("/dev/null", O_RDWR);
  ::dup2(null_fd, 0);
  ::dup2(null_fd, 1);
  const int err_fd = options.stderr_path.empty()
                         ? null_fd
                         : ::open(options.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::dup2(err_fd, 2);
}

pid_t checked_fork() {
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  return pid;
}

}  // namespace

pid_t start_child(const std::function<void()>& body, const ChildOptions& options) {
  const pid_t pid = checked_fork();
  if (pid == 0) {
    apply(options);
    body();
    ::_exit(0);
  }
  return pid;
}

pid_t start_program(const std::vector<std::string>& args, const ChildOptions& options) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = checked_fork();
  if (pid == 0) {
    // Ignored signals stay ignored across exec: start the program with the
    // default actions (unless told to ignore SIGXFSZ).
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGXFSZ}) ::signal(sig, SIG_DFL);
    apply(options);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

ChildEnd wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  }
  ChildEnd end;
  end.signaled = WIFSIGNALED(status);
  end.code = end.signaled ? WTERMSIG(status) : WEXITSTATUS(status);
  return end;
}

}  // namespace qc::testing
