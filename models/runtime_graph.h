// The codec network on the bit-packed kernels (no LibTorch), driven one
// coding iteration at a time with the recurrent state kept between calls:
//
//   RuntimeNetwork net(model, {threads, ActivationMode::kInt8});
//   EncoderState enc(net, H, W);   DecoderState dec(net, H, W);
//   for each iteration: enc.step(x - x_hat, bits); mask bits; dec.step(bits, x_hat);
//
// Images are planar float (3 x H x W, pixel/255 - 0.5), H and W multiples of
// ArchConfig::kStride (the codec pads). Bits are planar int8,
// code_channels x H/16 x W/16: the encoder writes -1/+1, the decoder reads
// -1/0/+1 (0 = masked). Results do not depend on the thread count or the ISA
// path: integer accumulation is exact, the float epilogue is compiled once.
//
// Memory: the full-resolution recurrent state lives whole (float h, plus c
// for LSTM) with an int8 copy of each conv input; gate tensors are never
// materialized (runtime_cell.h). See state_bytes().
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "models/architecture.h"
#include "quant/model_file.h"
#include "quant/packed_conv.h"
#include "quant/thread_pool.h"

namespace qc {

enum class ActivationMode {
  kInt8,   // conv inputs quantized with each layer's input_scale (the codec)
  kFloat,  // float activations: the reference, slow
};

struct RuntimeOptions {
  int threads = 0;  // 0 = all cores
  ActivationMode mode = ActivationMode::kInt8;
};

class RuntimeNetwork {
 public:
  explicit RuntimeNetwork(const QcmModel& model, const RuntimeOptions& options = {});
  const ArchConfig& config() const { return config_; }
  ActivationMode mode() const { return mode_; }
  const std::vector<LayerSpec>& specs() const { return specs_; }
  const std::vector<PackedConv>& convs() const { return convs_; }  // in specs() order
  const PackedConv& conv(const std::string& name) const;
  ThreadPool& pool() const { return *pool_; }

 private:
  ArchConfig config_;
  ActivationMode mode_;
  std::vector<LayerSpec> specs_;
  std::vector<PackedConv> convs_;
  std::unique_ptr<ThreadPool> pool_;
};

class EncoderState {
 public:
  EncoderState(const RuntimeNetwork& net, int height, int width);
  ~EncoderState();
  // residual: 3 x H x W; bits: code_channels x H/16 x W/16, written -1/+1.
  void step(const float* residual, int8_t* bits);
  size_t state_bytes() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

class DecoderState {
 public:
  DecoderState(const RuntimeNetwork& net, int height, int width);
  ~DecoderState();
  // bits: code_channels x H/16 x W/16 in {-1, 0, +1}; adds this iteration's
  // output to x_hat (3 x H x W). The first call also runs the priming steps.
  void step(const int8_t* bits, float* x_hat);
  size_t state_bytes() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace qc
