#include "tools/qcodec/cli_support.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "base/error.h"
#include "base/file_io.h"
#include "nn/default_model.h"

namespace qc::cli {

Model load_model(const std::string& path) {
  if (!path.empty()) return model_from_file(path);
  EmbeddedBytes bytes = default_model_bytes();
  if (bytes.size == 0) throw Error("this build has no built-in model (pass --model FILE)");
  return model_from_bytes(bytes.data, bytes.size, "built-in model");
}

std::vector<uint8_t> read_input(const std::string& path, size_t max_bytes) {
  if (!is_stdio(path)) return read_file(path, max_bytes);
  std::vector<uint8_t> data;
  uint8_t chunk[1 << 16];
  size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, stdin)) > 0) {
    if (data.size() + n > max_bytes) {
      throw Error("standard input: over the limit of " + std::to_string(max_bytes) + " bytes");
    }
    data.insert(data.end(), chunk, chunk + n);
  }
  if (std::ferror(stdin)) throw Error("standard input: read failed");
  return data;
}

std::string default_output(const std::string& input, const std::string& extension) {
  if (is_stdio(input)) throw Error("reading standard input needs -o OUT (or -o - for standard output)");
  const size_t slash = input.find_last_of('/');
  const size_t dot = input.find_last_of('.');
  const bool has_extension = dot != std::string::npos && (slash == std::string::npos || dot > slash + 1);
  return (has_extension ? input.substr(0, dot) : input) + extension;
}

void check_output(const std::string& output, const std::string& input, bool force) {
  if (is_stdio(output)) return;
  struct stat out_stat, in_stat;
  if (!is_stdio(input) && ::stat(output.c_str(), &out_stat) == 0 && ::stat(input.c_str(), &in_stat) == 0 &&
      out_stat.st_dev == in_stat.st_dev && out_stat.st_ino == in_stat.st_ino) {
    throw Error(output + ": is the input file; choose another output name");
  }
  if (!force && file_exists(output)) throw Error(output + ": already exists (use -f to overwrite)");
}

void write_output(const std::string& path, const std::vector<uint8_t>& bytes, bool force) {
  if (!is_stdio(path)) {
    write_file_atomic(path, bytes, force ? Overwrite::kAllow : Overwrite::kRefuse);
    return;
  }
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
    throw Error("cannot write to standard output");
  }
}

FILE* summary_stream(const std::string& output) { return is_stdio(output) ? stderr : stdout; }

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
