// What the bench programs share: their JSON result on stdout (and in a file
// when asked), and one-line errors with exit status 1.
#pragma once
#include <cstdio>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/file_io.h"

namespace qc::bench {

// Prints the result and, when `path` is not empty, writes it there atomically.
inline void emit_result(const nlohmann::ordered_json& result, const std::string& path) {
  const std::string text = result.dump(2) + "\n";
  std::cout << text;
  if (!path.empty())
    write_file_atomic(path, std::vector<uint8_t>(text.begin(), text.end()), Overwrite::kAllow);
}

// Runs a bench's body; any failure is "NAME: cause" on stderr and exit 1.
template <class Body>
int run_main(const char* name, Body body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    return 1;
  }
}

}  // namespace qc::bench
