// Loops of plain float arithmetic compiled for several vector widths and
// picked by the CPU at load time (function multiversioning). With
// -ffp-contract=off every clone performs the same IEEE operations in the same
// order as the scalar code, so all clones give the same bits.
#pragma once

#if defined(__x86_64__)
#define QC_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define QC_VECTOR_CLONES
#endif
