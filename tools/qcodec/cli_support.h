// What the codec subcommands share: model choice, output naming and safe
// writing, progress on a terminal.
#pragma once
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "codec/codec.h"

namespace qc::cli {

// --model FILE, or the model built into this binary when path is empty.
Model load_model(const std::string& path);

// "-" names standard input or output, as for cwebp, cjxl and avifenc.
inline bool is_stdio(const std::string& path) { return path == "-"; }
// How messages name an input.
inline std::string input_name(const std::string& path) { return is_stdio(path) ? "standard input" : path; }

// The whole input file, or standard input for "-", up to max_bytes.
std::vector<uint8_t> read_input(const std::string& path, size_t max_bytes);

// The default output name: IN with its extension replaced by `extension`
// ("photo.png" -> "photo.qc"). Standard input has no name to derive one
// from, so it needs -o.
std::string default_output(const std::string& input, const std::string& extension);

// Fails early (before any work) when `output` exists and -f was not given,
// and always when it is the input file itself (the same inode), which -f
// must not destroy.
void check_output(const std::string& output, const std::string& input, bool force);

// Writes atomically (standard output for "-"); never replaces an existing
// file unless force.
void write_output(const std::string& path, const std::vector<uint8_t>& bytes, bool force);

// Where a command's one-line summary goes: standard error when the data
// itself goes to standard output.
FILE* summary_stream(const std::string& output);

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
