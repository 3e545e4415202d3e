#include "codec/planar.h"

#include <gtest/gtest.h>

#include "metrics/tile_ssim.h"

namespace qc {
namespace {

TEST(Planar, PadsByEdgeReplicationAndCropsBack) {
  Image image(17, 3, 3);
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>(i * 7);
  PlanarImage planar = to_planar(image);
  ASSERT_EQ(planar.width, 32);
  ASSERT_EQ(planar.height, 16);
  // The padding repeats the last column and row.
  for (int c = 0; c < 3; ++c) {
    EXPECT_FLOAT_EQ(planar.plane(c)[31], image.at(16, 0, c) / 255.0f - 0.5f);
    EXPECT_FLOAT_EQ(planar.plane(c)[15 * 32 + 5], image.at(5, 2, c) / 255.0f - 0.5f);
  }
  Image back = from_planar(planar.data.data(), planar.width, planar.height, 17, 3, 3);
  EXPECT_EQ(back.pixels, image.pixels);
}

TEST(Planar, GrayGoesInAsThreeEqualPlanesAndComesBackGray) {
  Image gray(5, 5, 2);  // gray + alpha: alpha is not part of the planes
  for (size_t i = 0; i < gray.pixels.size(); ++i) gray.pixels[i] = static_cast<uint8_t>(i * 11);
  PlanarImage planar = to_planar(gray);
  const size_t plane = static_cast<size_t>(planar.width) * planar.height;
  for (size_t i = 0; i < plane; ++i) {
    EXPECT_EQ(planar.data[i], planar.data[i + plane]);
    EXPECT_EQ(planar.data[i], planar.data[i + 2 * plane]);
  }
  Image back = from_planar(planar.data.data(), planar.width, planar.height, 5, 5, 1);
  for (int y = 0; y < 5; ++y) {
    for (int x = 0; x < 5; ++x) EXPECT_EQ(back.at(x, y, 0), gray.at(x, y, 0));
  }
}

TEST(Planar, ClampsOutOfRangeReconstructions) {
  std::vector<float> planes(3 * 16 * 16, 0.0f);
  planes[0] = 3.0f;
  planes[1] = -3.0f;
  Image out = from_planar(planes.data(), 16, 16, 2, 1, 3);
  EXPECT_EQ(out.at(0, 0, 0), 255);
  EXPECT_EQ(out.at(1, 0, 0), 0);
  EXPECT_EQ(out.at(0, 0, 1), 128);  // 0.0 + 0.5 -> 127.5 rounds away from zero
}

}  // namespace
}  // namespace qc

namespace qc {
namespace {

TEST(TileQuality, OnlyTheDamagedTileLosesQuality) {
  Image image(96, 64, 3);
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>((i * 37) % 251);
  PlanarImage x = to_planar(image);
  TileGrid grid{96, 64, x.width, x.height, 32};
  std::vector<float> same = tile_ssim(grid, x.data, x.data);
  ASSERT_EQ(same.size(), 6u);
  for (float q : same) EXPECT_NEAR(q, 1.0f, 1e-5f);

  // Flatten the middle of tile (1, 1): it and only it loses quality (its
  // neighbours see the damage only through the 5-pixel window).
  std::vector<float> damaged = x.data;
  const size_t plane = static_cast<size_t>(x.width) * x.height;
  for (int c = 0; c < 3; ++c) {
    for (int y = 40; y < 56; ++y) {
      for (int i = 40; i < 56; ++i) damaged[c * plane + y * x.width + i] = 0.0f;
    }
  }
  std::vector<float> q = tile_ssim(grid, x.data, damaged);
  EXPECT_LT(q[4], 0.8f);
  for (int t : {0, 1, 2, 3, 5}) EXPECT_NEAR(q[t], 1.0f, 1e-5f) << "tile " << t;
}

// A colour error that leaves luma as it was: luma tile SSIM misses it, the
// per-plane measure (the bit search's) does not. Equal images score 1 both ways.
TEST(TileQuality, RgbPlanesSeeColourErrorsLumaMisses) {
  Image image(64, 64, 3);
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>(64 + (i * 37) % 128);
  PlanarImage x = to_planar(image);
  TileGrid grid{64, 64, x.width, x.height, 32};
  const size_t plane = static_cast<size_t>(x.width) * x.height;
  std::vector<float> tinted = x.data;
  for (int y = 0; y < 24; ++y) {  // inside tile 0 with the window's reach
    for (int i = 0; i < 24; ++i) {
      tinted[y * x.width + i] += 0.2f;              // red up
      tinted[2 * plane + y * x.width + i] -= 0.2f;  // blue down by as much
    }
  }
  const TileSsim luma(grid, x.data), rgb(grid, x.data, TilePlanes::kRgb);
  for (float q : rgb.measure(x.data)) EXPECT_NEAR(q, 1.0f, 1e-5f);
  EXPECT_NEAR(luma.measure(tinted)[0], 1.0f, 1e-4f);
  EXPECT_LT(rgb.measure(tinted)[0], 0.98f);
  for (int t : {1, 2, 3}) EXPECT_NEAR(rgb.measure(tinted)[t], 1.0f, 1e-5f) << "tile " << t;
}

// With MS-SSIM's coarser scales, as the encoder measures: equal images
// still score 1 (odd sizes too, where the coarse pixels are part padding),
// damage stays local, and a pixel-level checkerboard -- which 2x2 means
// cancel, so MS-SSIM barely sees it -- costs far less than at the first
// scale alone.
TEST(TileQuality, CoarseScalesWeighFineNoiseAsMsSsimDoes) {
  Image image(150, 98, 3);
  for (size_t i = 0; i < image.pixels.size(); ++i) image.pixels[i] = static_cast<uint8_t>(64 + (i * 37) % 128);
  PlanarImage x = to_planar(image);
  TileGrid grid{150, 98, x.width, x.height, 32};
  const TileSsim first(grid, x.data), three(grid, x.data, TilePlanes::kLuma, kEncoderScales);
  for (float q : three.measure(x.data)) EXPECT_NEAR(q, 1.0f, 1e-5f);

  std::vector<float> noisy = x.data;
  const size_t plane = static_cast<size_t>(x.width) * x.height;
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 32; ++y)
      for (int i = 0; i < 32; ++i) noisy[c * plane + y * x.width + i] += (y + i) % 2 ? 0.1f : -0.1f;
  const std::vector<float> q1 = first.measure(noisy), q3 = three.measure(noisy);
  EXPECT_LT(q1[0], 0.8f);
  EXPECT_GT(q3[0], q1[0] + 0.1f);
  const int tx = grid.tiles_x();
  for (int t : {2, 3, 2 * tx, 2 * tx + 2}) EXPECT_NEAR(q3[t], 1.0f, 1e-5f) << "tile " << t;
}

}  // namespace
}  // namespace qc
