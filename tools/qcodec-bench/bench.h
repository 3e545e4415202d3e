// qcodec-bench: the packed int8 runtime against LibTorch float (oneDNN) on
// the same network, per layer and whole, at 1 and 2 threads, plus the
// fraction of the measured int8 peak reached, and a memory run on a large
// image.
#pragma once
#include <string>
#include <vector>

#include "nn/model_file.h"

namespace qc {

struct BenchOptions {
  int width = 512, height = 512;            // image of the per-layer and network runs
  int repeats = 3;                          // best of
  int memory_width = 0, memory_height = 0;  // > 0: only the memory run
  std::vector<int> threads = {1, 2};
};

// A model to benchmark and what to call it.
struct BenchModel {
  std::string label;
  QcmModel model;
};

// Runs everything and returns the report, as text or JSON.
std::string run_bench(const std::vector<BenchModel>& models, const BenchOptions& options, bool json);
// One coding iteration (encode + decode) on a memory_width x memory_height
// image; reports time, state bytes and the process's peak RSS.
std::string run_memory_bench(const BenchModel& model, const BenchOptions& options, bool json);

}  // namespace qc
