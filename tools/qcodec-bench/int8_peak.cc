#include "tools/qcodec-bench/int8_peak.h"

#include <immintrin.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "quant/cpu_dispatch.h"

namespace qc {
namespace {

constexpr int kChains = 16;  // > latency x throughput, so the ports stay busy
constexpr long kRounds = 50'000'000;

__attribute__((target("avx512f,avx512bw,avx512vnni"))) int dpbusd_stream() {
  __m512i acc[kChains];
  for (int i = 0; i < kChains; ++i) acc[i] = _mm512_set1_epi32(i);
  const __m512i a = _mm512_set1_epi8(1), b = _mm512_set1_epi8(-1);
  for (long r = 0; r < kRounds; ++r) {
#pragma GCC unroll 16
    for (int i = 0; i < kChains; ++i) acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
    __asm__ volatile("" : "+v"(acc[0]), "+v"(acc[5]), "+v"(acc[10]), "+v"(acc[15]));
  }
  alignas(64) int lanes[kChains][16];
  for (int i = 0; i < kChains; ++i) _mm512_store_si512(lanes[i], acc[i]);
  int sum = 0;
  for (auto& chain : lanes) for (int v : chain) sum += v;
  return sum;
}

}  // namespace

double measured_int8_peak(int threads) {
  if (!cpu_supports(Isa::kAvx512)) return 0;
  std::atomic<int> sink{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back([&] { sink += dpbusd_stream(); });
  for (auto& t : pool) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return 64.0 * kChains * kRounds * threads / seconds;
}

double cpuinfo_mhz() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("cpu MHz", 0) == 0) return std::stod(line.substr(line.find(':') + 1));
  return 0;
}

}  // namespace qc
