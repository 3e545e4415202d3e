#include <gtest/gtest.h>

#include <cmath>

#include "base/error.h"
#include "nn/coding_positions.h"
#include "nn/cpu_dispatch.h"
#include "nn/random_model.h"
#include "nn/runtime_graph.h"
#include "tests/nn/small_network.h"

namespace qc {
namespace {

constexpr int kHeight = 48, kWidth = 32;

TEST(RuntimeGraph, SameBitsForEveryIsaAndThreadCount) {
  for (CellType cell : {CellType::kGru, CellType::kLstm})
    for (int freeze : {0, 1, 2}) {  // none, freeze, freeze after a grace of 1
      QcmModel model = random_qcm_model(small_config(cell, 1), 2, 21);
      model.config.freeze_stopped = freeze > 0;
      model.config.freeze_grace = freeze == 2 ? 1 : 0;
      std::vector<float> x = test_image(kHeight, kWidth, 5);
      LoopResult first;
      bool have_first = false;
      for (Isa isa : supported_isas()) {
        force_isa(isa);
        for (int threads : {1, 2, 3}) {
          RuntimeNetwork net(model, {threads, ActivationMode::kInt8});
          LoopResult r = run_loop(net, x, kHeight, kWidth, 3);
          if (!have_first) {
            first = r;
            have_first = true;
            continue;
          }
          EXPECT_EQ(r.bits, first.bits) << isa_name(isa) << " threads " << threads;
          EXPECT_EQ(r.x_hat, first.x_hat) << isa_name(isa) << " threads " << threads;
        }
      }
      force_isa(supported_isas().back());
      // The loop actually codes: bits vary, and the reconstruction is finite
      // and moves towards the image.
      int plus = 0;
      for (int8_t b : first.bits[0]) plus += b == 1;
      EXPECT_GT(plus, 0);
      EXPECT_LT(plus, static_cast<int>(first.bits[0].size()));
      for (float v : first.x_hat) ASSERT_TRUE(std::isfinite(v));
    }
}

TEST(RuntimeGraph, FloatModeIsThreadIndependentToo) {
  QcmModel model = random_qcm_model(small_config(CellType::kGru, 0), 1, 22);
  std::vector<float> x = test_image(kHeight, kWidth, 6);
  RuntimeNetwork one(model, {1, ActivationMode::kFloat});
  RuntimeNetwork three(model, {3, ActivationMode::kFloat});
  LoopResult a = run_loop(one, x, kHeight, kWidth, 2), b = run_loop(three, x, kHeight, kWidth, 2);
  EXPECT_EQ(a.bits, b.bits);
  EXPECT_EQ(a.x_hat, b.x_hat);
}

TEST(RuntimeGraph, PrimingAndMaskingChangeTheOutput) {
  std::vector<float> x = test_image(kHeight, kWidth, 7);
  QcmModel plain = random_qcm_model(small_config(CellType::kGru, 0), 1, 23);
  QcmModel primed = plain;
  primed.config.priming = 2;
  RuntimeNetwork a(plain), b(primed);
  EXPECT_NE(run_loop(a, x, kHeight, kWidth, 1).x_hat, run_loop(b, x, kHeight, kWidth, 1).x_hat);

  // A masked (0) bit is not the same as -1.
  const size_t codes = 8 * (kHeight / 16) * (kWidth / 16);
  std::vector<int8_t> zeros(codes, 0), minus(codes, -1);
  std::vector<float> out0(x.size(), 0.0f), out1(x.size(), 0.0f);
  DecoderState d0(a, kHeight, kWidth), d1(a, kHeight, kWidth);
  d0.step(zeros.data(), out0.data());
  d1.step(minus.data(), out1.data());
  EXPECT_NE(out0, out1);
}

// freeze_stopped: a position whose bits are masked keeps its pixels (and
// state); while every position codes, the network computes what it computes
// without the flag.
TEST(RuntimeGraph, FreezeStoppedKeepsTheStoppedTilesPixels) {
  for (CellType cell : {CellType::kGru, CellType::kLstm}) {
    QcmModel plain = random_qcm_model(small_config(cell, 0), 2, 31);
    QcmModel frozen = plain;
    frozen.config.freeze_stopped = true;
    RuntimeNetwork a(plain), b(frozen);
    std::vector<float> x = test_image(kHeight, kWidth, 8);
    const LoopResult a1 = run_loop(a, x, kHeight, kWidth, 1), b1 = run_loop(b, x, kHeight, kWidth, 1);
    EXPECT_EQ(a1.bits, b1.bits);
    EXPECT_EQ(a1.x_hat, b1.x_hat);
    const LoopResult a3 = run_loop(a, x, kHeight, kWidth, 3), b3 = run_loop(b, x, kHeight, kWidth, 3);
    const int cols = kWidth / 16;
    int stopped_moved_plain = 0, stopped_moved_frozen = 0, coding_moved_frozen = 0;
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < kHeight; ++y)
        for (int i = 0; i < kWidth; ++i) {
          const size_t at = (static_cast<size_t>(c) * kHeight + y) * kWidth + i;
          const bool coding = codes_in(static_cast<size_t>(y / 16) * cols + i / 16, 1);
          if (coding) {
            coding_moved_frozen += b3.x_hat[at] != b1.x_hat[at];
          } else {
            stopped_moved_plain += a3.x_hat[at] != a1.x_hat[at];
            stopped_moved_frozen += b3.x_hat[at] != b1.x_hat[at];
          }
        }
    EXPECT_EQ(stopped_moved_frozen, 0);
    EXPECT_GT(stopped_moved_plain, 0) << "without the flag, zero bits still update";
    EXPECT_GT(coding_moved_frozen, 0);
  }
}

// With a freeze grace of 1, a stopped tile's pixels move once more after its
// last bits, then keep.
TEST(RuntimeGraph, FreezeGraceUpdatesStoppedTilesOnceMore) {
  QcmModel model = random_qcm_model(small_config(CellType::kGru, 0), 2, 31);
  model.config.freeze_stopped = true;
  model.config.freeze_grace = 1;
  RuntimeNetwork net(model);
  std::vector<float> x = test_image(kHeight, kWidth, 8);
  std::vector<float> x_hat[3];
  for (int n = 1; n <= 3; ++n) x_hat[n - 1] = run_loop(net, x, kHeight, kWidth, n).x_hat;
  const int cols = kWidth / 16;
  int moved_in_grace = 0, moved_after = 0;
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < kHeight; ++y)
      for (int i = 0; i < kWidth; ++i) {
        if (codes_in(static_cast<size_t>(y / 16) * cols + i / 16, 1)) continue;
        const size_t at = (static_cast<size_t>(c) * kHeight + y) * kWidth + i;
        moved_in_grace += x_hat[1][at] != x_hat[0][at];
        moved_after += x_hat[2][at] != x_hat[1][at];
      }
  EXPECT_GT(moved_in_grace, 0);
  EXPECT_EQ(moved_after, 0);
}

