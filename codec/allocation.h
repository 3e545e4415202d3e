// Spatially adaptive bit allocation: how many iterations each tile gets.
// Works on tables measured in an analysis pass (every tile coded to the
// maximum): the quality of each tile after k iterations and the cost of each
// (iteration, tile).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "entropy/code_stack.h"

namespace qc {

enum class AllocationRule {
  kThreshold,   // each tile gets the fewest iterations that reach a common quality
  kLagrangian,  // each tile maximises quality - lambda * bits (equal marginal gain per bit)
  kUniform,     // every tile the same count (the rate lands on the count below the target)
  kTopUp,       // the largest uniform count that fits, the rest spent by gain per bit
};

// How far a budget larger than the rule's best allocation may go.
enum class AllocationCeiling {
  kTileQuality,    // never an iteration that lowers its tile's measured quality
  kAllIterations,  // on to the tables' last iteration, least harmful first
};

struct AllocationTables {
  int iterations = 0;
  int tiles = 0;
  std::vector<float> quality;  // [tile][k], k = 0..iterations (tile SSIM after k iterations)
  std::vector<float> weight;   // [tile] pixels of the tile inside the image
  std::vector<uint32_t> cost;  // [iteration][tile], 1/256 bit (entropy/code_coder.h)

  float quality_at(int tile, int k) const {
    return quality[static_cast<size_t>(tile) * (iterations + 1) + k];
  }
};

// The iterations worth analysing for a rate target: those that 4x the
// target's raw code bits would need (tiles hardly ever want more, and deep
// analysis is costly), within 1..max_iterations.
int analysis_depth(double bpp, int code_channels, int max_iterations);

// Estimated payload bits (1/256 bit) of giving each tile counts[tile] iterations.
uint64_t allocation_cost(const AllocationTables& tables, const std::vector<uint8_t>& counts);

// Every tile gets at least this many iterations. 0: a tile may get no bits
// at all (the decoder is trained with tiles that stop before the first
// iteration and fills them from their coded neighbours), which is how the
// rate goes below one iteration everywhere.
constexpr int kMinTileIterations = 0;

// The allocation with the most quality whose estimated cost fits in budget
// (1/256 bit); every tile gets kMinTileIterations if nothing more fits.
// Under kTileQuality no tile gets an iteration that lowers its measured
// quality, so a large budget may be left partly unspent; kAllIterations spends it.
std::vector<uint8_t> allocate(const AllocationTables& tables, uint64_t budget, AllocationRule rule,
                              AllocationCeiling ceiling = AllocationCeiling::kTileQuality);

}  // namespace qc
