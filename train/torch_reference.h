// The codec network written with LibTorch float ops (conv2d, sigmoid, tanh,
// pixel_shuffle) on the dequantized .qcm weights W = sum_k alpha_k B_k: the
// float reference for the packed runtime (tests) and its speed yardstick
// (qcodec-bench). Same semantics as nn/runtime_graph.h; with
// quantize_activations every conv input is first rounded to its int8 grid
// (fake quantization), which is what the runtime's int8 mode computes.
#pragma once
#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "nn/model_file.h"

namespace qc {

torch::Tensor dequantized_weight(const LayerSpec& spec, const QuantLayer& layer);  // [out, in, k, k]
// clamp(round-half-away(x / scale), -127, 127) * scale
torch::Tensor fake_quantize(const torch::Tensor& x, float scale);

class TorchReference {
 public:
  TorchReference(const QcmModel& model, bool quantize_activations);

  // One conv layer by name on an NCHW tensor.
  torch::Tensor conv(const std::string& name, const torch::Tensor& x) const;
  // residual [1, 3, H, W] -> bits [1, code_channels, H/16, W/16], -1/+1.
  torch::Tensor encode_step(const torch::Tensor& residual);
  // bits in {-1, 0, +1} -> this iteration's output, to add to x_hat.
  torch::Tensor decode_step(const torch::Tensor& bits);

 private:
  struct Layer {
    LayerSpec spec;
    torch::Tensor weight, bias;
    float input_scale;
  };
  struct State {
    torch::Tensor h, c;
  };
  torch::Tensor cell(const std::string& name, const torch::Tensor& x, State& state) const;

  ArchConfig config_;
  bool quantize_;
  std::map<std::string, Layer> layers_;
  std::vector<State> encoder_, decoder_;
  int decoded_ = 0;
};

}  // namespace qc
