// The CPU's int8 multiply-accumulate peak on a kernel path, measured: per
// thread a stream of independent VPDPBUSD zmm instructions (64 int8 MACs
// each) for avx512, of TDPBSUD on 16 x 64 byte tiles (16,384 MACs each) for
// amx.
#pragma once

#include "nn/cpu_dispatch.h"

namespace qc {

// MACs per second summed over `threads` threads running at once, each rate
// taken over the thread's own CPU time (so other load on the machine does not
// lower it); 0 for the paths without a peak stream (scalar, avx2) and those
// this CPU lacks.
double measured_int8_peak(Isa isa, int threads);
// The instruction the stream of `isa` times ("VPDPBUSD", "TDPBSUD").
const char* peak_instruction(Isa isa);
double thread_cpu_seconds();
// "cpu MHz" of the first processor in /proc/cpuinfo, 0 if unknown.
double cpuinfo_mhz();

}  // namespace qc
