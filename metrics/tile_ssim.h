// Per-tile quality of a reconstruction: the mean local SSIM (luma, 11x11
// Gaussian window, sigma 1.5, as in MS-SSIM's first scale) of each tile's
// pixels inside the real image. Bit allocation equalises or trades it.
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

// Tile SSIM against one reference image. The encoder measures many
// reconstructions of the same image, so the reference's luma and its blurred
// statistics are computed once (three planes the size of the image) and each
// measurement blurs only the three that depend on the reconstruction.
class TileSsim {
 public:
  // x: planar 3 x padded_height x padded_width in [-0.5, 0.5].
  TileSsim(const TileGrid& grid, const std::vector<float>& x);
  // x_hat: like x. Returns tiles_y x tiles_x SSIM values (tiles wholly in
  // the padding get 1).
  std::vector<float> measure(const std::vector<float>& x_hat) const;
  const TileGrid& grid() const { return grid_; }

 private:
  TileGrid grid_;
  std::vector<float> luma_, mean_, square_mean_;  // of the reference, padded_height x padded_width
};

// TileSsim(grid, x).measure(x_hat), for a single measurement.
std::vector<float> tile_ssim(const TileGrid& grid, const std::vector<float>& x,
                             const std::vector<float>& x_hat);

}  // namespace qc
