// Encoder effort (codec/bit_search.h): the search never scores worse than
// the network's bits, the decoder reproduces the searched reconstruction
// exactly, and files stay deterministic.
#include <gtest/gtest.h>

#include "base/error.h"
#include "codec/bit_search.h"
#include "codec/codec.h"
#include "codec/coding_loop.h"
#include "codec/planar.h"
#include "image/image_io.h"
#include "tests/coding/codec_fixtures.h"

namespace qc {
namespace {

// The shipped model (a random one's decoder makes any flip a coin toss) on
// the 64x64 fixture: 4x4 code positions in tiles of 2x2, the first tile
// stopping after one iteration, so that 12 of the 16 positions code after
// it. step() codes an iteration with the search, recording its outcome.
struct SearchCase {
  SearchCase(int iterations, SearchLevel level)
      : iterations(iterations), codes(iterations, channels, rows, cols), setup{quality, level, 2.0, nullptr} {
    map.counts[0] = 1;
    counts = position_counts(map, rows, cols);
    setup.rate = [this](const std::vector<int8_t>& signs) {
      return iteration_rate(codes, map, iteration, signs);
    };
    setup.last_iteration = [this](size_t p) { return counts[p] == iteration + 1; };
    choose = [this](std::vector<int8_t>& signs, const std::vector<float>& values, DecoderState& decoder,
                    std::vector<float>& x_hat) {
      const std::vector<int8_t> proposed = signs;
      outcomes.push_back(search_bits(setup, values, signs, channels, decoder, x_hat));
      std::vector<size_t>& changed = flipped_positions.emplace_back();
      for (size_t b = 0; b < signs.size(); ++b)
        if (signs[b] != proposed[b]) changed.push_back(b % (static_cast<size_t>(rows) * cols));
    };
  }
  void step(CodingLoop& loop) {
    loop.encode_step(x.data, counts, codes, choose);
    ++iteration;
  }

  const Model model = model_from_file(QC_SHIPPED_MODEL);
  const Image image = read_image(std::string(QC_TEST_DATA) + "/rgb_64x64.png").image;
  RuntimeNetwork net{model.qcm, RuntimeOptions{1, ActivationMode::kInt8}};
  const PlanarImage x = to_planar(image);
  const int rows = x.height / ArchConfig::kStride, cols = x.width / ArchConfig::kStride;
  const int channels = net.config().code_channels;
  const int iterations;
  TileMap map{2, rows, cols, iterations};
  std::vector<uint8_t> counts;
  const TileSsim quality{{image.width, image.height, x.width, x.height, ArchConfig::kStride}, x.data, TilePlanes::kRgb};
  CodeStack codes;
  SearchSetup setup;
  int iteration = 0;
  std::vector<SearchOutcome> outcomes;
  std::vector<std::vector<size_t>> flipped_positions;  // per iteration, one entry per bit flipped
  CodingLoop::BitChooser choose;
};

TEST(Effort, SearchNeverRaisesTheObjectiveAndTheDecoderFollowsIt) {
  SearchCase c(4, SearchLevel{4, 2, 0.25, false});  // every coded position
  CodingLoop encoder(c.net, c.x.height, c.x.width, true);
  for (int i = 0; i < c.iterations; ++i) c.step(encoder);

  ASSERT_EQ(c.outcomes.size(), static_cast<size_t>(c.iterations));
  int flips = 0;
  for (const SearchOutcome& o : c.outcomes) {
    EXPECT_TRUE(o.searched);  // 12 of 16 positions coded
    EXPECT_LE(o.chosen_objective, o.network_objective);
    flips += o.flips;
  }
  EXPECT_GT(flips, 0) << "the search never found a better bit: it is not searching";

  CodingLoop decoder(c.net, c.x.height, c.x.width, false);
  for (int i = 0; i < c.iterations; ++i) decoder.decode_step(c.codes, c.counts);
  EXPECT_EQ(decoder.reconstruction(), encoder.reconstruction()) << "encoder and decoder drifted apart";
}

// An iteration coding fewer positions than the level's share is not
// searched, and is sent as the network proposed it.
TEST(Effort, SparseIterationsAreNotSearched) {
  SearchCase c(3, SearchLevel{2, 2, 0.9});
  CodingLoop loop(c.net, c.x.height, c.x.width, true);
  for (int i = 0; i < c.iterations; ++i) c.step(loop);
  EXPECT_TRUE(c.outcomes[0].searched);   // every position codes
  EXPECT_FALSE(c.outcomes[1].searched);  // 12 of 16
  EXPECT_FALSE(c.outcomes[2].searched);

  SearchCase none(3, SearchLevel{2, 2, 1.5});  // no iteration qualifies
  CodingLoop unsearched(none.net, none.x.height, none.x.width, true);
  CodingLoop plain(none.net, none.x.height, none.x.width, true);
  CodeStack plain_codes = none.codes;
  for (int i = 0; i < none.iterations; ++i) {
    none.step(unsearched);
    plain.encode_step(none.x.data, none.counts, plain_codes);
  }
  EXPECT_EQ(none.codes.bits, plain_codes.bits);
  EXPECT_EQ(unsearched.reconstruction(), plain.reconstruction());
}

// Levels confined to last iterations flip bits only where the tile stops:
// here the first tile after iteration 1, the others after the last.
TEST(Effort, LastIterationLevelsFlipOnlyWhereTheTileStops) {
  SearchCase c(3, SearchLevel{8, 2, 0, true});
  CodingLoop loop(c.net, c.x.height, c.x.width, true);
  for (int i = 0; i < c.iterations; ++i) c.step(loop);
  EXPECT_TRUE(c.outcomes[0].searched);
  EXPECT_FALSE(c.outcomes[1].searched) << "no position stops after iteration 2";
  EXPECT_TRUE(c.outcomes[2].searched);
  size_t flips = 0;
  for (int i = 0; i < c.iterations; ++i) {
    for (size_t p : c.flipped_positions[i]) EXPECT_EQ(c.counts[p], i + 1) << "iteration " << i << ", position " << p;
    flips += c.flipped_positions[i].size();
  }
  EXPECT_GT(flips, 0u) << "the search never flipped a bit: it is not searching";
}

TEST(Effort, SameAllocationSameDecoderAndThreadCountFree) {
  const Model model = model_from_file(QC_SHIPPED_MODEL);
  const Image image = read_image(std::string(QC_TEST_DATA) + "/rgb_64x64.png").image;
  EncodeOptions fast = iterations(3), slow = iterations(3);
  slow.effort = 2;
  const EncodeResult a = encode(image, model, fast), b = encode(image, model, slow);
  EXPECT_EQ(a.map.counts, b.map.counts);
  EXPECT_NE(a.bytes, b.bytes) << "effort 2 sent the network's bits unchanged";
  slow.threads = 2;
  EXPECT_EQ(encode(image, model, slow).bytes, b.bytes);
  const Image decoded = decode(b.bytes.data(), b.bytes.size(), model, 1, "effort.qc");
  EXPECT_EQ(decoded.width, image.width);
}

TEST(Effort, RefusesLevelsOutOfRange) {
  const Model model = small_model();
  const Image image = noise_image(16, 16, 3);
  for (int effort : {0, kMaxEffort + 1}) {
    EncodeOptions o = iterations(1);
    o.effort = effort;
    EXPECT_THROW(encode(image, model, o), Error) << effort;
  }
}

}  // namespace
}  // namespace qc
