// What this CPU (and the OS) lets a process run, read once from CPUID and
// XGETBV. The hardware differs from one machine to the next, so every path
// that needs an extension asks here at run time instead of assuming it.
#pragma once
#include <string>

namespace qc {

struct CpuFeatures {
  bool avx512_bf16 = false;  // AVX512_BF16 (VCVTNE2PS2BF16, VDPBF16PS), AVX-512 state enabled
  bool amx_bf16 = false;     // AMX-TILE + AMX-BF16, tile state enabled by the OS
  bool amx_int8 = false;     // AMX-TILE + AMX-INT8, tile state enabled by the OS

  // Native bf16 arithmetic: the trainer's `--precision auto` picks bf16 here.
  bool native_bf16() const { return avx512_bf16 || amx_bf16; }
  std::string describe() const;  // e.g. "avx512_bf16 amx_bf16 amx_int8", or "none"
};

const CpuFeatures& cpu_features();

// Linux leaves AMX tile data off for a process until it asks for it
// (arch_prctl ARCH_REQ_XCOMP_PERM); a tile instruction before that faults.
// Asks once per process; true when granted (false without AMX or off Linux).
bool amx_tiles_permitted();

}  // namespace qc
