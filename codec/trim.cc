#include "codec/trim.h"

#include <algorithm>
#include <cstdio>

#include "base/error.h"
#include "codec/allocation.h"
#include "codec/bitstream.h"
#include "codec/coding_loop.h"
#include "codec/planar.h"
#include "entropy/code_coder.h"
#include "metrics/tile_ssim.h"
#include "nn/runtime_graph.h"

namespace qc {
namespace {

// Budget bisection rounds: each costs one entropy coding of the kept bits.
constexpr int kSearchRounds = 32;

std::string bpp_text(double bytes, double pixels) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f bpp", bytes * 8.0 / pixels);
  return text;
}

// The tables the allocator trades on, from the decoder alone: each tile's
// mean squared change of the reconstruction at every iteration (for a
// decoder that estimates the residual well, what that iteration removed from
// the squared error, so the sum over 1..k is the quality of stopping at k),
// held flat beyond the tile's own count, and the cost of each stored
// (iteration, tile). One decoder pass over `depth` iterations and no
// reference image. (Tile SSIM against the whole file's decoded image, in
// two passes, chose no better on Kodak and took twice as long.)
AllocationTables energy_tables(const QcFile& file, const RuntimeNetwork& net, int depth,
                               const Progress& progress) {
  const int width = static_cast<int>(file.width), height = static_cast<int>(file.height);
  const int padded_w = padded_side(width), padded_h = padded_side(height);
  const TileGrid grid{width, height, padded_w, padded_h, file.map.tile * ArchConfig::kStride};
  const int tiles = file.map.tiles_x * file.map.tiles_y;
  AllocationTables t;
  t.iterations = depth;
  t.tiles = tiles;
  t.quality.assign(static_cast<size_t>(tiles) * (depth + 1), 0.0f);
  t.weight = tile_pixel_counts(grid);
  CodingLoop loop(net, padded_h, padded_w, false);
  const std::vector<uint8_t> counts = position_counts(file.map, loop.rows(), loop.cols());
  std::vector<float> before(loop.reconstruction().size(), 0.0f);
  const size_t plane = static_cast<size_t>(padded_w) * padded_h;
  std::vector<double> gain(tiles);
  for (int k = 1; k <= depth; ++k) {
    loop.decode_step(file.codes, counts);
    const std::vector<float>& after = loop.reconstruction();
    std::fill(gain.begin(), gain.end(), 0.0);
    for (int c = 0; c < 3; ++c) {
      for (int y = 0; y < height; ++y) {
        const size_t row = c * plane + static_cast<size_t>(y) * padded_w;
        double* tile_row = &gain[static_cast<size_t>(y / grid.tile_pixels) * grid.tiles_x()];
        for (int x = 0; x < width; ++x) {
          const double d = after[row + x] - before[row + x];
          tile_row[x / grid.tile_pixels] += d * d;
        }
      }
    }
    before = after;
    for (int tile = 0; tile < tiles; ++tile) {
      const int cap = std::min<int>(file.map.counts[tile], depth);
      float* q = &t.quality[static_cast<size_t>(tile) * (depth + 1)];
      const double mean = t.weight[tile] > 0 ? gain[tile] / t.weight[tile] : 0.0;
      q[k] = k <= cap ? q[k - 1] + static_cast<float>(mean) : q[k - 1];
    }
    if (progress) progress(k / (depth + 1.0));
  }
  t.cost = measure_codes(file.codes, file.map).tile_cost;  // 0 beyond each tile's count
  t.cost.resize(static_cast<size_t>(depth) * tiles);
  return t;
}

}  // namespace

TrimResult trim(const uint8_t* data, size_t size, const Model& model, const TrimOptions& options,
                const std::string& name, const Progress& progress) {
  QcFile file = read_qc(data, size, model.fingerprint, name);
  const double pixels = double(file.width) * file.height;
  const double target = options.bpp * pixels / 8.0;
  if (!(options.bpp > 0)) throw Error(name + ": the target rate must be positive");
  if (target >= static_cast<double>(size)) {
    throw Error(name + ": the target " + bpp_text(target, pixels) + " is not below the file's own " +
                bpp_text(size, pixels) + "; trim only lowers a rate");
  }
  const TileMap caps = file.map;
  QcFile smallest = file;
  smallest.map = caps.capped(0);
  const size_t smallest_bytes = write_qc(smallest).size();
  if (smallest_bytes > target) {
    throw Error(name + ": the smallest file this one trims to is " + bpp_text(smallest_bytes, pixels));
  }
  RuntimeNetwork net(model.qcm, RuntimeOptions{options.threads, ActivationMode::kInt8});
  const int depth =
      std::min(file.codes.iterations, analysis_depth(options.bpp, file.code_channels, file.codes.iterations));
  const AllocationTables tables = energy_tables(file, net, depth, progress);

  const TileMap limit = caps.capped(tables.iterations);
  // The largest file within the target: bisect the allocation budget on the
  // real size (the tables ignore how contexts change with the map).
  auto trimmed = [&](uint64_t budget) {
    TileMap map = caps;
    map.counts = allocate(tables, budget, options.rule, AllocationCeiling::kAllIterations);
    for (size_t t = 0; t < map.counts.size(); ++t) map.counts[t] = std::min(map.counts[t], limit.counts[t]);
    QcFile out = file;
    out.map = map;
    return TrimResult{write_qc(out), map};
  };
  TrimResult best = trimmed(0);
  uint64_t lo = 0, hi = allocation_cost(tables, limit.counts);
  for (int round = 0; round < kSearchRounds && lo < hi; ++round) {
    const uint64_t mid = lo + (hi - lo + 1) / 2;
    TrimResult candidate = trimmed(mid);
    if (candidate.bytes.size() <= target) {
      if (candidate.bytes.size() > best.bytes.size()) best = std::move(candidate);
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  if (progress) progress(1.0);
  return best;
}

}  // namespace qc
