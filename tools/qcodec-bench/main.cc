// qcodec-bench [--json] [--size WxH] [--repeats N] [--threads 1,2] [--bases N]
//              [--model FILE.qcm] [--memory WxH]
// Benchmarks the packed runtime against LibTorch float on a random model of
// the default architecture and on models/shipped/default.qcm when it exists
// (or --model). --memory runs one coding iteration on a large image instead.
#include <cstdio>
#include <cstring>
#include <string>

#include "base/error.h"
#include "base/file_io.h"
#include "nn/random_model.h"
#include "tools/qcodec-bench/bench.h"

namespace {

void parse_size(const std::string& text, int& width, int& height) {
  if (std::sscanf(text.c_str(), "%dx%d", &width, &height) != 2 || width <= 0 || height <= 0 || width % 16 ||
      height % 16 || width > 16384 || height > 16384)
    throw qc::Error("bad size '" + text + "': want WxH, multiples of 16, at most 16384");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    qc::BenchOptions options;
    bool json = false;
    int bases = 1;
    std::string model_path = "models/shipped/default.qcm";
    bool model_given = false;
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw qc::Error(arg + ": missing value");
        return argv[++i];
      };
      if (arg == "--json") {
        json = true;
      } else if (arg == "--size") {
        parse_size(value(), options.width, options.height);
      } else if (arg == "--memory") {
        parse_size(value(), options.memory_width, options.memory_height);
      } else if (arg == "--repeats") {
        options.repeats = std::max(1, std::stoi(value()));
      } else if (arg == "--bases") {
        bases = std::stoi(value());
        if (bases < 1 || bases > qc::kMaxQcmBases) throw qc::Error("--bases: 1 to 8");
      } else if (arg == "--threads") {
        options.threads.clear();
        std::string list = value();
        for (size_t at = 0; at < list.size();) {
          size_t end = list.find(',', at);
          if (end == std::string::npos) end = list.size();
          int t = std::stoi(list.substr(at, end - at));
          if (t < 1 || t > 256) throw qc::Error("--threads: 1 to 256");
          options.threads.push_back(t);
          at = end + 1;
        }
        if (options.threads.empty()) throw qc::Error("--threads: empty list");
      } else if (arg == "--model") {
        model_path = value();
        model_given = true;
      } else {
        throw qc::Error("unknown argument '" + arg + "' (see the comment in tools/qcodec-bench/main.cc)");
      }
    }
    std::vector<qc::BenchModel> models;
    if (!model_given)
      models.push_back({"random default architecture, " + std::to_string(bases) + " basis",
                        qc::random_qcm_model(qc::ArchConfig{}, bases, 1)});
    if (model_given || qc::file_exists(model_path))
      models.push_back({model_path, qc::load_qcm_file(model_path)});
    std::string report = options.memory_width > 0 ? qc::run_memory_bench(models.front(), options, json)
                                                  : qc::run_bench(models, options, json);
    std::fputs(report.c_str(), stdout);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qcodec-bench: %s\n", e.what());
    return 1;
  }
}
