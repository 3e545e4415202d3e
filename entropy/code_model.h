// The context model for code bits, shared by the encoder, the decoder and the
// cost estimate, and the one traversal of a code stack they all use, so the
// three can never disagree on order or contexts.
//
// Order: iteration by iteration; within one, code positions in raster order;
// at each position, channels in order. A bit's context then holds, for its
// own channel, its west / north / north-west / north-east neighbours in this
// iteration, its own bit at the previous iteration, and the previous
// channel's bit at its position. Each neighbour is a trit: 0 = absent
// (outside the grid, or its tile stopped before this iteration), 1 = bit 0,
// 2 = bit 1, so the tile mask is part of every spatial context.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "entropy/adaptive_bit.h"
#include "entropy/code_stack.h"

namespace qc::entropy {

struct BitContext {
  int iteration, channel;
  int west, north, north_west, north_east;  // same channel and iteration
  int previous;                             // same position, iteration t-1
  int previous_channel;                     // same position, channel c-1
};

class CodeModel {
 public:
  CodeModel(int iterations, int channels);

  // P(bit == 1) in 1/65536 for the coder; call update() with the bit next.
  uint32_t predict(const BitContext& c) {
    const size_t tc = static_cast<size_t>(c.iteration) * channels_ + c.channel;
    const int wn = c.west * 3 + c.north;
    active_[0] = &own_[tc * 27 + wn * 3 + c.previous];
    active_[1] = &neighbours_[static_cast<size_t>(c.iteration) * 243 +
                              ((wn * 3 + c.north_west) * 3 + c.north_east) * 3 + c.previous];
    active_[2] =
        &channel_mix_[static_cast<size_t>(c.channel) * 81 + (wn * 3 + c.previous) * 3 + c.previous_channel];
    for (int i = 0; i < kInputs - 1; ++i) mixer_.set_input(i, stretch(active_[i]->p));
    mixer_.set_input(kInputs - 1, kBias);
    return mixer_.mix(c.iteration);
  }

  void update(int bit) {
    for (Counter* counter : active_) counter->update(bit);
    mixer_.update(bit);
  }

 private:
  static constexpr int kInputs = 4;  // three counters and a bias
  static constexpr int kBias = 256;  // constant input: lets each weight set learn an offset
  using Counter = BitCounter<255>;

  int channels_;
  std::vector<Counter> own_;          // (t, c, W, N, t-1)
  std::vector<Counter> neighbours_;   // (t, W, N, NW, NE, t-1), all channels
  std::vector<Counter> channel_mix_;  // (c, W, N, t-1, c-1), all iterations
  Mixer<kInputs> mixer_;
  Counter* active_[kInputs - 1] = {};
};

// Visits every present bit of `stack` (tiles' counts from `map`) in coding
// order, asks the model for its probability and hands both to
// io.code(uint8_t& bit, uint32_t p1), which encodes or costs the bit (reads
// it) or decodes it (writes it) and returns it. io.begin_iteration(t) is
// called before each iteration's bits (each iteration is its own range-coder
// stream), io.at(iteration, tile) before each position's bits, for per-tile
// accounting.
template <class BitIO>
void traverse_codes(CodeStack& stack, const TileMap& map, BitIO& io) {
  const int rows = stack.rows, cols = stack.cols, channels = stack.channels;
  const std::vector<uint8_t> counts = position_counts(map, rows, cols);
  const size_t plane = static_cast<size_t>(rows) * cols;
  const size_t iteration_stride = plane * channels;
  CodeModel model(stack.iterations, channels);
  BitContext ctx{};
  for (int t = 0; t < stack.iterations; ++t) {
    ctx.iteration = t;
    io.begin_iteration(t);
    for (int y = 0; y < rows; ++y) {
      for (int x = 0; x < cols; ++x) {
        const size_t pos = static_cast<size_t>(y) * cols + x;
        if (counts[pos] <= t) continue;
        const bool has_w = x > 0 && counts[pos - 1] > t;
        const bool has_n = y > 0 && counts[pos - cols] > t;
        const bool has_nw = has_w && has_n && counts[pos - cols - 1] > t;
        const bool has_ne = y > 0 && x + 1 < cols && counts[pos - cols + 1] > t;
        io.at(t, (y / map.tile) * map.tiles_x + x / map.tile);
        uint8_t* bit = &stack.bits[t * iteration_stride + pos];
        for (int c = 0; c < channels; ++c, bit += plane) {
          ctx.channel = c;
          ctx.west = has_w ? 1 + bit[-1] : 0;
          ctx.north = has_n ? 1 + bit[-static_cast<ptrdiff_t>(cols)] : 0;
          ctx.north_west = has_nw ? 1 + bit[-static_cast<ptrdiff_t>(cols) - 1] : 0;
          ctx.north_east = has_ne ? 1 + bit[-static_cast<ptrdiff_t>(cols) + 1] : 0;
          ctx.previous = t > 0 ? 1 + bit[-static_cast<ptrdiff_t>(iteration_stride)] : 0;
          ctx.previous_channel = c > 0 ? 1 + bit[-static_cast<ptrdiff_t>(plane)] : 0;
          model.update(io.code(*bit, coder_probability(model.predict(ctx))));
        }
      }
    }
  }
}

}  // namespace qc::entropy
