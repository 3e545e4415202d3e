// The fuzz targets in the ordinary build: every seed and every input that
// once crashed a target (tests/reliability/fuzz_regressions/<target>/) runs
// through it again, and the seeds must still be valid inputs, so that the
// fuzzers start deep inside each parser.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "base/file_io.h"
#include "codec/bitstream.h"
#include "fuzz/fuzz_targets.h"
#include "image/image_io.h"
#include "nn/model_file.h"
#include "tests/reliability/fuzz_seeds.h"

namespace qc {
namespace {

namespace fs = std::filesystem;
using Target = void (*)(const uint8_t*, size_t);

struct TargetCase {
  const char* name;
  Target run;
};
const TargetCase kTargets[] = {{"qc", fuzz::fuzz_qc},
                               {"qcm", fuzz::fuzz_qcm},
                               {"png", fuzz::fuzz_png},
                               {"jpeg", fuzz::fuzz_jpeg},
                               {"decode", fuzz::fuzz_decode}};

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  if (fs::is_directory(dir))
    for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  return files;
}

std::vector<uint8_t> contents(const fs::path& path) { return read_file(path, 64 << 20); }

fs::path seeds(const std::string& target) { return fs::path(QC_FUZZ_DIR) / "corpus" / target; }

class FuzzTarget : public ::testing::TestWithParam<TargetCase> {};

TEST_P(FuzzTarget, SeedsAndRegressionInputsRunCleanly) {
  const std::vector<fs::path> corpus = files_in(seeds(GetParam().name));
  EXPECT_FALSE(corpus.empty()) << "no seeds for " << GetParam().name;
  std::vector<fs::path> inputs = corpus;
  for (const fs::path& p : files_in(fs::path(QC_REGRESSION_DIR) / GetParam().name)) inputs.push_back(p);
  for (const fs::path& path : inputs) {
    SCOPED_TRACE(path.string());
    const std::vector<uint8_t> bytes = contents(path);
    GetParam().run(bytes.data(), bytes.size());
  }
}

INSTANTIATE_TEST_SUITE_P(AllTargets, FuzzTarget, ::testing::ValuesIn(kTargets),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(FuzzSeeds, QcSeedsRead) {
  for (const fs::path& path : files_in(seeds("qc"))) {
    const std::vector<uint8_t> bytes = contents(path);
    EXPECT_NO_THROW(read_qc(bytes.data(), bytes.size(), fuzz::kQcSeedFingerprint, path)) << path;
  }
}

TEST(FuzzSeeds, DecodeSeedsDecodeWithTheFuzzModel) {
  for (const fs::path& path : files_in(seeds("decode"))) {
    const std::vector<uint8_t> bytes = contents(path);
    EXPECT_NO_THROW(decode(bytes.data(), bytes.size(), fuzz::fuzz_model(), 1, path)) << path;
  }
}

TEST(FuzzSeeds, ImageSeedsDecode) {
  for (const char* target : {"png", "jpeg"}) {
    for (const fs::path& path : files_in(seeds(target))) {
      const std::vector<uint8_t> bytes = contents(path);
      EXPECT_NO_THROW(decode_image(bytes.data(), bytes.size(), path)) << path;
    }
  }
}

// Both modes: a whole file, and a body that wrap_qcm_body makes a valid file
// of (which also pins wrap_qcm_body to the format's real checksum).
TEST(FuzzSeeds, QcmSeedsParseInBothModes) {
  std::set<int> modes;
  for (const fs::path& path : files_in(seeds("qcm"))) {
    const std::vector<uint8_t> bytes = contents(path);
    ASSERT_FALSE(bytes.empty());
    modes.insert(bytes[0]);
    const std::vector<uint8_t> file = bytes[0] == fuzz::kQcmBody
                                          ? fuzz::wrap_qcm_body(bytes.data() + 1, bytes.size() - 1)
                                          : std::vector<uint8_t>(bytes.begin() + 1, bytes.end());
    EXPECT_NO_THROW(parse_qcm(file.data(), file.size(), path)) << path;
  }
  EXPECT_EQ(modes, (std::set<int>{fuzz::kQcmFile, fuzz::kQcmBody}));
}

// QC_WRITE_FUZZ_SEEDS=DIR writes the generated seeds to DIR/<target>/ (to
// refresh fuzz/corpus after a format change).
TEST(FuzzSeeds, WriteWhenAsked) {
  const char* out = std::getenv("QC_WRITE_FUZZ_SEEDS");
  if (!out || !*out) GTEST_SKIP() << "set QC_WRITE_FUZZ_SEEDS=DIR to write the seed corpora";
  for (const auto& [target, files] : testing::make_fuzz_seeds()) {
    fs::create_directories(fs::path(out) / target);
    for (const auto& [name, bytes] : files) {
      ASSERT_FALSE(bytes.empty()) << target << "/" << name;
      write_file_atomic((fs::path(out) / target / name).string(), bytes, Overwrite::kAllow);
    }
  }
}

}  // namespace
}  // namespace qc
