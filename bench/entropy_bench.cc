// qcodec-bench-entropy: speed and efficiency of the code-bit coder on a
// Kodak-sized code stack (768x512 pixels: 48x32 positions, 32 channels, 16
// iterations) from sources of known entropy, and allocation-map coding
// compared with zstd. Counters:
//   Mbit/s       code bits (present bits) per second on one core
//   coded_B      payload bytes
//   model_B      the model's ideal code length, sum of -log2 P(bit) / 8
//   source_B     the source's ideal code length (its true probabilities) / 8
//   coded/model  arithmetic-coder overhead; coded/source modelling overhead
#include <benchmark/benchmark.h>
#include <zstd.h>

#include "entropy/code_coder.h"
#include "entropy/map_coder.h"
#include "tests/entropy/synthetic_codes.h"

namespace {

using qc::test::SyntheticCodes;

constexpr int kIterations = 16, kChannels = 32, kRows = 32, kCols = 48;

SyntheticCodes source(int kind) {
  switch (kind) {
    case 0:
      return qc::test::iid_codes(kIterations, kChannels, kRows, kCols, 0.1, 1);
    case 1:
      return qc::test::iid_codes(kIterations, kChannels, kRows, kCols, 0.3, 2);
    case 2:
      return qc::test::iid_codes(kIterations, kChannels, kRows, kCols, 0.5, 3);
    default:
      return qc::test::markov_codes(kIterations, kChannels, kRows, kCols, 4);
  }
}
const char* kSourceNames[] = {"iid_p0.1", "iid_p0.3", "iid_p0.5", "markov"};

void report_sizes(benchmark::State& state, const SyntheticCodes& s, const qc::TileMap& map) {
  const qc::CodeCost cost = qc::measure_codes(s.stack, map);
  double model_bits = 0;
  for (uint64_t c : cost.iteration_cost) model_bits += c / 65536.0;
  const double coded = static_cast<double>(cost.bytes);
  state.counters["coded_B"] = coded;
  state.counters["model_B"] = model_bits / 8;
  state.counters["source_B"] = s.ideal_bits / 8;
  state.counters["coded/model"] = coded * 8 / model_bits;
  state.counters["coded/source"] = coded * 8 / s.ideal_bits;
  state.counters["Mbit/s"] = benchmark::Counter(static_cast<double>(s.stack.bits.size()) * 1e-6,
                                                benchmark::Counter::kIsIterationInvariantRate);
}

void BM_EncodeCodes(benchmark::State& state) {
  const SyntheticCodes s = source(static_cast<int>(state.range(0)));
  const qc::TileMap map(2, kRows, kCols, kIterations);
  for (auto _ : state) benchmark::DoNotOptimize(qc::encode_codes(s.stack, map));
  state.SetLabel(kSourceNames[state.range(0)]);
  report_sizes(state, s, map);
}
BENCHMARK(BM_EncodeCodes)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

void BM_DecodeCodes(benchmark::State& state) {
  const SyntheticCodes s = source(static_cast<int>(state.range(0)));
  const qc::TileMap map(2, kRows, kCols, kIterations);
  const qc::CodedCodes coded = qc::encode_codes(s.stack, map);
  for (auto _ : state)
    benchmark::DoNotOptimize(qc::decode_codes(coded.bytes.data(), coded.bytes.size(), coded.iteration_bytes,
                                              kIterations, kChannels, kRows, kCols, map, "bench"));
  state.SetLabel(kSourceNames[state.range(0)]);
  report_sizes(state, s, map);
}
BENCHMARK(BM_DecodeCodes)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);

// What rate control pays to learn the exact size and per-tile costs.
void BM_MeasureCodes(benchmark::State& state) {
  const SyntheticCodes s = source(3);
  const qc::TileMap map(2, kRows, kCols, kIterations);
  for (auto _ : state) benchmark::DoNotOptimize(qc::measure_codes(s.stack, map));
  state.counters["Mbit/s"] = benchmark::Counter(static_cast<double>(s.stack.bits.size()) * 1e-6,
                                                benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_MeasureCodes)->Unit(benchmark::kMillisecond);

// Allocation map of a Kodak image at tile 2 (24 x 16 tiles): our coder vs zstd -19.
void BM_MapCoder(benchmark::State& state) {
  const bool smooth = state.range(0) == 0;
  const qc::TileMap map = smooth ? qc::test::smooth_map(kRows, kCols, 2, kIterations, 8, 5)
                                 : qc::test::random_map(kRows, kCols, 2, kIterations, 6);
  size_t ours = 0;
  for (auto _ : state) {
    const std::vector<uint8_t> bytes = qc::encode_tile_map(map, kIterations);
    ours = bytes.size();
    benchmark::DoNotOptimize(bytes);
  }
  std::vector<uint8_t> z(ZSTD_compressBound(map.counts.size()));
  const size_t zstd_bytes = ZSTD_compress(z.data(), z.size(), map.counts.data(), map.counts.size(), 19);
  state.SetLabel(smooth ? "smooth map" : "random map");
  state.counters["tiles"] = static_cast<double>(map.counts.size());
  state.counters["ours_B"] = static_cast<double>(ours);
  state.counters["zstd19_B"] = static_cast<double>(zstd_bytes);
}
BENCHMARK(BM_MapCoder)->DenseRange(0, 1);

}  // namespace

BENCHMARK_MAIN();
