// One conv layer of a .qcm model, ready to run: the sign bits repacked into
// the kernel mask layout (still 1 bit per weight and basis), scales, biases,
// and, for the float reference mode, the dequantized weights.
//
// int8 mode, per output pixel and channel o:
//   acc_k = sum over taps and input channels of q * B_k  (exact int32)
//   out   = input_scale * (alpha[0][o] acc_0 + alpha[1][o] acc_1 + ...) + bias[o]
// evaluated in that order in float, in one place, whatever the ISA.
// float mode: out = bias[o] + sum of x * W with W = sum_k alpha[k][o] B_k.
#pragma once
#include <cstdint>
#include <vector>

#include "nn/activation_tensor.h"
#include "nn/architecture.h"
#include "nn/cache_line_vector.h"
#include "nn/model_file.h"

namespace qc {

// The kernel's int32 counts of a row (one per thread, reused between calls).
using KernelScratch = CacheLineVector<int32_t>;

class PackedConv {
 public:
  // kDrop: int8 mode only; the dequantized float weights (32 times the
  // packed bits) are not kept, and the float run_row refuses to run.
  enum class FloatWeights { kKeep, kDrop };
  PackedConv(const LayerSpec& spec, const QuantLayer& layer,
             FloatWeights float_weights = FloatWeights::kKeep);

  int in_channels() const { return in_channels_; }
  int out_channels() const { return out_channels_; }
  int kernel() const { return kernel_; }
  int stride() const { return stride_; }
  int bases() const { return bases_; }
  int pad() const { return kernel_ / 2; }
  float input_scale() const { return input_scale_; }
  // Output size along a side of `in` pixels.
  int out_size(int in) const { return (in + 2 * pad() - kernel_) / stride_ + 1; }
  // Multiply-accumulates per output pixel (bases counted).
  int64_t macs_per_pixel() const {
    return int64_t{bases_} * out_channels_ * in_channels_ * kernel_ * kernel_;
  }

  // Output pixels [x0, x1) of row y (x1 - x0 pixels x out_channels, NHWC)
  // into out; each pixel's value does not depend on the span it is in.
  // `in` must have this layer's channels and a border of at least pad().
  // `scratch` is reused between calls (one per thread).
  void run_span(const QuantizedTensor& in, int y, int x0, int x1, float* out,
                KernelScratch& scratch) const;
  void run_span(const FloatTensor& in, int y, int x0, int x1, float* out,
                KernelScratch& scratch) const;
  // The whole output row y (out_size(in.width) pixels).
  template <class T>
  void run_row(const PaddedTensor<T>& in, int y, float* out, KernelScratch& scratch) const {
    run_span(in, y, 0, out_size(in.width), out, scratch);
  }
  // run_row's integer part alone (the binary kernel's counts into scratch,
  // no epilogue); public so that the benchmark can time the kernel apart.
  void count_row(const QuantizedTensor& in, int y, KernelScratch& scratch) const {
    count_span(in, y, 0, out_size(in.width), scratch);
  }

 private:
  template <class T>
  void check_input(const PaddedTensor<T>& in, int x0, int x1) const;
  void count_span(const QuantizedTensor& in, int y, int x0, int x1, KernelScratch& scratch) const;

  int in_channels_, out_channels_, kernel_, stride_, bases_, blocks_, groups_;
  float input_scale_;
  std::vector<uint64_t> masks_;       // [blocks][taps][groups], see binary_kernels.h
  CacheLineVector<uint8_t> amx_weights_;  // the AMX layout of masks_; empty where the CPU has no AMX
  std::vector<float> alpha_;          // [bases][out]
  std::vector<float> bias_;           // [out], zeros when the layer has none
  std::vector<float> float_weights_;  // [taps][in][out], dequantized; empty with kDrop
};

}  // namespace qc
