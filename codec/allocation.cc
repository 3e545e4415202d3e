#include "codec/allocation.h"

#include <algorithm>

namespace qc {
namespace {

// Fewest iterations at which each tile reaches `threshold` (max if never).
std::vector<uint8_t> counts_for_threshold(const AllocationTables& t, float threshold) {
  std::vector<uint8_t> counts(t.tiles);
  for (int tile = 0; tile < t.tiles; ++tile) {
    int k = 0;
    while (k < t.iterations && t.quality_at(tile, k) < threshold) ++k;
    counts[tile] = static_cast<uint8_t>(k);
  }
  return counts;
}

// Each tile's k maximising weight * quality - lambda * cost.
std::vector<uint8_t> counts_for_lambda(const AllocationTables& t, double lambda) {
  std::vector<uint8_t> counts(t.tiles);
  for (int tile = 0; tile < t.tiles; ++tile) {
    double best = t.weight[tile] * t.quality_at(tile, 0), spent = 0;
    int best_k = 0;
    for (int k = 1; k <= t.iterations; ++k) {
      spent += t.cost[static_cast<size_t>(k - 1) * t.tiles + tile];
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

}  // namespace

uint64_t allocation_cost(const AllocationTables& t, const std::vector<uint8_t>& counts) {
  uint64_t sum = 0;
  for (int tile = 0; tile < t.tiles; ++tile) {
    for (int k = 0; k < counts[tile]; ++k) sum += t.cost[static_cast<size_t>(k) * t.tiles + tile];
  }
  return sum;
}

std::vector<uint8_t> allocate(const AllocationTables& t, uint64_t budget, AllocationRule rule) {
  // Both rules have one scalar knob whose cost is monotone in it: bisect it.
  // Threshold: cost grows with the threshold. Lambda: cost shrinks with lambda.
  double lo, hi;
  if (rule == AllocationRule::kThreshold) {
    lo = -1.0;
    hi = 1.0 + 1e-6;
  } else {
    lo = 0.0;
    hi = 1.0;
    while (allocation_cost(t, counts_for_lambda(t, hi)) > budget && hi < 1e12) hi *= 4;
  }
  auto counts_at = [&](double knob) {
    return rule == AllocationRule::kThreshold ? counts_for_threshold(t, static_cast<float>(knob))
                                              : counts_for_lambda(t, knob);
  };
  // Invariant: the "safe" end fits the budget (or is the cheapest possible).
  double safe = rule == AllocationRule::kThreshold ? lo : hi;
  double bold = rule == AllocationRule::kThreshold ? hi : lo;
  if (allocation_cost(t, counts_at(bold)) <= budget) return counts_at(bold);
  for (int step = 0; step < 60; ++step) {
    const double mid = 0.5 * (safe + bold);
    if (allocation_cost(t, counts_at(mid)) <= budget) {
      safe = mid;
    } else {
      bold = mid;
    }
  }
  return counts_at(safe);
}

}  // namespace qc