TEST(CodingPositions, SpansFollowTheCodeGridAtEveryScale) {
  const uint8_t coding[] = {1, 1, 0, 1,  //
                            0, 0, 0, 0};
  CodingPositions positions(coding, 2, 4);
  std::vector<PixelSpan> spans;
  auto pairs = [&] {
    std::vector<std::pair<int, int>> out;
    for (const PixelSpan& s : spans) out.emplace_back(s.begin, s.end);
    return out;
  };
  positions.spans(0, 2, 4, spans);
  EXPECT_EQ(pairs(), (std::vector<std::pair<int, int>>{{0, 2}, {3, 4}}));
  positions.spans(3, 8, 16, spans);  // 4x finer: row 3 lies above code row 0
  EXPECT_EQ(pairs(), (std::vector<std::pair<int, int>>{{0, 8}, {12, 16}}));
  positions.spans(4, 8, 16, spans);
  EXPECT_TRUE(spans.empty());
  EXPECT_THROW(positions.spans(0, 8, 12, spans), Error) << "not a multiple of the grid";
  row_spans(nullptr, 5, 8, 16, spans);
  EXPECT_EQ(pairs(), (std::vector<std::pair<int, int>>{{0, 16}}));

  // From masked bits, two channels: a coding position is +-1 in both.
  const int8_t bits[] = {1,  -1, 0, 1,  0, 0, 0, 0,  //
                         -1, 1,  0, -1, 0, 0, 0, 0};
  const std::vector<uint8_t> from_bits = coding_from_bits(bits, 2, 2, 4);
  CodingPositions(from_bits.data(), 2, 4).spans(0, 2, 4, spans);
  EXPECT_EQ(pairs(), (std::vector<std::pair<int, int>>{{0, 2}, {3, 4}}));
}

