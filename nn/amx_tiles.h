// The one AMX tile configuration qcodec uses: palette 1, tiles 0-7 each 16
// rows x 64 bytes. Loaded from static storage, because GCC 12 does not treat
// LDTILECFG's memory operand as a read and may drop the stores that fill a
// local one.
#pragma once

namespace qc {

// Loads that configuration on the calling thread. x86-64 with AMX only (see
// cpu_supports(Isa::kAmx)); pair it with _tile_release() when done.
void load_amx_tile_config();

}  // namespace qc
