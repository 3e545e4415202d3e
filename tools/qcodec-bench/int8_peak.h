// The CPU's int8 multiply-accumulate peak, measured: a stream of independent
// VPDPBUSD zmm instructions (64 int8 MACs each) per thread.
#pragma once

namespace qc {

// MACs per second summed over `threads` threads running at once, each rate
// taken over the thread's own CPU time (so other load on the machine does not
// lower it); 0 when the CPU has no AVX-512 VNNI.
double measured_int8_peak(int threads);
double thread_cpu_seconds();
// "cpu MHz" of the first processor in /proc/cpuinfo, 0 if unknown.
double cpuinfo_mhz();

}  // namespace qc
