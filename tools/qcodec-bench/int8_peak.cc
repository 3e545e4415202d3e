#include "tools/qcodec-bench/int8_peak.h"

#include <immintrin.h>

#include <ctime>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "nn/amx_tiles.h"
#include "nn/cpu_dispatch.h"

namespace qc {
namespace {

constexpr long kRounds = 50'000'000;
constexpr int kChains = 16;  // independent accumulators: more than latency x throughput
constexpr long kTileRounds = 2'000'000;
constexpr int kTileChains = 6;  // tiles 0-5 accumulate, 6 and 7 are the sources

// Written in asm so that the loop is exactly 16 VPDPBUSD zmm (zmm16..31)
// plus the loop counter, whatever the compiler's register allocation.
__attribute__((target("avx512f,avx512bw,avx512vnni"))) void dpbusd_stream() {
  __m512i a = _mm512_set1_epi8(1), b = _mm512_set1_epi8(-1);
  for (long r = 0; r < kRounds; ++r)
    __asm__ volatile(
        "vpdpbusd %[b], %[a], %%zmm16\n vpdpbusd %[b], %[a], %%zmm17\n"
        "vpdpbusd %[b], %[a], %%zmm18\n vpdpbusd %[b], %[a], %%zmm19\n"
        "vpdpbusd %[b], %[a], %%zmm20\n vpdpbusd %[b], %[a], %%zmm21\n"
        "vpdpbusd %[b], %[a], %%zmm22\n vpdpbusd %[b], %[a], %%zmm23\n"
        "vpdpbusd %[b], %[a], %%zmm24\n vpdpbusd %[b], %[a], %%zmm25\n"
        "vpdpbusd %[b], %[a], %%zmm26\n vpdpbusd %[b], %[a], %%zmm27\n"
        "vpdpbusd %[b], %[a], %%zmm28\n vpdpbusd %[b], %[a], %%zmm29\n"
        "vpdpbusd %[b], %[a], %%zmm30\n vpdpbusd %[b], %[a], %%zmm31\n"
        :
        : [a] "x"(a), [b] "x"(b)
        : "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25", "xmm26",
          "xmm27", "xmm28", "xmm29", "xmm30", "xmm31");
}

__attribute__((target("amx-tile,amx-int8"))) void tdpbsud_stream() {
  load_amx_tile_config();
  _tile_zero(6);
  _tile_zero(7);
  for (long r = 0; r < kTileRounds; ++r) {
    _tile_dpbsud(0, 6, 7);
    _tile_dpbsud(1, 6, 7);
    _tile_dpbsud(2, 6, 7);
    _tile_dpbsud(3, 6, 7);
    _tile_dpbsud(4, 6, 7);
    _tile_dpbsud(5, 6, 7);
  }
  _tile_release();
}

}  // namespace

const char* peak_instruction(Isa isa) {
  return isa == Isa::kAmx ? "TDPBSUD" : isa == Isa::kAvx512 ? "VPDPBUSD" : "none";
}

double thread_cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double measured_int8_peak(Isa isa, int threads) {
  if ((isa != Isa::kAvx512 && isa != Isa::kAmx) || !cpu_supports(isa)) return 0;
  const double macs =
      isa == Isa::kAmx ? 16.0 * 16 * 64 * kTileChains * kTileRounds : 64.0 * kChains * kRounds;
  std::vector<double> rate(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      const double start = thread_cpu_seconds();
      if (isa == Isa::kAmx)
        tdpbsud_stream();
      else
        dpbusd_stream();
      rate[t] = macs / (thread_cpu_seconds() - start);
    });
  for (auto& t : pool) t.join();
  double total = 0;
  for (double r : rate) total += r;
  return total;
}

double cpuinfo_mhz() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("cpu MHz", 0) == 0) return std::stod(line.substr(line.find(':') + 1));
  return 0;
}

}  // namespace qc
