// Encoder: analysis pass, bit allocation, closed-loop coding passes, rate and
// quality control.
#include <algorithm>
#include <cmath>
#include <optional>

#include "base/error.h"
#include "codec/bit_search.h"
#include "codec/bitstream.h"
#include "codec/codec.h"
#include "codec/coding_loop.h"
#include "codec/planar.h"
#include "entropy/code_coder.h"
#include "metrics/metrics.h"
#include "metrics/tile_ssim.h"
#include "nn/runtime_graph.h"

namespace qc {
namespace {

constexpr int kMaxRatePasses = 8;
constexpr double kRateLow = 0.95, kRateHigh = 1.01;  // accepted size / target
constexpr int kQualityPasses = 7;

class Encoder {
 public:
  Encoder(const Image& image, const Model& model, const EncodeOptions& options, const Progress& progress)
      : image_(image),
        options_(options),
        progress_(progress),
        net_(model.qcm, RuntimeOptions{options.threads, ActivationMode::kInt8}),
        x_(to_planar(image)),
        grid_{image.width, image.height, x_.width, x_.height, options.tile * ArchConfig::kStride},
        tile_quality_(grid_, x_.data, TilePlanes::kLuma, kEncoderScales),
        rows_(x_.height / ArchConfig::kStride),
        cols_(x_.width / ArchConfig::kStride),
        iterations_(net_.config().iterations),
        search_(search_level(options.effort)) {
    file_.width = image.width;
    file_.height = image.height;
    file_.channels = image.channels;
    file_.model_fingerprint = model.fingerprint;
    file_.code_channels = net_.config().code_channels;
    if (image.has_alpha()) {
      file_.alpha.resize(static_cast<size_t>(image.width) * image.height);
      for (size_t i = 0; i < file_.alpha.size(); ++i) {
        file_.alpha[i] = image.pixels[i * image.channels + image.channels - 1];
      }
    }
  }

  EncodeResult run() {
    if (options_.iterations > 0) {
      if (options_.iterations > iterations_) {
        throw Error("--iterations: this model codes at most " + std::to_string(iterations_));
      }
      return finish(code(TileMap(options_.tile, rows_, cols_, options_.iterations), false, search_));
    }
    if (options_.allocation) {
      const TileMap& map = *options_.allocation;
      if (map.tile < 1 || map.tile > kMaxTile || map.tiles_x != (cols_ + map.tile - 1) / map.tile ||
          map.tiles_y != (rows_ + map.tile - 1) / map.tile ||
          map.counts.size() != static_cast<size_t>(map.tiles_x) * map.tiles_y) {
        throw Error("the allocation does not cover the image's code grid");
      }
      if (map.max_count() > iterations_) {
        throw Error("the allocation asks for more than the model's " + std::to_string(iterations_) +
                    " iterations");
      }
      return finish(code(map, false, search_));
    }
    if (options_.bpp > 0) {
      analyse(analysis_depth(options_.bpp, file_.code_channels, iterations_));
      Coded chosen = rate_controlled();
      chosen.result.passes = passes_;  // all the work, not just the kept file's
      return std::move(chosen.result);
    }
    analyse(iterations_);
    EncodeResult result = control_quality();
    if (search_.rounds > 0) {  // the searched file decodes at least as well
      result.bytes = code(result.map, false, search_).bytes;
      result.passes = passes_;
    }
    return result;
  }

 private:
  struct Pass {
    std::vector<uint8_t> bytes;
    TileMap map;
    std::vector<float> reconstruction;
  };

  // A finished candidate file and, once its quality was needed, what it decodes to.
  struct Coded {
    EncodeResult result;
    std::vector<float> reconstruction;
  };

  void report(double done) {
    if (progress_) progress_(std::min(1.0, done));
  }

  // Work is counted in network iterations; the budget is a guess for progress.
  void advance() {
    ++iterations_run_;
    report(iterations_run_ / (iterations_ * 4.0));
  }

  // Codes every tile to `depth` iterations, recording each tile's quality
  // after every iteration and what each (iteration, tile) costs.
  void analyse(int depth) {
    TileMap full(options_.tile, rows_, cols_, depth);
    const std::vector<uint8_t> counts = position_counts(full, rows_, cols_);
    CodingLoop loop(net_, x_.height, x_.width, true);
    CodeStack codes(depth, file_.code_channels, rows_, cols_);
    const int tiles = full.tiles_x * full.tiles_y;
    tables_.iterations = depth;
    tables_.tiles = tiles;
    tables_.quality.assign(static_cast<size_t>(tiles) * (depth + 1), 0.0f);
    auto record = [&](int k) {
      std::vector<float> q = tile_quality_.measure(loop.reconstruction());
      for (int t = 0; t < tiles; ++t) tables_.quality[static_cast<size_t>(t) * (depth + 1) + k] = q[t];
    };
    record(0);
    for (int i = 0; i < depth; ++i) {
      loop.encode_step(x_.data, counts, codes);
      record(i + 1);
      advance();
    }
    tables_.weight = tile_pixel_counts(grid_);
    tables_.cost = measure_codes(codes, full).tile_cost;
  }

