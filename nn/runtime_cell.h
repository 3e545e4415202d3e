// A ConvGRU / ConvLSTM cell on the packed kernels, one output row per work
// item: input conv row, hidden conv row, gate update of that h row, fused,
// so gate tensors are never materialized. The hidden conv reads a copy of h
// taken before the step (int8: the quantized h, a quarter of the float
// state, allocated for the step only), which lets the update write h in place.
#pragma once
#include <vector>

#include "nn/activation_tensor.h"
#include "nn/coding_positions.h"
#include "nn/packed_conv.h"
#include "nn/thread_pool.h"

namespace qc {

// Per-thread buffers of the row loops.
struct RowScratch {
  std::vector<float> a, b;
  KernelScratch acc;
  std::vector<PixelSpan> spans;
};

template <class T>
class RuntimeCell {
 public:
  RuntimeCell(const PackedConv& input, const PackedConv& hidden, CellType type, int hidden_channels);

  // Zero state for an output of height x width.
  void reset(int height, int width);
  // One step on x (the input conv's input, already stored). With `coding`,
  // only the pixels above coding positions are updated; the others keep
  // their state (ArchConfig::freeze_stopped).
  void step(const PaddedTensor<T>& x, ThreadPool& pool, std::vector<RowScratch>& scratch,
            const CodingPositions* coding = nullptr);

  const PackedConv& input() const { return input_; }
  int height() const { return height_; }
  int width() const { return width_; }
  int channels() const { return hidden_channels_; }
  const float* h() const { return h_.data(); }  // NHWC, height x width x channels
  size_t state_bytes() const;                   // h and c; the int8 copy of h lives only during step()

 private:
  const PackedConv& input_;
  const PackedConv& hidden_;
  CellType type_;
  int hidden_channels_;
  int height_ = 0, width_ = 0;
  std::vector<float> h_, c_;
  PaddedTensor<T> h_in_;  // h as the hidden conv reads it
};

// Stores a float NHWC tensor (height x width x channels) into dst, quantized
// with `scale` for int8. With depth_to_space, src is the h x w x 4c tensor
// whose pixel shuffle (torch semantics) is stored at 2h x 2w x c. With
// `computed`, the positions dst's reader computes, only the pixels within
// that reader's reach (dst's border) are stored; the rest stay zero and are
// never read.
template <class T>
void store_tensor(const float* src, int height, int width, int channels, bool depth_to_space, float scale,
                  PaddedTensor<T>& dst, ThreadPool& pool, const CodingPositions* computed = nullptr);

}  // namespace qc
