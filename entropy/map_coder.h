// Coding of the allocation map (iterations per tile) with the binary range
// coder: each count is predicted from its causal neighbours (LOCO-I median
// predictor) and coded as "equal to the prediction?", the direction, and the
// distance in adaptive truncated unary.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "entropy/code_stack.h"

namespace qc {

// enc_map_coder.cc; counts must be <= iterations (checked).
std::vector<uint8_t> encode_tile_map(const TileMap& map, int iterations);

// dec_map_coder.cc; throws qc::Error naming `name` if a decoded count is out
// of range (the bytes were not made by encode_tile_map).
TileMap decode_tile_map(const uint8_t* data, size_t size, int tile, int tiles_x, int tiles_y, int iterations,
                        const std::string& name);

}  // namespace qc
