// Entropy coding of a code stack given its allocation map. Bits of a tile at
// iterations >= its count are not coded and decode as 0.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "entropy/code_stack.h"

namespace qc {

// The coded payload: one range-coder stream per iteration, back to back. The
// context model carries on from one stream into the next, so the first n
// streams alone decode iterations 1..n (prefix and truncated decoding).
struct CodedCodes {
  std::vector<uint8_t> bytes;
  std::vector<size_t> iteration_bytes;  // [iteration] stream length; sums to bytes.size()
};

// enc_code_coder.cc
CodedCodes encode_codes(const CodeStack& stack, const TileMap& map);

// What coding a stack costs: the exact payload size, and the model's ideal
// cost (sum of -log2 P(bit)) split by iteration (1/65536 bit) and by
// (iteration, tile) (1/256 bit) -- the additive table rate control can search.
struct CodeCost {
  size_t bytes = 0;                      // == encode_codes(stack, map).bytes.size()
  std::vector<uint64_t> iteration_cost;  // [iteration], 1/65536 bit
  std::vector<uint32_t> tile_cost;       // [iteration][tile], 1/256 bit
  int tiles = 0;
};
CodeCost measure_codes(const CodeStack& stack, const TileMap& map);

// The rate an encoder's bit search weighs (codec/bit_search.h): the model's
// ideal cost of the last iteration of `stack` given the ones before it, and
// for each of that iteration's present bits ([channel][row][col]) how much
// its own cost changes if it is flipped. First order: the bits whose
// contexts it feeds are not re-costed. In bits.
struct LastIterationCost {
  double bits = 0;
  std::vector<float> flip_delta;
};
LastIterationCost measure_last_iteration(const CodeStack& stack, const TileMap& map);

// dec_code_coder.cc. Decodes the first `iterations` iterations; `map` covers
// the grid with counts <= iterations (the container caps and validates it).
// iteration_bytes: the stream lengths of CodedCodes, at least `iterations`
// of them, laid out from `data` on; empty: one stream for every iteration
// (format 1). `name` labels errors.
CodeStack decode_codes(const uint8_t* data, size_t size, const std::vector<size_t>& iteration_bytes,
                       int iterations, int channels, int rows, int cols, const TileMap& map,
                       const std::string& name);

}  // namespace qc
