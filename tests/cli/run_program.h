// Runs a program to completion and captures what it printed, for tests that
// drive the command-line tools end to end.
#pragma once
#include <string>
#include <vector>

namespace qc::testing {

struct ProgramResult {
  int exit_code = -1;  // 128 + signal number if a signal killed it
  std::string out;
  std::string err;
};

// args[0] is the program's path. Standard output goes to stdout_path when
// given (e.g. /dev/full), else it is captured in `out`.
ProgramResult run_program(const std::vector<std::string>& args, const std::string& stdout_path = "");

}  // namespace qc::testing
