#include <gtest/gtest.h>

#include <cmath>

#include "base/error.h"
#include "entropy/code_coder.h"
#include "entropy/dec_range_coder.h"
#include "entropy/enc_range_coder.h"
#include "entropy/logistic.h"
#include "entropy/map_coder.h"
#include "tests/entropy/synthetic_codes.h"

namespace qc {
namespace {

// Bits a tile does not keep must come back as 0.
CodeStack masked(CodeStack stack, const TileMap& map) {
  for (int t = 0; t < stack.iterations; ++t)
    for (int c = 0; c < stack.channels; ++c)
      for (int y = 0; y < stack.rows; ++y)
        for (int x = 0; x < stack.cols; ++x)
          if (map.count_at(y, x) <= t) stack.at(t, c, y, x) = 0;
  return stack;
}

void expect_round_trip(const CodeStack& stack, const TileMap& map) {
  const CodedCodes coded = encode_codes(stack, map);
  const CodeStack back = decode_codes(coded.bytes.data(), coded.bytes.size(), coded.iteration_bytes,
                                      stack.iterations, stack.channels, stack.rows, stack.cols, map, "test");
  EXPECT_EQ(back.bits, masked(stack, map).bits);
  EXPECT_EQ(measure_codes(stack, map).bytes, coded.bytes.size());
  EXPECT_EQ(coded.iteration_bytes.size(), static_cast<size_t>(stack.iterations));
}

TEST(Logistic, SquashAndStretchAreMonotoneInverses) {
  EXPECT_EQ(entropy::squash(0), 32768u);
  for (int s = -entropy::kStretchLimit; s < entropy::kStretchLimit; ++s)
    ASSERT_LE(entropy::squash(s), entropy::squash(s + 1));
  for (uint32_t p = 16; p < 65536 - 16; p += 16) {
    const uint32_t back = entropy::squash(entropy::stretch(p));
    // stretch looks p up at 12 bits: within one bucket (16) plus the squash step.
    ASSERT_NEAR(static_cast<double>(back), static_cast<double>(p), 17 + p * 0.01) << p;
  }
  // Cost of a bit at P = 1/2 is one bit, at P = 1/4 two bits (1/65536 units).
  EXPECT_NEAR(entropy::bit_cost(1, 32768), 65536, 64);
  EXPECT_NEAR(entropy::bit_cost(0, 49152), 2 * 65536, 64);
}

TEST(RangeCoder, RoundTripsWithExtremeProbabilities) {
  test::SplitMix rng(7);
  std::vector<int> bits;
  std::vector<uint32_t> probs;
  for (int i = 0; i < 200000; ++i) {
    const uint32_t p = i % 3 == 0 ? 1 : (i % 3 == 1 ? 65535 : 1 + rng.below(65535));
    probs.push_back(p);
    bits.push_back(rng.uniform() * 65536 < p);
  }
  bits[5] = 1;  // a bit against a probability of 1/65536
  bits[7] = 0;  // and one against 65535/65536
  entropy::RangeEncoder enc;
  for (size_t i = 0; i < bits.size(); ++i) enc.encode(bits[i], probs[i]);
  const std::vector<uint8_t> bytes = enc.finish();
  entropy::RangeDecoder dec(bytes.data(), bytes.size());
  for (size_t i = 0; i < bits.size(); ++i) ASSERT_EQ(dec.decode(probs[i]), bits[i]) << i;
}

TEST(RangeCoder, EmptyAndCertainStreamsAreTiny) {
  entropy::RangeEncoder enc;
  EXPECT_TRUE(enc.finish().empty());
  entropy::RangeEncoder zeros;
  for (int i = 0; i < 10000; ++i) zeros.encode(0, 1);
  EXPECT_LE(zeros.finish().size(), 2u);
}

TEST(CodeCoder, RoundTripsRandomBits) {
  const auto s = test::iid_codes(4, 32, 5, 7, 0.5, 1);
  expect_round_trip(s.stack, TileMap(2, 5, 7, 4));
}

TEST(CodeCoder, RoundTripsStructuredBits) {
  const auto s = test::markov_codes(6, 32, 9, 11, 2);
  expect_round_trip(s.stack, TileMap(2, 9, 11, 6));
}

TEST(CodeCoder, AllZeroAndAllOneCostAlmostNothing) {
  for (uint8_t value : {0, 1}) {
    CodeStack stack(8, 32, 16, 16);
    std::fill(stack.bits.begin(), stack.bits.end(), value);
    const TileMap map(2, 16, 16, 8);
    expect_round_trip(stack, map);
    EXPECT_LT(encode_codes(stack, map).bytes.size(), stack.bits.size() / 8 / 50);
  }
}

TEST(CodeCoder, RoundTripsOneByOneAndOddGrids) {
  for (int tile : {1, 2, 3}) {
    for (auto [rows, cols] : {std::pair{1, 1}, {1, 5}, {7, 1}, {3, 5}}) {
      const auto s = test::iid_codes(3, 32, rows, cols, 0.3, rows * 100 + cols);
      expect_round_trip(s.stack, TileMap(tile, rows, cols, 3));
    }
  }
}

TEST(CodeCoder, MaskedTilesAreNotCodedAndDecodeAsZero) {
  const auto s = test::markov_codes(8, 32, 12, 10, 3);
  const TileMap map = test::random_map(12, 10, 2, 8, 4);
  expect_round_trip(s.stack, map);
  // Fewer iterations kept -> fewer bytes.
  const TileMap half(2, 12, 10, 4);
  EXPECT_LT(encode_codes(s.stack, half).bytes.size(),
            encode_codes(s.stack, TileMap(2, 12, 10, 8)).bytes.size());
  // Absent bits do not matter to the coder.
  CodeStack noisy = s.stack;
  for (uint8_t& b : noisy.bits) b ^= 1;
  const TileMap none(2, 12, 10, 0);
  EXPECT_TRUE(encode_codes(noisy, none).bytes.empty());
}

TEST(CodeCoder, EachIterationsStreamDecodesWithThoseBeforeIt) {
  const auto s = test::markov_codes(6, 32, 9, 11, 21);
  const TileMap map = test::smooth_map(9, 11, 2, 6, 3, 4);
  const CodedCodes coded = encode_codes(s.stack, map);
  ASSERT_EQ(coded.iteration_bytes.size(), 6u);
  const CodeStack full = masked(s.stack, map);
  size_t prefix = 0;
  for (int n = 1; n <= 6; ++n) {
    prefix += coded.iteration_bytes[n - 1];
    // Only the first n streams, with nothing after them: the first n iterations.
    const std::vector<uint8_t> head(coded.bytes.begin(), coded.bytes.begin() + prefix);
    const TileMap capped = map.capped(n);
    const CodeStack back = decode_codes(head.data(), head.size(), coded.iteration_bytes, n, s.stack.channels,
                                        s.stack.rows, s.stack.cols, capped, "t");
    ASSERT_EQ(back.bits, std::vector<uint8_t>(full.bits.begin(), full.bits.begin() + back.bits.size())) << n;
  }
  // Stream lengths that overrun the bytes given are refused before decoding.
  EXPECT_THROW(decode_codes(coded.bytes.data(), prefix - 1, coded.iteration_bytes, 6, 32, 9, 11, map, "t"),
               Error);
  EXPECT_THROW(decode_codes(coded.bytes.data(), prefix,
                            {coded.iteration_bytes.begin(), coded.iteration_bytes.begin() + 5}, 6, 32, 9, 11,
                            map, "t"),
               Error);
}

TEST(CodeCoder, StructuredBitsCompressNearTheirEntropy) {
  const auto s = test::markov_codes(8, 32, 24, 32, 5);
  const size_t bytes = encode_codes(s.stack, TileMap(2, 24, 32, 8)).bytes.size();
  EXPECT_LT(bytes * 8.0, s.ideal_bits * 1.05);
  EXPECT_GT(bytes * 8.0, s.ideal_bits * 0.95);
}

TEST(CodeCoder, CostsAddUp) {
  const auto s = test::markov_codes(8, 32, 16, 16, 6);
  const TileMap full(2, 16, 16, 8);
  const CodeCost cost = measure_codes(s.stack, full);
  uint64_t by_iteration = 0, by_tile = 0;
  for (uint64_t c : cost.iteration_cost) by_iteration += c;
  for (uint32_t c : cost.tile_cost) by_tile += c;
  EXPECT_NEAR(by_iteration / 65536.0, by_tile / 256.0, by_tile / 256.0 * 0.001);
  EXPECT_NEAR(by_iteration / 65536.0 / 8, static_cast<double>(cost.bytes), 8 * 5);  // + a flush per iteration
}

// The bit search's rate: the last iteration's cost as measure_codes counts
// it, and a flip's own cost change, exact for the iteration's last-coded
// bit (no context in that iteration reads it).
TEST(CodeCoder, LastIterationCostAndFlipDeltas) {
  const auto s = test::markov_codes(3, 32, 8, 8, 7);
  const TileMap map(2, 8, 8, 3);
  const LastIterationCost last = measure_last_iteration(s.stack, map);
  EXPECT_NEAR(last.bits, measure_codes(s.stack, map).iteration_cost[2] / 65536.0, 1e-6);
  ASSERT_EQ(last.flip_delta.size(), static_cast<size_t>(32) * 8 * 8);
  CodeStack flipped = s.stack;
  uint8_t& final_bit = flipped.at(2, 31, 7, 7);
  final_bit ^= 1;
  EXPECT_NEAR(measure_last_iteration(flipped, map).bits - last.bits, last.flip_delta.back(), 1e-4);
  // Bits of stopped tiles are not coded: flipping them costs nothing.
  TileMap stopped = map;
  stopped.counts[0] = 1;
  CodeStack masked = s.stack;
  for (int c = 0; c < 32; ++c)
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 2; ++x) masked.at(1, c, y, x) = masked.at(2, c, y, x) = 0;
  EXPECT_EQ(measure_last_iteration(masked, stopped).flip_delta[0], 0.0f);
}

TEST(CodeCoder, RejectsBadShapes) {
  CodeStack stack(2, 32, 4, 4);
  EXPECT_THROW(encode_codes(stack, TileMap(2, 4, 4, 3)), Error);  // count > iterations
  EXPECT_THROW(encode_codes(stack, TileMap(2, 4, 5, 2)), Error);  // wrong grid
  stack.bits[3] = 2;
  EXPECT_THROW(encode_codes(stack, TileMap(2, 4, 4, 2)), Error);  // not a bit
  EXPECT_THROW(decode_codes(nullptr, 0, {}, 65, 32, 4, 4, TileMap(2, 4, 4, 2), "x"), Error);
  EXPECT_THROW(decode_codes(nullptr, 0, {}, 64, 64, 2048, 2048, TileMap(2, 2048, 2048, 1), "x"), Error);
}

TEST(CodeCoder, GarbageInputDecodesWithoutCrashing) {
  test::SplitMix rng(11);
  std::vector<uint8_t> junk(2000);  // enough bytes for 5,760 codes
  for (uint8_t& b : junk) b = static_cast<uint8_t>(rng.next());
  const TileMap map = test::random_map(6, 6, 2, 5, 12);
  const CodeStack back = decode_codes(junk.data(), junk.size(), {}, 5, 32, 6, 6, map, "junk");
  EXPECT_EQ(back.bits, masked(back, map).bits);
  // Too few bytes for that many codes: refused, not decoded from zeros.
  EXPECT_THROW(decode_codes(junk.data(), 100, {}, 5, 32, 6, 6, map, "junk"), Error);
}

TEST(MapCoder, RoundTripsSmoothRandomAndEdgeMaps) {
  std::vector<std::pair<TileMap, int>> cases = {{test::smooth_map(32, 48, 2, 16, 8, 1), 16},
                                                {test::random_map(32, 48, 2, 16, 2), 16},
                                                {test::random_map(9, 3, 1, 64, 3), 64},
                                                {TileMap(2, 1, 1, 0), 0},
                                                {TileMap(2, 1, 1, 5), 5},
                                                {TileMap(4, 17, 9, 12), 12}};
  for (const auto& [map, iterations] : cases) {
    const std::vector<uint8_t> bytes = encode_tile_map(map, iterations);
    const TileMap back =
        decode_tile_map(bytes.data(), bytes.size(), map.tile, map.tiles_x, map.tiles_y, iterations, "map");
    EXPECT_EQ(back.counts, map.counts);
  }
  // A constant map costs next to nothing.
  EXPECT_LE(encode_tile_map(TileMap(2, 64, 64, 9), 9).size(), 2u);
}

TEST(MapCoder, RejectsCountsAboveIterationsAndGarbageOutOfRange) {
  EXPECT_THROW(encode_tile_map(TileMap(2, 4, 4, 6), 5), Error);
  // With zero iterations any "not equal" decision is invalid.
  const std::vector<uint8_t> junk(64, 0xA5);
  EXPECT_THROW(decode_tile_map(junk.data(), junk.size(), 2, 8, 8, 0, "junk"), Error);
}

}  // namespace
}  // namespace qc