  // One closed-loop pass with the given allocation: the file it makes, and
  // (only when asked: it is as large as the image) the reconstruction. With
  // search rounds, each iteration's bits are searched (bit_search.h).
  Pass code(const TileMap& map, bool keep_reconstruction = false, SearchLevel search = {}) {
    const std::vector<uint8_t> counts = position_counts(map, rows_, cols_);
    const int n = map.max_count();
    CodingLoop loop(net_, x_.height, x_.width, true);
    file_.codes = CodeStack(n, file_.code_channels, rows_, cols_);
    int iteration = 0;
    CodingLoop::BitChooser choose;
    if (search.rounds > 0) {
      if (!block_quality_) {
        block_quality_.emplace(TileGrid{image_.width, image_.height, x_.width, x_.height, ArchConfig::kStride},
                               x_.data, TilePlanes::kRgb, kEncoderScales);
      }
      SearchSetup setup{*block_quality_,
                        search,
                        marginal_lambda(map),
                        nullptr};
      setup.rate = [&](const std::vector<int8_t>& signs) {
        return iteration_rate(file_.codes, map, iteration, signs);
      };
      setup.last_iteration = [&](size_t p) { return counts[p] == iteration + 1; };
      choose = [&, setup](std::vector<int8_t>& signs, const std::vector<float>& values, DecoderState& decoder,
                          std::vector<float>& x_hat) {
        search_bits(setup, values, signs, file_.code_channels, decoder, x_hat);
      };
    }
    for (; iteration < n; ++iteration) {
      loop.encode_step(x_.data, counts, file_.codes, choose);
      advance();
    }
    file_.map = map;
    ++passes_;
    return {write_qc(file_), map, keep_reconstruction ? loop.reconstruction() : std::vector<float>()};
  }

  // The file for a rate target. At effort > 1 every pass is searched, so
  // rate control measures the files it sends.
  Coded rate_controlled() {
    Coded chosen = control_rate(options_.rule, AllocationCeiling::kTileQuality);
    // Adaptive allocation helps only as far as the decoder copes with
    // tiles at different depths: keep whichever file decodes better, even
    // when the uniform one lands further below the target rate.
    if (options_.compare_uniform && options_.rule != AllocationRule::kUniform) {
      chosen =
          better(std::move(chosen), control_rate(AllocationRule::kUniform, AllocationCeiling::kTileQuality));
    }
    // Tile SSIM (the tables' measure) can peak before the image's MS-SSIM
    // does: when that ceiling leaves the file short of the target, code on
    // to the last analysed iteration and keep that file if it decodes at
    // least as well.
    if (chosen.result.bytes.size() < kRateLow * target_bytes()) {
      Coded fuller = control_rate(options_.rule, AllocationCeiling::kAllIterations);
      if (fuller.result.target_met) chosen = better(std::move(fuller), std::move(chosen));
    }
    return chosen;
  }

  // The search's lambda: the SSIM error (pixels) one more iteration on every
  // tile that can take one would remove, per bit it would cost, as the
  // analysis tables measured -- the allocation's marginal trade. 0 (rate not
  // weighed) when the allocation was given rather than searched.
  double marginal_lambda(const TileMap& map) const {
    if (tables_.iterations == 0) return 0;
    double gain = 0, bits = 0;
    for (int t = 0; t < tables_.tiles; ++t) {
      const int k = map.counts[t];
      if (k >= tables_.iterations) continue;
      gain += (tables_.quality_at(t, k + 1) - tables_.quality_at(t, k)) * tables_.weight[t];
      bits += tables_.cost[static_cast<size_t>(k) * tables_.tiles + t] / 256.0;
    }
    return bits > 0 ? std::max(0.0, gain / bits) : 0.0;
  }

  TileMap map_for(uint64_t budget, AllocationRule rule, AllocationCeiling ceiling) const {
    TileMap map(options_.tile, rows_, cols_, 0);
    map.counts = allocate(tables_, budget, rule, ceiling);
    return map;
  }

  // MS-SSIM of a candidate's decoded image; codes its map again (the same
  // bytes) when the reconstruction was not kept.
  double quality(Coded& c) {
    if (c.reconstruction.empty()) c.reconstruction = code(c.result.map, true, search_).reconstruction;
    return ms_ssim(image_, decoded(c.reconstruction));
  }

  // The candidate that decodes to the higher MS-SSIM (a on ties).
  Coded better(Coded a, Coded b) { return quality(b) > quality(a) ? std::move(b) : std::move(a); }

  double target_bytes() const { return options_.bpp * image_.width * image_.height / 8.0; }

  EncodeResult finish(Pass pass, bool met = true, std::string note = {}) {
    report(1.0);
    return {std::move(pass.bytes), std::move(pass.map), passes_, met, std::move(note)};
  }

