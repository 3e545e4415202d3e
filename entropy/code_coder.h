// Entropy coding of a code stack given its allocation map. Bits of a tile at
// iterations >= its count are not coded and decode as 0.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "entropy/code_stack.h"

namespace qc {

// enc_code_coder.cc
std::vector<uint8_t> encode_codes(const CodeStack& stack, const TileMap& map);

// What coding a stack costs: the exact payload size, and the model's ideal
// cost (sum of -log2 P(bit)) split by iteration (1/65536 bit) and by
// (iteration, tile) (1/256 bit) -- the additive table rate control can search.
struct CodeCost {
  size_t bytes = 0;                     // == encode_codes(stack, map).size()
  std::vector<uint64_t> iteration_cost;  // [iteration], 1/65536 bit
  std::vector<uint32_t> tile_cost;       // [iteration][tile], 1/256 bit
  int tiles = 0;
};
CodeCost measure_codes(const CodeStack& stack, const TileMap& map);

// Estimated payload bytes of `map` over the stack that `cost` was measured on
// (typically with every tile at full count): the sum of the tiles' costs at
// the iterations the map keeps. Ignores how contexts change with the map, so
// use measure_codes for the final, exact figure.
size_t estimate_code_bytes(const CodeCost& cost, const TileMap& map);

// dec_code_coder.cc. `map` must already be validated against the shape (the
// container does); `name` labels errors.
CodeStack decode_codes(const uint8_t* data, size_t size, int iterations, int channels, int rows,
                       int cols, const TileMap& map, const std::string& name);

}  // namespace qc
