#include "train/precision_report.h"

#include <torch/torch.h>

#include <algorithm>
#include <cstdio>

#include "base/error.h"
#include "image/image_io.h"
#include "metrics/metrics.h"
#include "nn/runtime_graph.h"
#include "train/checkpoint.h"
#include "train/train_data.h"
#include "train/train_quantizer.h"

namespace qc {
namespace {

struct Scores {
  std::vector<double> msssim, psnr;
};

// MS-SSIM and PSNR of each reconstruction in `wanted` against the reference.
Scores scores(const torch::Tensor& x, const std::vector<torch::Tensor>& reconstructions,
              const std::vector<int>& wanted) {
  const Image reference = tensor_to_image(x);
  Scores out;
  for (int iterations : wanted) {
    const Image decoded = tensor_to_image(reconstructions[iterations - 1]);
    out.msssim.push_back(ms_ssim(reference, decoded));
    out.psnr.push_back(psnr(reference, decoded));
  }
  return out;
}

// Float weights (mode kFloat), or exactly the binary weights export writes
// (hard, in the checkpoint's own quantizer mode).
std::vector<torch::Tensor> torch_reconstructions(CodecNet& model, const torch::Tensor& x, int iterations,
                                                 QuantMode mode, bool binary) {
  torch::NoGradGuard no_grad;
  model->quantizer()->set_mode(mode);
  model->quantizer()->set_hard(binary);
  auto result = model->forward(x.unsqueeze(0), iterations, {}, Binarization::kDeterministic);
  std::vector<torch::Tensor> out;
  for (const auto& r : result.reconstructions) out.push_back(r[0]);
  return out;
}

// One layer of the float network replaced by its ALQ approximation: what
// that layer's weights cost before binary training recovers some of it.
struct OneLayerBinary {
  size_t layer;
  torch::Tensor weight;  // the approximation, composed once
};

std::vector<torch::Tensor> one_layer_binary_reconstructions(CodecNet& float_model, const OneLayerBinary& swap,
                                                            const torch::Tensor& x, int iterations) {
  torch::NoGradGuard no_grad;
  torch::Tensor& weight = float_model->latent_weight(swap.layer);
  const torch::Tensor saved = weight.clone();
  weight.copy_(swap.weight);
  auto reconstructions = torch_reconstructions(float_model, x, iterations, QuantMode::kFloat, false);
  weight.copy_(saved);
  return reconstructions;
}

std::vector<torch::Tensor> runtime_reconstructions(const RuntimeNetwork& net, const torch::Tensor& x,
                                                   int iterations) {
  const int h = static_cast<int>(x.size(1)), w = static_cast<int>(x.size(2));
  auto planes = x.contiguous();
  const float* input = planes.data_ptr<float>();
  const size_t n = planes.numel();
  EncoderState enc(net, h, w);
  DecoderState dec(net, h, w);
  std::vector<float> x_hat(n, 0.0f), residual(n);
  std::vector<int8_t> bits(static_cast<size_t>(net.config().code_channels) * (h / ArchConfig::kStride) *
                           (w / ArchConfig::kStride));
  std::vector<torch::Tensor> out;
  for (int i = 0; i < iterations; ++i) {
    for (size_t p = 0; p < n; ++p) residual[p] = input[p] - x_hat[p];
    enc.step(residual.data(), bits.data());
    dec.step(bits.data(), x_hat.data());
    out.push_back(torch::from_blob(x_hat.data(), {3, h, w}).clone());
  }
  return out;
}

}  // namespace

std::vector<PrecisionRow> precision_report(const PrecisionOptions& o) {
  if (o.iterations.empty()) throw Error("no iteration counts to measure");
  const int deepest = *std::max_element(o.iterations.begin(), o.iterations.end());
  torch::set_num_threads(o.threads);
  CodecNet model = load_model(o.checkpoint);
  model->eval();
  CodecNet float_model = o.float_checkpoint.empty() ? model : load_model(o.float_checkpoint);
  float_model->eval();
  // Uniform iterations stop no tile: the freeze flag changes nothing here.
  float_model->set_freeze_stopped(model->config().freeze_stopped, model->config().freeze_grace);
  if (float_model->config().describe() != model->config().describe()) {
    throw Error(o.float_checkpoint + ": not the architecture of " + o.checkpoint);
  }
  const QuantMode binary_mode = model->quantizer()->mode();
  if (deepest < 1 || deepest > model->config().iterations) {
    throw Error("iterations must be in 1.." + std::to_string(model->config().iterations));
  }
  const QcmModel qcm = load_qcm_file(o.model);
  if (qcm.config.describe() != model->config().describe()) {
    throw Error(o.model + ": not the architecture of " + o.checkpoint);
  }
  const RuntimeNetwork float_net(qcm, {o.threads, ActivationMode::kFloat});
  const RuntimeNetwork int8_net(qcm, {o.threads, ActivationMode::kInt8});

  std::vector<PrecisionRow> rows = {{"float weights (LibTorch)", {}, {}},
                                    {"binary weights, float activations (LibTorch)", {}, {}},
                                    {"binary weights, float activations (runtime)", {}, {}},
                                    {"binary weights, 8-bit activations (runtime, the codec)", {}, {}}};
  for (int k : o.per_layer_bases) {
    if (k < 1) throw Error("per-layer bases must be at least 1");
  }
  std::vector<OneLayerBinary> swaps;
  {
    torch::NoGradGuard no_grad;
    const auto& specs = float_model->specs();
    for (size_t layer = 0; layer < specs.size(); ++layer) {
      for (int k : o.per_layer_bases) {
        swaps.push_back({layer, compose(alq_approximate(float_model->latent_weight(layer).detach(), k))});
        rows.push_back({"float, only " + specs[layer].name + " binary (" + std::to_string(k) +
                            (k == 1 ? " basis)" : " bases)"),
                        {},
                        {}});
      }
    }
  }
  for (auto& row : rows) {
    row.msssim.assign(o.iterations.size(), 0.0);
    row.psnr.assign(o.iterations.size(), 0.0);
  }
  const std::vector<std::string> paths = list_images(o.images_dir);
  for (size_t n = 0; n < paths.size(); ++n) {
    std::fprintf(stderr, "\rprecision report: image %zu/%zu", n + 1, paths.size());
    torch::Tensor x = image_to_tensor(read_image(paths[n]).image).to(torch::kFloat) / 255.0 - 0.5;
    // Whole 16x16 blocks only (Kodak's 768x512 needs no crop).
    const int64_t h = x.size(1) / ArchConfig::kStride * ArchConfig::kStride;
    const int64_t w = x.size(2) / ArchConfig::kStride * ArchConfig::kStride;
    if (h == 0 || w == 0) throw Error(paths[n] + ": smaller than 16x16");
    x = x.slice(1, 0, h).slice(2, 0, w).contiguous();
    std::vector<Scores> measured = {
        scores(x, torch_reconstructions(float_model, x, deepest, QuantMode::kFloat, false), o.iterations),
        scores(x, torch_reconstructions(model, x, deepest, binary_mode, true), o.iterations),
        scores(x, runtime_reconstructions(float_net, x, deepest), o.iterations),
        scores(x, runtime_reconstructions(int8_net, x, deepest), o.iterations)};
    for (const OneLayerBinary& swap : swaps) {
      measured.push_back(
          scores(x, one_layer_binary_reconstructions(float_model, swap, x, deepest), o.iterations));
    }
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t k = 0; k < o.iterations.size(); ++k) {
        rows[r].msssim[k] += measured[r].msssim[k] / paths.size();
        rows[r].psnr[k] += measured[r].psnr[k] / paths.size();
      }
    }
  }
  std::fprintf(stderr, "\n");
  return rows;
}

}  // namespace qc
