#include "base/cpu_features.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif
#if defined(__x86_64__) && defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace qc {
namespace {

#if defined(__x86_64__)
// XCR0: which register states the OS saves on a context switch. An
// extension whose state is not enabled faults even when CPUID lists it.
unsigned long long xcr0() {
  unsigned eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}

CpuFeatures detect() {
  CpuFeatures f;
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return f;  // no OSXSAVE
  const unsigned long long xcr = xcr0();
  const bool avx512_state = (xcr & 0xe6) == 0xe6;                // SSE, AVX, opmask, ZMM
  const bool tile_state = (xcr & (3ull << 17)) == (3ull << 17);  // XTILECFG, XTILEDATA
  if (__get_cpuid_max(0, nullptr) < 7) return f;
  __cpuid_count(7, 0, a, b, c, d);
  const bool avx512f = b & (1u << 16);
  const bool amx_tile = d & (1u << 24);
  f.amx_bf16 = tile_state && amx_tile && (d & (1u << 22));
  f.amx_int8 = tile_state && amx_tile && (d & (1u << 25));
  __cpuid_count(7, 1, a, b, c, d);
  f.avx512_bf16 = avx512_state && avx512f && (a & (1u << 5));
  return f;
}
#else
CpuFeatures detect() { return {}; }
#endif

}  // namespace

std::string CpuFeatures::describe() const {
  std::string out;
  auto add = [&out](bool present, const char* name) {
    if (!present) return;
    if (!out.empty()) out += ' ';
    out += name;
  };
  add(avx512_bf16, "avx512_bf16");
  add(amx_bf16, "amx_bf16");
  add(amx_int8, "amx_int8");
  return out.empty() ? "none" : out;
}

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();
  return features;
}

bool amx_tiles_permitted() {
#if defined(__x86_64__) && defined(__linux__)
  static const bool granted = [] {
    if (!cpu_features().amx_int8 && !cpu_features().amx_bf16) return false;
    constexpr long kReqXcompPerm = 0x1023, kXfeatureXtiledata = 18;  // <asm/prctl.h>
    return syscall(SYS_arch_prctl, kReqXcompPerm, kXfeatureXtiledata) == 0;
  }();
  return granted;
#else
  return false;
#endif
}

}  // namespace qc