  // Size in [0.95, 1.01] x target: start from the analysis tables, then
  // correct the budget by how far each real file missed (the tables ignore
  // how contexts change with the allocation), bisecting once bracketed.
  Coded control_rate(AllocationRule rule, AllocationCeiling ceiling) {
    const double target = target_bytes();
    // The most this rule will spend.
    const std::vector<uint8_t> fullest = allocate(tables_, UINT64_MAX, rule, ceiling);
    const double full_cost = static_cast<double>(allocation_cost(tables_, fullest));
    double budget = first_budget();
    double too_small = 0, too_large = -1;  // budgets known to miss (-1: none yet)
    Pass best;
    bool have_best = false;
    for (int round = 0; round < kMaxRatePasses; ++round) {
      Pass pass = code(map_for(static_cast<uint64_t>(budget), rule, ceiling), false, search_);
      const double ratio = pass.bytes.size() / target;
      if (ratio <= kRateHigh && (!have_best || pass.bytes.size() > best.bytes.size())) {
        best = pass;
        have_best = true;
      }
      if (ratio >= kRateLow && ratio <= kRateHigh) return {finish(std::move(best)), {}};
      if (ratio < kRateLow) {
        if (budget >= full_cost) break;  // every tile is already at the maximum
        too_small = budget;
      } else {
        too_large = budget;
      }
      double next = std::min(budget * 0.98 / ratio, full_cost);
      if (too_large >= 0 && (next <= too_small || next >= too_large)) next = 0.5 * (too_small + too_large);
      budget = next;
    }
    if (!have_best) {
      return {finish(code(TileMap(options_.tile, rows_, cols_, 0), false, search_), false,
                     "the smallest file this model makes is larger than the target"),
              {}};
    }
    const bool maxed = best.map.counts == fullest;
    const char* note = !maxed
                           ? "rate control did not land within -5%/+1% of the target"
                           : "more bits would lower the quality: this model's best is below the target rate";
    return {finish(std::move(best), false, note), {}};
  }

  // Fewest bits whose decoded MS-SSIM reaches the target: bisect the
  // allocation budget, measuring each candidate exactly (closed loop).
  EncodeResult control_quality() {
    const uint64_t full = allocation_cost(tables_, std::vector<uint8_t>(tables_.tiles, tables_.iterations));
    uint64_t lo = 0, hi = full;
    Pass best;
    bool have_best = false;
    for (int round = 0; round < kQualityPasses && lo < hi; ++round) {
      const uint64_t mid = round == 0 ? hi : lo + (hi - lo) / 2;
      Pass pass = code(map_for(mid, options_.rule, AllocationCeiling::kTileQuality), true);
      const double q = ms_ssim(image_, decoded(pass.reconstruction));
      if (q >= options_.quality) {
        best = std::move(pass);
        have_best = true;
        hi = mid;
      } else {
        if (round == 0) {
          return finish(std::move(pass), false,
                        "MS-SSIM " + std::to_string(q) + " at the model's maximum rate is below the target");
        }
        lo = mid + 1;
      }
    }
    return finish(std::move(best), have_best);
  }

  Image decoded(const std::vector<float>& reconstruction) const {
    return from_planar(reconstruction.data(), x_.width, x_.height, image_.width, image_.height,
                       image_.channels >= 3 ? 3 : 1);
  }

  // Rate control's first allocation budget (1/256 bits), from the target.
  // Searched files need no margin: flips only in last iterations leave a
  // file's size where the network's bits put it (docs/EFFORT.md).
  double first_budget() { return std::max(0.0, target_bytes() * 0.98 - overhead_bytes()) * 8 * 256; }

  // Container header, checksum, alpha and an all-zero map: the file without codes.
  double overhead_bytes() {
    file_.map = TileMap(options_.tile, rows_, cols_, 0);
    file_.codes = CodeStack(0, file_.code_channels, rows_, cols_);
    return static_cast<double>(write_qc(file_).size());
  }

  const Image& image_;
  EncodeOptions options_;
  Progress progress_;
  RuntimeNetwork net_;
  PlanarImage x_;
  TileGrid grid_;
  TileSsim tile_quality_;                   // per allocation tile
  std::optional<TileSsim> block_quality_;  // per code position, for the bit search
  int rows_, cols_, iterations_;
  SearchLevel search_;
  QcFile file_;
  AllocationTables tables_;
  int passes_ = 0;
  int iterations_run_ = 0;
};

}  // namespace

EncodeResult encode(const Image& image, const Model& model, const EncodeOptions& options,
                    const Progress& progress) {
  if (image.channels < 1 || image.channels > 4 || image.width < 1 || image.height < 1) {
    throw Error("cannot encode an empty image or one with more than 4 channels");
  }
  const int targets =
      (options.bpp > 0) + (options.quality > 0) + (options.iterations > 0) + options.allocation.has_value();
  if (targets != 1) {
    throw Error("give exactly one of a rate, a quality, an iteration count or an allocation");
  }
  if (options.quality > 0 && options.quality >= 1) throw Error("--quality is an MS-SSIM below 1");
  if (options.tile < 1 || options.tile > kMaxTile) throw Error("tile size out of range");
  if (options.effort < 1 || options.effort > kMaxEffort) {
    throw Error("effort must be 1.." + std::to_string(kMaxEffort));
  }
  return Encoder(image, model, options, progress).run();
}

}  // namespace qc
