#include "codec/allocation.h"

#include <algorithm>
#include <queue>

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

uint32_t next_cost(const AllocationTables& t, int tile, int count) {
  return t.cost[static_cast<size_t>(count) * t.tiles + tile];
}

// What the rule values most in giving `tile` its next iteration.
double priority(const AllocationTables& t, int tile, int count, AllocationRule rule) {
  if (rule == AllocationRule::kThreshold) return -t.quality_at(tile, count);  // worst tile first
  const double gain = t.weight[tile] * (t.quality_at(tile, count + 1) - t.quality_at(tile, count));
  return gain / (1.0 + next_cost(t, tile, count));
}

// The bisection's knob moves whole groups of tiles at once; spend what is
// left of the budget one (tile, iteration) at a time, best first.
void fill(const AllocationTables& t, uint64_t budget, AllocationRule rule,
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
    const uint32_t cost = next_cost(t, tile, counts[tile]);
    if (cost > left) continue;  // too dear now; cheaper tiles may still fit
    left -= cost;
    if (++counts[tile] < t.iterations) queue.push({priority(t, tile, counts[tile], rule), tile});
  }
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
  fill(t, budget, rule, counts);
  return counts;
}

}  // namespace qc
