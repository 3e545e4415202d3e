// Per-tile quality of a reconstruction: the mean local SSIM (11x11 Gaussian
// window, sigma 1.5, as in MS-SSIM) of each tile's pixels inside the real
// image, on luma or on each colour plane, at MS-SSIM's first scale or at
// its first few. Bit allocation trades the luma one, the encoder's bit
// search the per-plane one, both over the first kEncoderScales scales.
#pragma once
#include <vector>

namespace qc {

struct TileGrid {
  int width, height;  // real image size
  int padded_width, padded_height;
  int tile_pixels;  // tile side in pixels
  int tiles_x() const { return (padded_width + tile_pixels - 1) / tile_pixels; }
  int tiles_y() const { return (padded_height + tile_pixels - 1) / tile_pixels; }
};

// Pixels of each tile inside the real image (tiles_y x tiles_x): the weight
// of its quality in the allocation.
std::vector<float> tile_pixel_counts(const TileGrid& grid);

// The planes SSIM compares: luma, (R + G + B) / 3; or R, G and B each, their
// SSIM averaged -- nearer the RGB MS-SSIM the codec is judged by, and blind
// to no colour error (the encoder's bit search, which could otherwise buy
// luma with colour).
enum class TilePlanes { kLuma, kRgb };

// The scales the encoder measures: the first three of MS-SSIM's five,
// which carry 63% of its weight (the first alone 4.5%); docs/EFFORT.md and
// docs/ALLOCATION.md measured them against the first alone.
constexpr int kEncoderScales = 3;

// Tile SSIM against one reference image. The encoder measures many
// reconstructions of the same image, so the reference's planes and their
// blurred statistics are computed once (three planes the size of the image
// per compared plane) and each measurement blurs only the three that depend
// on the reconstruction.
class TileSsim {
 public:
  // x: planar 3 x padded_height x padded_width in [-0.5, 0.5]. With
  // `scales` > 1 each tile's SSIM is also taken at MS-SSIM's coarser scales
  // (each the 2x2 means of the one before, the tile's pixels there), and
  // the scales' values averaged with MS-SSIM's weights for them.
  TileSsim(const TileGrid& grid, const std::vector<float>& x, TilePlanes planes = TilePlanes::kLuma,
           int scales = 1);
  // x_hat: like x. Returns tiles_y x tiles_x SSIM values (tiles wholly in
  // the padding get 1).
  std::vector<float> measure(const std::vector<float>& x_hat) const;
  const TileGrid& grid() const { return grid_; }

 private:
  // One plane of the reference at one scale (sides halved `scale` times)
  // and its blurred statistics.
  struct Reference {
    int plane;  // -1: luma, else the colour plane
    int scale, width, height;
    std::vector<float> values, mean, square_mean;  // height x width
  };
  static Reference make_reference(int plane, int scale, int width, int height, std::vector<float> values);
  // Adds the coarse scales' weighted SSIM to `quality` (the first scale's).
  void add_coarse_scales(const std::vector<float>& x_hat, std::vector<float>& quality) const;

  TileGrid grid_;
  int scales_;
  std::vector<Reference> references_;  // the first scale, one per plane
  std::vector<Reference> coarse_;      // the others: per plane, scales ascending
};

// TileSsim(grid, x).measure(x_hat), for a single measurement.
std::vector<float> tile_ssim(const TileGrid& grid, const std::vector<float>& x,
                             const std::vector<float>& x_hat);

}  // namespace qc
