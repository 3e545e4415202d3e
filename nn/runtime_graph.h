// The codec network on the bit-packed kernels (no LibTorch), driven one
// coding iteration at a time with the recurrent state kept between calls:
//
//   RuntimeNetwork net(model, {threads, ActivationMode::kInt8});
//   EncoderState enc(net, H, W);   DecoderState dec(net, H, W);
//   for each iteration: enc.step(x - x_hat, bits, nullptr, coding); mask bits;
//                       dec.step(bits, x_hat);
//
// Images are planar float (3 x H x W, pixel/255 - 0.5), H and W multiples of
// ArchConfig::kStride (the codec pads). Bits are planar int8,
// code_channels x H/16 x W/16: the encoder writes -1/+1, the decoder reads
// -1/0/+1 (0 = masked). Results do not depend on the thread count or the ISA
// path: integer accumulation is exact, the float epilogue is compiled once.
//
// Memory: the recurrent state lives whole (float h, plus c for LSTM; see
// state_bytes()). Each conv input exists as int8 only from the moment it is
// filled until it is consumed, so at most two are alive at once, and gate
// tensors are never materialized (runtime_cell.h). A 4000x3000 image with the
// default GRU architecture: ~1.0 GB of state, ~0.2 GB of transient inputs.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "nn/architecture.h"
#include "nn/model_file.h"
#include "nn/packed_conv.h"
#include "nn/thread_pool.h"

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
  // residual: 3 x H x W (x - x_hat; the step applies the iteration's residual
  // gain itself); bits: code_channels x H/16 x W/16, written -1/+1; values,
  // when given, the same layout: the binarizer's outputs before sign(), whose
  // magnitude is how sure the encoder is of each bit. coding, when given:
  // H/16 x W/16, nonzero where this iteration's bits will be kept; with
  // ArchConfig::freeze_stopped the other positions keep their state once
  // their freeze grace has passed (and their bits are meaningless). Without
  // it every position codes.
  void step(const float* residual, int8_t* bits, float* values = nullptr, const uint8_t* coding = nullptr);
  size_t state_bytes() const;  // the recurrent state

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

class DecoderState {
 public:
  DecoderState(const RuntimeNetwork& net, int height, int width);
  ~DecoderState();
  // A copy carries on independently: the encoder's bit search tries
  // alternative bits on copies of the state before an iteration.
  DecoderState(const DecoderState& other);
  DecoderState& operator=(const DecoderState& other);
  DecoderState(DecoderState&&) noexcept;
  DecoderState& operator=(DecoderState&&) noexcept;
  // bits: code_channels x H/16 x W/16 in {-1, 0, +1}; adds this iteration's
  // output (divided by its residual gain) to x_hat (3 x H x W), or, for a
  // one-shot network, replaces x_hat with it. The first call also runs the
  // priming steps. With ArchConfig::freeze_stopped, positions whose bits are
  // all 0 (in this iteration and the freeze grace's before it) keep their
  // state and pixels, and cost nothing.
  void step(const int8_t* bits, float* x_hat);
  size_t state_bytes() const;  // the recurrent state

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace qc
