// Encoder-side search over one iteration's code bits (`encode --effort`).
// The decoder is deterministic, so the encoder may send bits other than the
// ones the network's sign() proposes when they decode better; the bitstream
// and the decoder are unchanged.
//
// The objective of an iteration is D + lambda * R: D the SSIM error of the
// reconstruction (1 - SSIM of each 16x16 block, times its pixels, summed;
// the encoder measures it on R, G and B, TilePlanes::kRgb), R the context
// model's ideal cost of the iteration's bits.
//
// One round flips, at every coded position (at levels confined to last
// iterations: every position whose tile stops after this iteration), its
// r-th least confident bit (smallest |binarizer output|). Positions of one
// colour of a colouring of the code grid (SearchLevel::colouring, 2x2 at
// every level) are tried together in one decoder step, and a flip is kept
// when the error of the 3x3 blocks around its position plus lambda times
// the flipped bit's own cost change falls. The kept flips of all colours
// are then run together, and the round stands only if the whole
// iteration's objective falls, so the bits sent never score worse than the
// network's.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "entropy/code_coder.h"
#include "metrics/tile_ssim.h"
#include "nn/runtime_graph.h"

namespace qc {

// How hard an effort level searches: rounds per iteration (0 at effort 1:
// no search); the side of the colouring (positions tried together are
// `colouring` blocks apart, so a round takes colouring^2 decoder steps);
// the share of code positions an iteration must still code to be searched
// at all (a trial costs a whole-image decoder step however few positions
// it tries, so sparse late iterations pay least per step); and whether
// only positions coding their tile's last iteration may flip (no later
// iteration of that tile then codes the residual of a disturbed bit, which
// the network was not trained on).
struct SearchLevel {
  int rounds = 0;
  int colouring = 2;
  double min_share = 0;
  bool last_iteration_only = false;
};
SearchLevel search_level(int effort);
constexpr int kMaxEffort = 4;  // searching every iteration measured no better (docs/EFFORT.md)

struct SearchSetup {
  const TileSsim& quality;  // against the image, with 16-pixel tiles: one per code position
  SearchLevel level;
  double lambda = 0;  // SSIM error (pixels) per bit
  // The cost of this iteration's bits (-1/+1, 0 where masked) after the
  // iterations already coded.
  std::function<LastIterationCost(const std::vector<int8_t>& signs)> rate;
  // Whether this iteration is the last one code position p's tile codes
  // (read only at levels with last_iteration_only).
  std::function<bool(size_t p)> last_iteration = nullptr;
};

// SearchSetup::rate for iteration `iteration` of a pass whose earlier
// iterations are in `coded` and whose allocation is `map`.
LastIterationCost iteration_rate(const CodeStack& coded, const TileMap& map, int iteration,
                                 const std::vector<int8_t>& signs);

struct SearchOutcome {
  bool searched = false;         // false: too few positions coded (SearchLevel::min_share) or none may flip
  double network_objective = 0;  // D + lambda * R with the bits the network proposed
  double chosen_objective = 0;   // with the bits sent
  int flips = 0;                 // bits sent flipped
};

// signs: the network's bits (-1/+1, 0 where masked), replaced by the chosen
// ones; values: the binarizer's outputs in the same layout. decoder and
// x_hat come in before the iteration and leave advanced by the chosen bits.
SearchOutcome search_bits(const SearchSetup& setup, const std::vector<float>& values,
                          std::vector<int8_t>& signs, int code_channels, DecoderState& decoder,
                          std::vector<float>& x_hat);

}  // namespace qc