// The inputs a conv computed above some positions reads: the positions
// within its reach, rounded up to whole positions at the layer's scale.
TEST(CodingPositions, ReadByCoversAConvsReach) {
  uint8_t coding[5 * 5] = {};
  coding[2 * 5 + 2] = 1;  // the centre
  const CodingPositions positions(coding, 5, 5);
  std::vector<PixelSpan> spans;
  auto rows_read = [&](const CodingPositions& read) {
    std::vector<std::pair<int, int>> out;
    for (int y = 0; y < 5; ++y) {
      read.spans(y, 5, 5, spans);
      out.emplace_back(spans.empty() ? 0 : spans[0].begin, spans.empty() ? 0 : spans[0].end);
      EXPECT_LE(spans.size(), 1u);
    }
    return out;
  };
  using Rows = std::vector<std::pair<int, int>>;
  EXPECT_EQ(rows_read(positions.read_by(0, 5)), (Rows{{0, 0}, {0, 0}, {2, 3}, {0, 0}, {0, 0}}));
  EXPECT_EQ(rows_read(positions.read_by(1, 5)), (Rows{{0, 0}, {1, 4}, {1, 4}, {1, 4}, {0, 0}}));
  EXPECT_EQ(rows_read(positions.read_by(1, 40)),
            (Rows{{0, 0}, {1, 4}, {1, 4}, {1, 4}, {0, 0}}));  // 8 px each
  EXPECT_EQ(rows_read(positions.read_by(9, 40)), (Rows{{0, 5}, {0, 5}, {0, 5}, {0, 5}, {0, 5}}));
}

// A position stays computed for `grace` iterations after its last bits.
TEST(CodingPositions, FreezeWindowKeepsStoppedPositionsForTheGrace) {
  FreezeWindow window(1, 4, 2);
  std::vector<PixelSpan> spans;
  auto computed = [&](std::vector<uint8_t> coding) {
    window.next(coding.data()).spans(0, 1, 4, spans);
    std::vector<std::pair<int, int>> out;
    for (const auto& s : spans) out.emplace_back(s.begin, s.end);
    return out;
  };
  using Spans = std::vector<std::pair<int, int>>;
  EXPECT_EQ(computed({1, 1, 0, 1}), (Spans{{0, 4}}));  // before the first iteration all count as coding
  EXPECT_EQ(computed({1, 0, 0, 0}), (Spans{{0, 4}}));
  EXPECT_EQ(computed({0, 0, 0, 0}), (Spans{{0, 2}, {3, 4}}));  // position 2: its 2 iterations spent
  EXPECT_EQ(computed({0, 0, 0, 0}), (Spans{{0, 1}}));  // positions 1 and 3: 2 iterations of grace spent
  EXPECT_EQ(computed({0, 0, 1, 0}), (Spans{{2, 3}}));  // and position 0's
  EXPECT_EQ(computed({0, 0, 0, 0}), (Spans{{2, 3}}));
  window.next(nullptr).spans(0, 1, 4, spans);  // no mask: every position codes
  EXPECT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].end - spans[0].begin, 4);
}

TEST(RuntimeGraph, RejectsBadSizesAndBits) {
  RuntimeNetwork net(random_qcm_model(small_config(CellType::kGru, 0), 1, 24));
  EXPECT_THROW(EncoderState(net, 40, 32), Error);
  EXPECT_THROW(DecoderState(net, 32, 0), Error);
  DecoderState dec(net, 16, 16);
  std::vector<int8_t> bits(8, 2);
  std::vector<float> x_hat(3 * 16 * 16, 0.0f);
  EXPECT_THROW(dec.step(bits.data(), x_hat.data()), Error);
}

TEST(RuntimeGraph, StateBytesCoverTheRecurrentState) {
  RuntimeNetwork net(random_qcm_model(small_config(CellType::kLstm, 0), 1, 25));
  EncoderState enc(net, 64, 64);
  // LSTM h and c of the first encoder cell alone: 16 x 16 x 12 x 2 floats.
  EXPECT_GT(enc.state_bytes(), size_t{16 * 16 * 12 * 2 * 4});
}

}  // namespace
}  // namespace qc
