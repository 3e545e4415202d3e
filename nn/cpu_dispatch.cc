#include "nn/cpu_dispatch.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

#include "base/cpu_features.h"
#include "base/error.h"

namespace qc {
namespace {

Kernels table_for(Isa isa) {
#if defined(__x86_64__)
  if (isa == Isa::kAmx) return {binary_row_amx, quantize_values_avx512};
  if (isa == Isa::kAvx512) return {binary_row_avx512, quantize_values_avx512};
  if (isa == Isa::kAvx2) return {binary_row_avx2, quantize_values_portable};
#endif
  (void)isa;
  return {binary_row_scalar, quantize_values_portable};
}

Isa initial_isa() {
  const char* forced = std::getenv("QC_ISA");
  if (forced == nullptr || *forced == '\0') return supported_isas().back();
  for (Isa isa : kAllIsas) {
    if (std::strcmp(forced, isa_name(isa)) != 0) continue;
    if (!cpu_supports(isa)) throw Error(std::string("QC_ISA=") + forced + ": not supported by this CPU");
    return isa;
  }
  throw Error(std::string("QC_ISA=") + forced +
              ": unknown (use scalar, avx2, avx512 or amx, or leave it unset)");
}

struct Selection {
  Isa isa;
  Kernels kernels;
};

Selection& selection() {
  static Selection s = [] {
    Isa isa = initial_isa();
    return Selection{isa, table_for(isa)};
  }();
  return s;
}

}  // namespace

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kAmx:
      return "amx";
    case Isa::kAvx512:
      return "avx512";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kScalar:
      break;
  }
  return "scalar";
}

bool cpu_supports(Isa isa) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  switch (isa) {
    case Isa::kAmx:  // its tails run on the AVX-512 path
      return cpu_features().amx_int8 && cpu_supports(Isa::kAvx512) && amx_tiles_permitted();
    case Isa::kAvx512:
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512vnni");
    case Isa::kAvx2:
      return __builtin_cpu_supports("avx2");
    case Isa::kScalar:
      return true;
  }
  return false;
#else
  return isa == Isa::kScalar;
#endif
}

std::vector<Isa> supported_isas() {
  std::vector<Isa> out;
  for (Isa isa : kAllIsas)
    if (cpu_supports(isa)) out.push_back(isa);
  return out;
}

const Kernels& kernels() { return selection().kernels; }
Isa active_isa() { return selection().isa; }

void force_isa(Isa isa) {
  if (!cpu_supports(isa)) throw Error(std::string("ISA ") + isa_name(isa) + " is not supported by this CPU");
  selection() = Selection{isa, table_for(isa)};
}

}  // namespace qc
