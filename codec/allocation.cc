#include "codec/allocation.h"

#include <algorithm>
#include <cmath>
#include <queue>

#include "nn/architecture.h"

namespace qc {
namespace {

// Fewest iterations at which each tile reaches `threshold` (max if never).
std::vector<uint8_t> counts_for_threshold(const AllocationTables& t, float threshold) {
  std::vector<uint8_t> counts(t.tiles);
  for (int tile = 0; tile < t.tiles; ++tile) {
    const int first = std::min(kMinTileIterations, t.iterations);
    int k = first, best = first;
    while (k < t.iterations && t.quality_at(tile, k) < threshold) {
      ++k;
      if (t.quality_at(tile, k) > t.quality_at(tile, best)) best = k;
    }
    // A tile that never reaches the threshold stops where it was best.
    counts[tile] = static_cast<uint8_t>(t.quality_at(tile, k) >= threshold ? k : best);
  }
  return counts;
}

// Each tile's k maximising weight * quality - lambda * cost.
std::vector<uint8_t> counts_for_lambda(const AllocationTables& t, double lambda) {
  std::vector<uint8_t> counts(t.tiles);
  for (int tile = 0; tile < t.tiles; ++tile) {
    const int first = std::min(kMinTileIterations, t.iterations);
    double best = -1e300, spent = 0;
    int best_k = first;
    for (int k = 0; k <= t.iterations; ++k) {
      if (k > 0) spent += t.cost[static_cast<size_t>(k - 1) * t.tiles + tile];
      if (k < first) continue;
      const double value = t.weight[tile] * t.quality_at(tile, k) - lambda * spent;
      if (value > best) {
        best = value;
        best_k = k;
      }
    }
    counts[tile] = static_cast<uint8_t>(best_k);
  }
  return counts;
}

uint32_t next_cost(const AllocationTables& t, int tile, int count) {
  return t.cost[static_cast<size_t>(count) * t.tiles + tile];
}

std::vector<uint8_t> counts_for_uniform(const AllocationTables& t, double knob) {
  const int k = std::clamp(static_cast<int>(knob), std::min(kMinTileIterations, t.iterations), t.iterations);
  return std::vector<uint8_t>(t.tiles, static_cast<uint8_t>(k));
}

// What the rule values most in giving `tile` its next iteration.
double priority(const AllocationTables& t, int tile, int count, AllocationRule rule) {
  if (rule == AllocationRule::kThreshold) return -t.quality_at(tile, count);  // worst tile first
  const double gain = t.weight[tile] * (t.quality_at(tile, count + 1) - t.quality_at(tile, count));
  return gain / (1.0 + next_cost(t, tile, count));
}

// The bisection's knob moves whole groups of tiles at once; spend what is
// left of the budget one (tile, iteration) at a time, best first.
void fill(const AllocationTables& t, uint64_t budget, AllocationRule rule, AllocationCeiling ceiling,
          std::vector<uint8_t>& counts) {
  uint64_t left = budget - std::min(budget, allocation_cost(t, counts));
  using Entry = std::pair<double, int>;
  std::priority_queue<Entry> queue;
  for (int tile = 0; tile < t.tiles; ++tile) {
    if (counts[tile] < t.iterations) queue.push({priority(t, tile, counts[tile], rule), tile});
  }
  while (!queue.empty()) {
    const int tile = queue.top().second;
    queue.pop();
    const bool lowers = t.quality_at(tile, counts[tile] + 1) <= t.quality_at(tile, counts[tile]);
    if (lowers && ceiling == AllocationCeiling::kTileQuality) continue;
    const uint32_t cost = next_cost(t, tile, counts[tile]);
    if (cost > left) continue;  // too dear now; cheaper tiles may still fit
    left -= cost;
    if (++counts[tile] < t.iterations) queue.push({priority(t, tile, counts[tile], rule), tile});
  }
}

// The largest useful count of a uniform allocation: the iteration after
// which the tiles' total quality stops rising.
int best_uniform_count(const AllocationTables& t) {
  int best = std::min(kMinTileIterations, t.iterations);
  double best_quality = -1e300;
  for (int k = best; k <= t.iterations; ++k) {
    double q = 0;
    for (int tile = 0; tile < t.tiles; ++tile) q += t.weight[tile] * t.quality_at(tile, k);
    if (q > best_quality) {
      best_quality = q;
      best = k;
    }
  }
  return best;
}

}  // namespace

int analysis_depth(double bpp, int code_channels, int max_iterations) {
  constexpr double kDepth = 4.0;
  const double raw_bpp_per_iteration =
      code_channels / static_cast<double>(ArchConfig::kStride * ArchConfig::kStride);
  const double depth = std::ceil(kDepth * bpp / raw_bpp_per_iteration);
  return static_cast<int>(std::clamp(depth, 1.0, static_cast<double>(std::max(1, max_iterations))));
}

uint64_t allocation_cost(const AllocationTables& t, const std::vector<uint8_t>& counts) {
  uint64_t sum = 0;
  for (int tile = 0; tile < t.tiles; ++tile) {
    for (int k = 0; k < counts[tile]; ++k) sum += t.cost[static_cast<size_t>(k) * t.tiles + tile];
  }
  return sum;
}

std::vector<uint8_t> allocate(const AllocationTables& t, uint64_t budget, AllocationRule rule,
                              AllocationCeiling ceiling) {
  // Every rule has one scalar knob whose cost is monotone in it: bisect it.
  // Threshold and uniform count: cost grows with the knob. Lambda: it shrinks.
  double lo, hi;
  if (rule == AllocationRule::kThreshold) {
    lo = -1.0;
    hi = 1.0 + 1e-6;
  } else if (rule == AllocationRule::kUniform || rule == AllocationRule::kTopUp) {
    lo = 0.0;
    hi = (ceiling == AllocationCeiling::kAllIterations ? t.iterations : best_uniform_count(t)) + 0.5;
  } else {
    lo = 0.0;
    hi = 1.0;
    while (allocation_cost(t, counts_for_lambda(t, hi)) > budget && hi < 1e12) hi *= 4;
  }
  auto counts_at = [&](double knob) {
    switch (rule) {
      case AllocationRule::kThreshold:
        return counts_for_threshold(t, static_cast<float>(knob));
      case AllocationRule::kUniform:
      case AllocationRule::kTopUp:
        return counts_for_uniform(t, knob);
      case AllocationRule::kLagrangian:
        break;
    }
    return counts_for_lambda(t, knob);
  };
  // Invariant: the "safe" end fits the budget (or is the cheapest possible).
  const bool grows = rule != AllocationRule::kLagrangian;
  double safe = grows ? lo : hi;
  double bold = grows ? hi : lo;
  if (allocation_cost(t, counts_at(bold)) <= budget) safe = bold;
  for (int step = 0; step < 60 && safe != bold; ++step) {
    const double mid = 0.5 * (safe + bold);
    if (allocation_cost(t, counts_at(mid)) <= budget) {
      safe = mid;
    } else {
      bold = mid;
    }
  }
  std::vector<uint8_t> counts = counts_at(safe);
  if (rule != AllocationRule::kUniform) fill(t, budget, rule, ceiling, counts);
  return counts;
}

}  // namespace qc
