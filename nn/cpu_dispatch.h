// Runtime CPU dispatch for the kernels (libwebp style): one table of function
// pointers, chosen once from the CPU, or forced by QC_ISA
// (scalar|avx2|avx512|amx) or by force_isa() so that every path can be tested.
#pragma once
#include <vector>

#include "nn/activation_tensor.h"
#include "nn/binary_kernels.h"

namespace qc {

enum class Isa { kScalar, kAvx2, kAvx512, kAmx };
inline constexpr Isa kAllIsas[] = {Isa::kScalar, Isa::kAvx2, Isa::kAvx512, Isa::kAmx};  // worst to best

const char* isa_name(Isa isa);
bool cpu_supports(Isa isa);
std::vector<Isa> supported_isas();  // scalar first, best last

// One path's kernels; every path computes the same bits.
struct Kernels {
  BinaryRowKernel row;      // the binary conv's integer core (binary_kernels.h)
  QuantizeKernel quantize;  // activation quantization (activation_tensor.h)
};

// The kernels in use. The first call picks them: QC_ISA when set (qc::Error if
// unknown or unsupported by this CPU), else the best supported.
const Kernels& kernels();
Isa active_isa();
// Switches every later call to `isa` (throws if unsupported). Not to be called
// while a network is running on another thread.
void force_isa(Isa isa);

}  // namespace qc
