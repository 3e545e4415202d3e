#include "tools/qcodec/cli_support.h"

#include <unistd.h>

#include <cstdio>

#include "base/error.h"
#include "base/file_io.h"
#include "quant/default_model.h"

namespace qc::cli {

Model load_model(const std::string& path) {
  if (!path.empty()) return model_from_file(path);
  EmbeddedBytes bytes = default_model_bytes();
  if (bytes.size == 0) throw Error("this build has no built-in model (pass --model FILE)");
  return model_from_bytes(bytes.data, bytes.size, "built-in model");
}

std::string replace_extension(const std::string& path, const std::string& extension) {
  const size_t slash = path.find_last_of('/');
  const size_t dot = path.find_last_of('.');
  const bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
  return (has_extension ? path.substr(0, dot) : path) + extension;
}

void check_output(const std::string& path, bool force) {
  if (!force && file_exists(path)) throw Error(path + ": already exists (use -f to overwrite)");
}

void write_output(const std::string& path, const std::vector<uint8_t>& bytes, bool force) {
  write_file_atomic(path, bytes, force ? Overwrite::kAllow : Overwrite::kRefuse);
}

Progress progress_line(const std::string& label, bool quiet) {
  if (quiet || !::isatty(STDERR_FILENO)) return nullptr;
  return [label](double done) {
    std::fprintf(stderr, "\r%s %3d%%", label.c_str(), static_cast<int>(done * 100));
    if (done >= 1.0) std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  };
}

void add_common_options(CLI::App& command, CommonOptions& options) {
  command.add_option("--threads", options.threads, "worker threads (default: all cores)")
      ->check(CLI::Range(0, 256));
  command.add_option("--model", options.model, "a .qcm model instead of the built-in one");
  command.add_flag("-f,--force", options.force, "overwrite the output file if it exists");
  command.add_flag("--quiet", options.quiet, "no progress and no summary");
}

}  // namespace qc::cli
