// The same input and model give the same .qc bytes, byte for byte, as the
// files committed in tests/data/golden/: a refactoring must not move a bit.
// A deliberate format or shipped-model change rewrites them with
// QC_WRITE_GOLDEN=1 (and says so in its commit).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "base/file_io.h"
#include "codec/codec.h"
#include "image/image_io.h"
#include "tests/coding/codec_fixtures.h"

namespace qc {
namespace {

void expect_golden(const std::string& name, const std::vector<uint8_t>& bytes) {
  const std::string path = std::string(QC_TEST_DATA) + "/golden/" + name;
  if (const char* write = std::getenv("QC_WRITE_GOLDEN"); write && std::string(write) == "1") {
    write_file_atomic(path, bytes, Overwrite::kAllow);
    return;
  }
  ASSERT_TRUE(file_exists(path)) << path << " missing (QC_WRITE_GOLDEN=1 writes it)";
  EXPECT_EQ(read_file(path, 1 << 20), bytes) << name << " changed";
}

Image fixture(const char* name) { return read_image(std::string(QC_TEST_DATA) + "/" + name).image; }

TEST(Golden, RandomModelWithAGivenAllocation) {
  const Model model = small_model();
  const Image image = fixture("rgba_32x32.png");
  EncodeOptions o;
  o.threads = 1;
  o.allocation = TileMap(1, 2, 2, 0);
  o.allocation->counts = {1, 6, 3, 0};
  expect_golden("rgba_32x32_random_model.qc", encode(image, model, o).bytes);
}

TEST(Golden, ShippedModelUnderRateControl) {
  const Model model = model_from_file(QC_SHIPPED_MODEL);
  EncodeOptions o;
  o.threads = 1;
  o.bpp = 0.5;
  expect_golden("rgb_67x45_shipped_0.5bpp.qc", encode(fixture("rgb_67x45.png"), model, o).bytes);
  o.bpp = 1.0;
  expect_golden("gray_40x40_shipped_1bpp.qc", encode(fixture("gray_40x40.png"), model, o).bytes);
}

}  // namespace
}  // namespace qc
