#include "codec/bitstream.h"

#include <gtest/gtest.h>

#include <optional>

#include "base/error.h"
#include "tests/base/error_of.h"
#include "tests/entropy/synthetic_codes.h"

namespace qc {
namespace {

constexpr uint64_t kFingerprint = 0x0123456789ABCDEFull;

QcFile sample_file(uint32_t width, uint32_t height, uint32_t channels, int iterations, uint64_t seed) {
  QcFile f;
  f.width = width;
  f.height = height;
  f.channels = channels;
  f.model_fingerprint = kFingerprint;
  f.code_channels = 32;
  const int rows = (height + 15) / 16, cols = (width + 15) / 16;
  f.codes = test::markov_codes(iterations, 32, rows, cols, seed).stack;
  f.map = test::smooth_map(rows, cols, 2, iterations, iterations / 2 + 1, seed);
  if (f.map.max_count() < iterations) f.map.counts[0] = static_cast<uint8_t>(iterations);
  for (int t = 0; t < iterations; ++t)  // absent bits are 0, as the codec makes them
    for (int c = 0; c < 32; ++c)
      for (int y = 0; y < rows; ++y)
        for (int x = 0; x < cols; ++x)
          if (f.map.count_at(y, x) <= t) f.codes.at(t, c, y, x) = 0;
  if (channels == 2 || channels == 4) {
    f.alpha.resize(static_cast<size_t>(width) * height);
    for (size_t i = 0; i < f.alpha.size(); ++i) f.alpha[i] = static_cast<uint8_t>(i * 7 / width);
  }
  return f;
}

void expect_same(const QcFile& a, const QcFile& b) {
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.height, b.height);
  EXPECT_EQ(a.channels, b.channels);
  EXPECT_EQ(a.model_fingerprint, b.model_fingerprint);
  EXPECT_EQ(a.code_channels, b.code_channels);
  EXPECT_EQ(a.map.tile, b.map.tile);
  EXPECT_EQ(a.map.counts, b.map.counts);
  EXPECT_EQ(a.codes.bits, b.codes.bits);
  EXPECT_EQ(a.alpha, b.alpha);
}

std::string error_of(const std::vector<uint8_t>& bytes, uint64_t fingerprint = kFingerprint) {
  try {
    read_qc(bytes.data(), bytes.size(), fingerprint, "f.qc");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// The kind the C API turns into its status code; nullopt when the bytes read.
std::optional<ErrorKind> kind_of(const std::vector<uint8_t>& bytes, uint64_t fingerprint = kFingerprint) {
  return testing::kind_of([&] { read_qc(bytes.data(), bytes.size(), fingerprint, "f.qc"); });
}

TEST(Crc32, MatchesTheStandardCheckValue) {
  const std::string s = "123456789";
  EXPECT_EQ(crc32(reinterpret_cast<const uint8_t*>(s.data()), s.size()), 0xCBF43926u);
}

TEST(Bitstream, RoundTripsEveryChannelCount) {
  for (uint32_t channels = 1; channels <= 4; ++channels) {
    const QcFile f = sample_file(67, 45, channels, 5, channels);
    const std::vector<uint8_t> bytes = write_qc(f);
    expect_same(f, read_qc(bytes.data(), bytes.size(), kFingerprint, "f.qc"));
  }
}

TEST(Bitstream, RoundTripsOneByOneAndLargeOddSizes) {
  for (auto [w, h] : {std::pair{1u, 1u}, {17u, 1u}, {1u, 33u}, {333u, 101u}}) {
    const QcFile f = sample_file(w, h, 3, 4, w + h);
    const std::vector<uint8_t> bytes = write_qc(f);
    expect_same(f, read_qc(bytes.data(), bytes.size(), kFingerprint, "f.qc"));
  }
}

TEST(Bitstream, StoresOnlyTheIterationsUsed) {
  QcFile f = sample_file(64, 64, 3, 6, 1);
  QcFile padded = f;  // two more iterations that no tile uses
  padded.codes = CodeStack(8, 32, 4, 4);
  std::copy(f.codes.bits.begin(), f.codes.bits.end(), padded.codes.bits.begin());
  std::fill(padded.codes.bits.begin() + f.codes.bits.size(), padded.codes.bits.end(), 1);
  const std::vector<uint8_t> bytes = write_qc(padded);
  EXPECT_EQ(bytes, write_qc(f));
  EXPECT_EQ(read_qc(bytes.data(), bytes.size(), kFingerprint, "f.qc").codes.iterations, 6);
  const QcHeader h = read_qc_header(bytes.data(), bytes.size(), "f.qc");
  EXPECT_EQ(h.iterations, 6);
  EXPECT_EQ(h.total_bytes, bytes.size());
  // Fixed header 33, six stream sizes, two checksums.
  EXPECT_EQ(h.table_bytes, 6u);
  EXPECT_EQ(h.payload_bytes + h.map_bytes + h.alpha_bytes + container::kFixedHeaderBytes + 6 + 8,
            bytes.size());
}

TEST(Bitstream, RefusesInconsistentInputToWrite) {
  QcFile f = sample_file(40, 40, 3, 3, 1);
  f.alpha.assign(1600, 0);  // alpha with 3 channels
  EXPECT_THROW(write_qc(f), Error);
  f = sample_file(40, 40, 4, 3, 1);
  f.alpha.pop_back();
  EXPECT_THROW(write_qc(f), Error);
  f = sample_file(40, 40, 3, 3, 1);
  f.width = 60;  // code grid no longer matches
  EXPECT_THROW(write_qc(f), Error);
  f = sample_file(40, 40, 3, 3, 1);
  f.channels = 5;
  EXPECT_THROW(write_qc(f), Error);
}

TEST(Bitstream, ClearMessagesForEachKindOfBadFile) {
  const std::vector<uint8_t> good = write_qc(sample_file(40, 40, 3, 3, 1));
  EXPECT_NE(error_of({0x89, 'P', 'N', 'G', 0, 0}).find("not a .qc file"), std::string::npos);
  std::vector<uint8_t> newer = good;
  newer[container::kVersionAt] = kQcFormatVersion + 1;
  EXPECT_NE(error_of(newer).find("newer qcodec"), std::string::npos);
  EXPECT_NE(error_of(good, kFingerprint + 1).find("made by a different model"), std::string::npos);
  std::vector<uint8_t> flipped = good;
  flipped[good.size() / 2] ^= 0x10;
  EXPECT_NE(error_of(flipped).find("checksum mismatch"), std::string::npos);
  std::vector<uint8_t> cut(good.begin(), good.end() - 3);
  EXPECT_NE(error_of(cut).find("truncated"), std::string::npos);
  EXPECT_EQ(error_of(cut).rfind("f.qc: ", 0), 0u);

  EXPECT_EQ(kind_of({0x89, 'P', 'N', 'G', 0, 0}), ErrorKind::kCorrupt);
  EXPECT_EQ(kind_of(newer), ErrorKind::kUnsupportedVersion);
  EXPECT_EQ(kind_of(good, kFingerprint + 1), ErrorKind::kWrongModel);
  EXPECT_EQ(kind_of(flipped), ErrorKind::kCorrupt);
  EXPECT_EQ(kind_of(cut), ErrorKind::kTruncated);
  EXPECT_EQ(kind_of(good), std::nullopt);
}

TEST(Bitstream, EveryTruncationIsRejected) {
  const std::vector<uint8_t> good = write_qc(sample_file(70, 50, 4, 5, 3));
  for (size_t n = 0; n < good.size(); ++n) {
    const std::vector<uint8_t> cut(good.begin(), good.begin() + n);
    EXPECT_EQ(kind_of(cut), ErrorKind::kTruncated) << n;
  }
}

TEST(Bitstream, RandomCorruptionsAreRejected) {
  const std::vector<uint8_t> good = write_qc(sample_file(70, 50, 4, 5, 3));
  test::SplitMix rng(99);
  for (int trial = 0; trial < 10000; ++trial) {
    std::vector<uint8_t> bad = good;
    const int edits = 1 + rng.below(4);
    for (int e = 0; e < edits; ++e) {
      switch (rng.below(3)) {
        case 0:  // flip a byte's bits
          bad[rng.below(static_cast<int>(bad.size()))] ^= static_cast<uint8_t>(1 + rng.below(255));
          break;
        case 1:  // drop a byte
          bad.erase(bad.begin() + rng.below(static_cast<int>(bad.size())));
          break;
        default:  // insert a byte
          bad.insert(bad.begin() + rng.below(static_cast<int>(bad.size()) + 1),
                     static_cast<uint8_t>(rng.next()));
      }
    }
    if (bad == good) continue;
    EXPECT_THROW(read_qc(bad.data(), bad.size(), kFingerprint, "f.qc"), Error) << trial;
  }
}

// Recomputes both checksums of a format-2 file after an edit, as a writer
// that broke the rules would have written them.
void reseal(std::vector<uint8_t>& bytes, size_t head_bytes) {
  auto put = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  put(head_bytes - 4, crc32(bytes.data(), head_bytes - 4));
  put(bytes.size() - 4, crc32(bytes.data(), bytes.size() - 4));
}

TEST(Bitstream, WritesFormat2WithEachIterationsSize) {
  const QcFile f = sample_file(70, 50, 3, 5, 3);
  const std::vector<uint8_t> bytes = write_qc(f);
  EXPECT_EQ(bytes[container::kVersionAt], 2);
  const QcHeader h = read_qc_header(bytes.data(), bytes.size(), "f.qc");
  ASSERT_EQ(h.iteration_bytes.size(), 5u);
  size_t sum = 0;
  for (size_t n : h.iteration_bytes) sum += n;
  EXPECT_EQ(sum, h.payload_bytes);
  EXPECT_EQ(h.head_bytes + h.payload_bytes + 4, bytes.size());
  EXPECT_EQ(h.bytes_through(5), bytes.size());
  EXPECT_EQ(h.bytes_through(2), h.head_bytes + h.iteration_bytes[0] + h.iteration_bytes[1]);
  EXPECT_EQ(h.complete_iterations, 5);
  EXPECT_FALSE(h.truncated());
}

TEST(Bitstream, AnyPrefixPastTheHeadReadsItsCompleteIterations) {
  const QcFile f = sample_file(70, 50, 4, 5, 3);
  const std::vector<uint8_t> good = write_qc(f);
  const QcHeader h = read_qc_header(good.data(), good.size(), "f.qc");
  QcReadOptions prefix;
  prefix.accept_prefix = true;
  for (size_t n = 0; n < good.size(); ++n) {
    const std::vector<uint8_t> cut(good.begin(), good.begin() + n);
    int complete = 0;
    while (complete < 5 && h.bytes_through(complete + 1) - (complete + 1 == 5 ? 4 : 0) <= n) ++complete;
    if (complete == 0) {
      EXPECT_THROW(read_qc(cut.data(), cut.size(), kFingerprint, "f.qc", prefix), Error) << n;
      continue;
    }
    const QcFile part = read_qc(cut.data(), cut.size(), kFingerprint, "f.qc", prefix);
    ASSERT_EQ(part.codes.iterations, complete) << n;
    EXPECT_EQ(part.map.counts, f.map.capped(complete).counts);
    EXPECT_EQ(part.codes.bits,
              std::vector<uint8_t>(f.codes.bits.begin(), f.codes.bits.begin() + part.codes.bits.size()));
    EXPECT_EQ(part.alpha, f.alpha);
  }
}

TEST(Bitstream, PrefixErrorsSayWhatIsMissing) {
  const std::vector<uint8_t> good = write_qc(sample_file(70, 50, 3, 5, 3));
  const QcHeader h = read_qc_header(good.data(), good.size(), "f.qc");
  auto prefix_error = [&](size_t n) {
    try {
      read_qc_header(good.data(), n, "f.qc", true);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(prefix_error(h.head_bytes - 1).find("before the end of its head"), std::string::npos);
  EXPECT_NE(prefix_error(h.head_bytes).find("holds no complete iteration"), std::string::npos);
  EXPECT_EQ(prefix_error(h.bytes_through(1)), "");
  // Without the option a prefix is refused as before.
  EXPECT_NE(error_of({good.begin(), good.begin() + h.bytes_through(3)}).find("truncated .qc file"),
            std::string::npos);
  // A damaged head is caught by its own checksum even in a prefix.
  std::vector<uint8_t> damaged(good.begin(), good.begin() + h.bytes_through(2));
  damaged[h.head_bytes - 6] ^= 1;
  EXPECT_NE(prefix_error(0).find("truncated"), std::string::npos);
  try {
    read_qc_header(damaged.data(), damaged.size(), "f.qc", true);
    ADD_FAILURE() << "damaged head accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("head checksum mismatch"), std::string::npos) << e.what();
  }
}

TEST(Bitstream, RefusesABrokenIterationTable) {
  const std::vector<uint8_t> good = write_qc(sample_file(70, 50, 3, 5, 3));
  const QcHeader h = read_qc_header(good.data(), good.size(), "f.qc");
  ASSERT_LT(h.iteration_bytes[0], 0x80u) << "the edits below assume a one-byte first varint";
  // Sizes that do not add up to the payload (past its end, or short of it).
  for (int delta : {+1, -1}) {
    std::vector<uint8_t> bad = good;
    bad[container::kFixedHeaderBytes] = static_cast<uint8_t>(bad[container::kFixedHeaderBytes] + delta);
    reseal(bad, h.head_bytes);
    EXPECT_NE(error_of(bad).find("iteration table disagrees with the payload size"), std::string::npos)
        << error_of(bad);
  }
  // A varint that never ends.
  std::vector<uint8_t> endless = good;
  for (size_t i = container::kFixedHeaderBytes; i < container::kFixedHeaderBytes + h.table_bytes; ++i)
    endless[i] = 0xFF;
  reseal(endless, h.head_bytes);
  EXPECT_NE(error_of(endless).find("corrupt"), std::string::npos) << error_of(endless);
}

}  // namespace
}  // namespace qc
