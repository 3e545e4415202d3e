// qcodec trim: lowers the rate to at most the target, keeps the file's own
// bits and the tiles' counts at most what they were, and refuses to raise it.
#include "codec/trim.h"

#include <gtest/gtest.h>

#include "base/error.h"
#include "codec/bitstream.h"
#include "image/image_io.h"
#include "tests/coding/codec_fixtures.h"

namespace qc {
namespace {

TEST(Trim, LowersTheRateWithinTheTargetAndKeepsTheBits) {
  const Model model = model_from_file(QC_SHIPPED_MODEL);
  const Image image = read_image(std::string(QC_TEST_DATA) + "/rgb_64x64.png").image;
  const EncodeResult whole = encode(image, model, iterations(6));
  const QcFile original = read_qc(whole.bytes.data(), whole.bytes.size(), model.fingerprint, "w.qc");
  const double pixels = 64.0 * 64;
  const double rate = whole.bytes.size() * 8 / pixels;
  for (double fraction : {0.8, 0.5, 0.25}) {
    TrimOptions o;
    o.bpp = rate * fraction;
    o.threads = 1;
    const TrimResult r = trim(whole.bytes.data(), whole.bytes.size(), model, o, "w.qc");
    EXPECT_LE(r.bytes.size() * 8 / pixels, o.bpp) << fraction;
    EXPECT_GE(r.bytes.size() * 8 / pixels, o.bpp * 0.85) << fraction << ": the budget should be spent";
    const QcFile trimmed = read_qc(r.bytes.data(), r.bytes.size(), model.fingerprint, "t.qc");
    EXPECT_EQ(trimmed.map.counts, r.map.counts);
    for (size_t t = 0; t < trimmed.map.counts.size(); ++t)
      EXPECT_LE(trimmed.map.counts[t], original.map.counts[t]);
    // The kept bits are the file's own.
    for (int i = 0; i < trimmed.codes.iterations; ++i)
      for (int c = 0; c < trimmed.codes.channels; ++c)
        for (int y = 0; y < trimmed.codes.rows; ++y)
          for (int x = 0; x < trimmed.codes.cols; ++x)
            if (trimmed.map.count_at(y, x) > i) {
              ASSERT_EQ(trimmed.codes.at(i, c, y, x), original.codes.at(i, c, y, x));
            }
  }
}

TEST(Trim, NeverRaisesARate) {
  const Model model = small_model();
  const Image image = noise_image(64, 48, 3);
  const EncodeResult whole = encode(image, model, iterations(4));
  TrimOptions o;
  o.threads = 1;
  o.bpp = whole.bytes.size() * 8 / (64.0 * 48);  // its own rate
  try {
    trim(whole.bytes.data(), whole.bytes.size(), model, o, "w.qc");
    FAIL() << "trimmed to its own rate";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("trim only lowers a rate"), std::string::npos) << e.what();
  }
  o.bpp = 0.0001;  // below even the empty file
  try {
    trim(whole.bytes.data(), whole.bytes.size(), model, o, "w.qc");
    FAIL() << "trimmed below the smallest file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("smallest file"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace qc
