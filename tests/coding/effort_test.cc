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

// The shipped model: a random one's decoder makes any flip a coin toss.
TEST(Effort, SearchNeverRaisesTheObjectiveAndTheDecoderFollowsIt) {
  const Model model = model_from_file(QC_SHIPPED_MODEL);
  const Image image = read_image(std::string(QC_TEST_DATA) + "/rgb_64x64.png").image;
  RuntimeNetwork net(model.qcm, RuntimeOptions{1, ActivationMode::kInt8});
  const PlanarImage x = to_planar(image);
  const int rows = x.height / ArchConfig::kStride, cols = x.width / ArchConfig::kStride;
  const int iterations = 4, channels = net.config().code_channels;
  TileMap map(2, rows, cols, iterations);
  map.counts[0] = 1;  // a tile that stops early: its bits are masked later
  const std::vector<uint8_t> counts = position_counts(map, rows, cols);

  CodingLoop encoder(net, x.height, x.width, true);
  CodeStack codes(iterations, channels, rows, cols);
  const TileSsim quality({image.width, image.height, x.width, x.height, ArchConfig::kStride}, x.data);
  SearchSetup setup{quality, search_level(3), 2.0, nullptr};
  int iteration = 0;
  setup.rate = [&](const std::vector<int8_t>& signs) { return iteration_rate(codes, map, iteration, signs); };
  std::vector<SearchOutcome> outcomes;
  CodingLoop::BitChooser choose = [&](std::vector<int8_t>& signs, const std::vector<float>& values,
                                      DecoderState& decoder, std::vector<float>& x_hat) {
    outcomes.push_back(search_bits(setup, values, signs, channels, decoder, x_hat));
  };
  for (; iteration < iterations; ++iteration) encoder.encode_step(x.data, counts, codes, choose);

  ASSERT_EQ(outcomes.size(), static_cast<size_t>(iterations));
  int flips = 0;
  for (const SearchOutcome& o : outcomes) {
    EXPECT_TRUE(o.searched);  // 12 of 16 positions coded, over every level's min_share
    EXPECT_LE(o.chosen_objective, o.network_objective);
    flips += o.flips;
  }
  EXPECT_GT(flips, 0) << "the search never found a better bit: it is not searching";

  CodingLoop decoder(net, x.height, x.width, false);
  for (int i = 0; i < iterations; ++i) decoder.decode_step(codes, counts);
  EXPECT_EQ(decoder.reconstruction(), encoder.reconstruction()) << "encoder and decoder drifted apart";
}

// An iteration coding fewer positions than the level's share is sent as the
// network proposed it.
TEST(Effort, SparseIterationsAreNotSearched) {
  const Model model = model_from_file(QC_SHIPPED_MODEL);
  const Image image = read_image(std::string(QC_TEST_DATA) + "/rgb_64x64.png").image;
  RuntimeNetwork net(model.qcm, RuntimeOptions{1, ActivationMode::kInt8});
  const PlanarImage x = to_planar(image);
  const int rows = x.height / ArchConfig::kStride, cols = x.width / ArchConfig::kStride;
  const int iterations = 3, channels = net.config().code_channels;
  TileMap map(2, rows, cols, iterations);
  map.counts[0] = 1;  // from iteration 2 on, 12 of the 16 positions code
  const std::vector<uint8_t> counts = position_counts(map, rows, cols);

  CodingLoop searched(net, x.height, x.width, true);
  CodeStack searched_codes(iterations, channels, rows, cols);
  const TileSsim quality({image.width, image.height, x.width, x.height, ArchConfig::kStride}, x.data);
  SearchSetup setup{quality, SearchLevel{2, 2, 0.9}, 2.0, nullptr};
  int iteration = 0;
  setup.rate = [&](const std::vector<int8_t>& signs) {
    return iteration_rate(searched_codes, map, iteration, signs);
  };
  std::vector<SearchOutcome> outcomes;
  CodingLoop::BitChooser choose = [&](std::vector<int8_t>& signs, const std::vector<float>& values,
                                      DecoderState& decoder, std::vector<float>& x_hat) {
    outcomes.push_back(search_bits(setup, values, signs, channels, decoder, x_hat));
  };
  // Iteration 1 codes every position and is searched; the later ones are not.
  searched.encode_step(x.data, counts, searched_codes, choose);
  ASSERT_TRUE(outcomes[0].searched);
  // From the same start, an unsearched iteration equals a plain loop's.
  CodingLoop plain(searched);
  CodeStack plain_codes = searched_codes;
  for (iteration = 1; iteration < iterations; ++iteration) {
    searched.encode_step(x.data, counts, searched_codes, choose);
    plain.encode_step(x.data, counts, plain_codes);
    EXPECT_FALSE(outcomes[iteration].searched) << iteration;
  }
  EXPECT_EQ(searched_codes.bits, plain_codes.bits);
  EXPECT_EQ(searched.reconstruction(), plain.reconstruction());
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
