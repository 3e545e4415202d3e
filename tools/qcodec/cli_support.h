// What the codec subcommands share: model choice, output naming and safe
// writing, progress on a terminal.
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "codec/codec.h"

namespace qc::cli {

// --model FILE, or the model built into this binary when path is empty.
Model load_model(const std::string& path);

// IN with its extension replaced by `extension` ("photo.png" -> "photo.qc").
std::string replace_extension(const std::string& path, const std::string& extension);

// Fails early (before any work) when `path` exists and -f was not given.
void check_output(const std::string& path, bool force);

// Writes atomically; never replaces an existing file unless force.
void write_output(const std::string& path, const std::vector<uint8_t>& bytes, bool force);

// A progress line on stderr, only when stderr is a terminal and not quiet.
Progress progress_line(const std::string& label, bool quiet);

// Adds the options every codec command has: --threads, --model, -f, --quiet.
struct CommonOptions {
  int threads = 0;
  std::string model;
  bool force = false;
  bool quiet = false;
};
void add_common_options(CLI::App& command, CommonOptions& options);

}  // namespace qc::cli
