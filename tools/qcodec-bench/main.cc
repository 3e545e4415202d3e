// qcodec-bench: the packed runtime against LibTorch float, per layer and
// whole network, on a random model of the default architecture and on the
// shipped model (or --model); --memory runs one coding iteration on a large
// image instead.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "base/error.h"
#include "base/file_io.h"
#include "nn/random_model.h"
#include "tools/qcodec-bench/bench.h"

namespace {

// WxH, multiples of 16 (the network's stride), at most 16384 a side.
void parse_size(const std::string& text, int& width, int& height) {
  if (std::sscanf(text.c_str(), "%dx%d", &width, &height) != 2 || width <= 0 || height <= 0 || width % 16 ||
      height % 16 || width > 16384 || height > 16384)
    throw qc::Error("bad size '" + text + "': want WxH, multiples of 16, at most 16384");
}

int run(int argc, char** argv) {
  qc::BenchOptions options;
  bool json = false;
  int bases = 1;
  std::string size, memory;
  std::string model_path = "models/shipped/default.qcm";
  CLI::App app(
      "The packed int8 runtime against LibTorch float (oneDNN) on the same network, per layer and whole, "
      "and the share of this machine's measured int8 peak the kernels reach. Runs the best kernel path "
      "of this CPU, or the one QC_ISA names (scalar, avx2, avx512, amx)");
  app.add_flag("--json", json, "print JSON instead of a text report");
  app.add_option("--size", size, "image size of the layer and network runs, WxH (default 512x512)");
  app.add_option("--repeats", options.repeats, "best of this many runs")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--threads", options.threads, "thread counts to run, e.g. 1,2")
      ->delimiter(',')
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--bases", bases, "binary bases per layer of the random model")
      ->check(CLI::Range(1, qc::kMaxQcmBases))
      ->capture_default_str();
  CLI::Option* model_option =
      app.add_option("--model", model_path, "a .qcm to run instead of the random model and the shipped one");
  app.add_option("--memory", memory, "only one coding iteration on a WxH image: time, state bytes, peak RSS");
  CLI11_PARSE(app, argc, argv);
  if (!size.empty()) parse_size(size, options.width, options.height);
  if (!memory.empty()) parse_size(memory, options.memory_width, options.memory_height);

  const bool model_given = model_option->count() > 0;
  std::vector<qc::BenchModel> models;
  if (!model_given)
    models.push_back({"random default architecture, " + std::to_string(bases) + " basis",
                      qc::random_qcm_model(qc::ArchConfig{}, bases, 1)});
  if (model_given || qc::file_exists(model_path))
    models.push_back({model_path, qc::load_qcm_file(model_path)});
  const std::string report = options.memory_width > 0 ? qc::run_memory_bench(models.front(), options, json)
                                                      : qc::run_bench(models, options, json);
  std::fputs(report.c_str(), stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "qcodec-bench: %s\n", e.what());
    return 1;
  }
}
