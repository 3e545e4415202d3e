#include "codec/allocation.h"

#include <gtest/gtest.h>

#include <random>

namespace qc {
namespace {

// Tiles whose quality rises with diminishing returns at different speeds and
// costs; tile t gains (t + 1) times as fast as tile 0.
AllocationTables synthetic_tables(int tiles, int iterations) {
  AllocationTables t;
  t.tiles = tiles;
  t.iterations = iterations;
  std::mt19937 rng(3);
  for (int tile = 0; tile < tiles; ++tile) {
    for (int k = 0; k <= iterations; ++k) {
      t.quality.push_back(1.0f - 0.9f / (1.0f + 0.3f * (tile % 5 + 1) * k));
    }
    t.weight.push_back(1024.0f);
  }
  for (int k = 0; k < iterations; ++k) {
    for (int tile = 0; tile < tiles; ++tile) t.cost.push_back(256 * (40 + rng() % 40));
  }
  return t;
}

double total_quality(const AllocationTables& t, const std::vector<uint8_t>& counts) {
  double q = 0;
  for (int tile = 0; tile < t.tiles; ++tile) q += t.quality_at(tile, counts[tile]);
  return q;
}

constexpr AllocationRule kAllRules[] = {AllocationRule::kThreshold, AllocationRule::kLagrangian,
                                        AllocationRule::kUniform, AllocationRule::kTopUp};

class AllocationRules : public ::testing::TestWithParam<AllocationRule> {};

TEST_P(AllocationRules, StaysWithinBudgetAndUsesMoreWhenGivenMore) {
  AllocationTables t = synthetic_tables(60, 12);
  const uint64_t full = allocation_cost(t, std::vector<uint8_t>(t.tiles, t.iterations));
  uint64_t previous_cost = 0;
  double previous_quality = 0;
  // Every share is above the minimum (one iteration each, 1/12 of the full cost).
  for (double share : {0.15, 0.2, 0.4, 0.7, 0.95}) {
    const uint64_t budget = static_cast<uint64_t>(share * full);
    std::vector<uint8_t> counts = allocate(t, budget, GetParam());
    const uint64_t cost = allocation_cost(t, counts);
    EXPECT_LE(cost, budget);
    if (GetParam() != AllocationRule::kUniform) {  // uniform moves in whole iterations
      EXPECT_GT(cost, budget * 0.85) << "share " << share << " leaves too much unused";
    }
    EXPECT_GE(cost, previous_cost);
    EXPECT_GE(total_quality(t, counts), previous_quality);
    previous_cost = cost;
    previous_quality = total_quality(t, counts);
  }
}

TEST_P(AllocationRules, ExtremeBudgets) {
  AllocationTables t = synthetic_tables(10, 8);
  EXPECT_EQ(allocate(t, 0, GetParam()), std::vector<uint8_t>(10, kMinTileIterations));
  const uint64_t full = allocation_cost(t, std::vector<uint8_t>(10, 8));
  EXPECT_EQ(allocation_cost(t, allocate(t, full * 2, GetParam())), full);
}

INSTANTIATE_TEST_SUITE_P(Both, AllocationRules, ::testing::ValuesIn(kAllRules),
                         [](const ::testing::TestParamInfo<AllocationRule>& info) {
                           switch (info.param) {
                             case AllocationRule::kThreshold:
                               return "Threshold";
                             case AllocationRule::kLagrangian:
                               return "Lagrangian";
                             case AllocationRule::kTopUp:
                               return "TopUp";
                             case AllocationRule::kUniform:
                               break;
                           }
                           return "Uniform";
                         });

TEST(Allocation, LagrangianBeatsUniformAtEqualCost) {
  AllocationTables t = synthetic_tables(60, 12);
  std::vector<uint8_t> uniform(t.tiles, 4);
  const uint64_t budget = allocation_cost(t, uniform);
  std::vector<uint8_t> adaptive = allocate(t, budget, AllocationRule::kLagrangian);
  EXPECT_GT(total_quality(t, adaptive), total_quality(t, uniform));
}

TEST(Allocation, TopUpKeepsTheUniformCountAndSpendsTheRest) {
  AllocationTables t = synthetic_tables(60, 12);
  const uint64_t budget = allocation_cost(t, std::vector<uint8_t>(t.tiles, 4)) * 6 / 5;
  const std::vector<uint8_t> uniform = allocate(t, budget, AllocationRule::kUniform);
  const std::vector<uint8_t> topped = allocate(t, budget, AllocationRule::kTopUp);
  ASSERT_EQ(uniform[0], 4);
  for (int tile = 0; tile < t.tiles; ++tile) EXPECT_GE(topped[tile], uniform[tile]) << tile;
  EXPECT_GT(allocation_cost(t, topped), allocation_cost(t, uniform));
  EXPECT_GT(total_quality(t, topped), total_quality(t, uniform));
}

TEST(Allocation, ThresholdEqualisesQuality) {
  AllocationTables t = synthetic_tables(20, 12);
  const uint64_t full = allocation_cost(t, std::vector<uint8_t>(t.tiles, t.iterations));
  std::vector<uint8_t> counts = allocate(t, full / 3, AllocationRule::kThreshold);
  // Fast-improving tiles (larger tile % 5) need no more iterations than slow ones.
  for (int tile = 0; tile + 1 < 5; ++tile) EXPECT_GE(counts[tile], counts[tile + 1]);
}

// Tables whose tiles get worse after their second iteration.
AllocationTables peaking_tables() {
  AllocationTables t = synthetic_tables(12, 8);
  for (int tile = 0; tile < t.tiles; ++tile) {
    for (int k = 3; k <= t.iterations; ++k) {
      t.quality[static_cast<size_t>(tile) * (t.iterations + 1) + k] = t.quality_at(tile, 2) - 0.01f * k;
    }
  }
  return t;
}

TEST(Allocation, NeverSpendsOnIterationsThatLowerQuality) {
  const AllocationTables t = peaking_tables();
  for (AllocationRule rule : kAllRules) {
    for (uint8_t c : allocate(t, UINT64_MAX / 2, rule)) EXPECT_LE(c, 2) << static_cast<int>(rule);
  }
}

TEST(Allocation, AllIterationsCeilingSpendsPastThePeakWithinTheBudget) {
  const AllocationTables t = peaking_tables();
  const uint64_t full = allocation_cost(t, std::vector<uint8_t>(t.tiles, t.iterations));
  const uint64_t peak = allocation_cost(t, std::vector<uint8_t>(t.tiles, 2));
  for (AllocationRule rule : kAllRules) {
    EXPECT_EQ(allocate(t, full, rule, AllocationCeiling::kAllIterations),
              std::vector<uint8_t>(t.tiles, t.iterations))
        << static_cast<int>(rule);
    const uint64_t budget = (peak + full) / 2;
    const std::vector<uint8_t> counts = allocate(t, budget, rule, AllocationCeiling::kAllIterations);
    EXPECT_LE(allocation_cost(t, counts), budget) << static_cast<int>(rule);
    EXPECT_GT(allocation_cost(t, counts), peak) << static_cast<int>(rule);
  }
}

}  // namespace
}  // namespace qc
