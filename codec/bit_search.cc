#include "codec/bit_search.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace qc {
namespace {

// The decoder run from `before` with one choice of bits, and its error per block.
struct Run {
  DecoderState state;
  std::vector<float> x_hat;
  std::vector<double> error;  // per 16x16 block: (1 - SSIM) x pixels
  double total = 0;
};

Run run(const TileSsim& quality, const std::vector<float>& weight, const DecoderState& before,
        const std::vector<float>& x_hat, const std::vector<int8_t>& signs) {
  Run r{before, x_hat, {}, 0};
  r.state.step(signs.data(), r.x_hat.data());
  const std::vector<float> ssim = quality.measure(r.x_hat);
  r.error.resize(ssim.size());
  for (size_t i = 0; i < ssim.size(); ++i) {
    r.error[i] = (1.0 - ssim[i]) * weight[i];
    r.total += r.error[i];
  }
  return r;
}

// The error of the 3x3 blocks around (row, col): what a flip there changes most.
double neighbourhood(const std::vector<double>& error, int rows, int cols, int row, int col) {
  double sum = 0;
  for (int y = std::max(0, row - 1); y <= std::min(rows - 1, row + 1); ++y)
    for (int x = std::max(0, col - 1); x <= std::min(cols - 1, col + 1); ++x)
      sum += error[static_cast<size_t>(y) * cols + x];
  return sum;
}

}  // namespace

LastIterationCost iteration_rate(const CodeStack& coded, const TileMap& map, int iteration,
                                 const std::vector<int8_t>& signs) {
  const size_t per_iteration = signs.size();
  CodeStack prefix(iteration + 1, coded.channels, coded.rows, coded.cols);
  std::copy_n(coded.bits.begin(), iteration * per_iteration, prefix.bits.begin());
  for (size_t b = 0; b < per_iteration; ++b) prefix.bits[iteration * per_iteration + b] = signs[b] > 0;
  return measure_last_iteration(prefix, map.capped(iteration + 1));
}

SearchLevel search_level(int effort) {
  // Measured on six Kodak images at 0.125-1 bpp (docs/EFFORT.md).
  static constexpr SearchLevel kLevels[kMaxEffort] = {
      {0, 2, 0, false}, {4, 2, 0.25, true}, {8, 2, 0.25, true}, {16, 2, 0.25, true}};
  return kLevels[std::clamp(effort, 1, kMaxEffort) - 1];
}

SearchOutcome search_bits(const SearchSetup& setup, const std::vector<float>& values,
                          std::vector<int8_t>& signs, int code_channels, DecoderState& decoder,
                          std::vector<float>& x_hat) {
  const TileGrid& grid = setup.quality.grid();
  const int rows = grid.tiles_y(), cols = grid.tiles_x();
  const size_t positions = static_cast<size_t>(rows) * cols;
  // Masked positions read 0 in every channel.
  const size_t coded = positions - std::count(signs.begin(), signs.begin() + positions, 0);
  // Masked positions never flip; at levels confined to last iterations,
  // only positions whose tile stops here do.
  std::vector<bool> may_flip(positions);
  for (size_t p = 0; p < positions; ++p)
    may_flip[p] = signs[p] != 0 && (!setup.level.last_iteration_only || setup.last_iteration(p));
  SearchOutcome outcome;
  if (std::find(may_flip.begin(), may_flip.end(), true) == may_flip.end() ||
      coded < setup.level.min_share * positions) {
    decoder.step(signs.data(), x_hat.data());
    return outcome;
  }
  outcome.searched = true;
  const std::vector<float> weight = tile_pixel_counts(grid);
  Run best = run(setup.quality, weight, decoder, x_hat, signs);
  LastIterationCost rate = setup.rate(signs);  // of the bits as they stand
  double best_objective = best.total + setup.lambda * rate.bits;
  outcome.network_objective = best_objective;

  // Each flippable position's channels, least confident first.
  std::vector<std::vector<uint8_t>> order(positions);
  for (size_t p = 0; p < positions; ++p) {
    if (!may_flip[p]) continue;
    order[p].resize(code_channels);
    std::iota(order[p].begin(), order[p].end(), 0);
    std::stable_sort(order[p].begin(), order[p].end(), [&](int a, int b) {
      return std::fabs(values[a * positions + p]) < std::fabs(values[b * positions + p]);
    });
  }
  auto flip_at = [&](std::vector<int8_t>& bits, size_t p, int round) {
    int8_t& bit = bits[order[p][round] * positions + p];
    bit = static_cast<int8_t>(-bit);
  };

  const int side = setup.level.colouring;
  for (int round = 0; round < std::min(setup.level.rounds, code_channels); ++round) {
    const std::vector<float>& flip_rate = rate.flip_delta;  // each flip's own rate change
    std::vector<int8_t> kept = signs;
    int flipped = 0;
    for (int colour = 0; colour < side * side; ++colour) {
      std::vector<int8_t> trial = signs;
      std::vector<size_t> tried;
      for (int row = colour / side; row < rows; row += side)
        for (int col = colour % side; col < cols; col += side) {
          const size_t p = static_cast<size_t>(row) * cols + col;
          if (order[p].empty()) continue;
          flip_at(trial, p, round);
          tried.push_back(p);
        }
      if (tried.empty()) continue;
      const Run t = run(setup.quality, weight, decoder, x_hat, trial);
      for (size_t p : tried) {
        const int row = static_cast<int>(p / cols), col = static_cast<int>(p % cols);
        const double gain =
            neighbourhood(best.error, rows, cols, row, col) - neighbourhood(t.error, rows, cols, row, col);
        if (gain > setup.lambda * flip_rate[order[p][round] * positions + p]) {
          flip_at(kept, p, round);
          ++flipped;
        }
      }
    }
    if (flipped == 0) continue;
    // Flips of neighbouring colours interact: keep the round only if they
    // help together.
    Run together = run(setup.quality, weight, decoder, x_hat, kept);
    LastIterationCost kept_rate = setup.rate(kept);
    const double objective = together.total + setup.lambda * kept_rate.bits;
    if (objective < best_objective) {
      signs = std::move(kept);
      rate = std::move(kept_rate);
      best = std::move(together);
      best_objective = objective;
      outcome.flips += flipped;
    }
  }
  outcome.chosen_objective = best_objective;
  decoder = std::move(best.state);
  x_hat = std::move(best.x_hat);
  return outcome;
}

}  // namespace qc
