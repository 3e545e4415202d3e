#include "train/loss.h"

#include "metrics/metrics.h"
#include "metrics/ssim_window.h"
#include "train/train_data.h"

namespace qc {

torch::Tensor local_ssim(const torch::Tensor& a, const torch::Tensor& b) {
  static const torch::Tensor kernel = [] {
    const std::vector<float> taps = ssim::gaussian_taps<float>();
    auto g = torch::tensor(taps);
    return torch::outer(g, g).view({1, 1, 2 * ssim::kRadius + 1, 2 * ssim::kRadius + 1});
  }();
  namespace F = torch::nn::functional;
  auto k = kernel.to(a.device());
  const int r = ssim::kRadius;
  auto blur = [&](const torch::Tensor& t) {
    return torch::conv2d(F::pad(t, F::PadFuncOptions({r, r, r, r}).mode(torch::kReplicate)), k);
  };
  auto x = a.mean(1, true), y = b.mean(1, true);
  auto mx = blur(x), my = blur(y);
  auto sxx = blur(x * x) - mx * mx, syy = blur(y * y) - my * my, sxy = blur(x * y) - mx * my;
  const double c1 = ssim::kK1 * ssim::kK1, c2 = ssim::kK2 * ssim::kK2;
  return ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2));
}

// L1 per pixel, weighted by a map that grows where local SSIM is low
// (normalised to mean 1 per image, no gradient through the weights).
torch::Tensor reconstruction_loss(const torch::Tensor& x, const torch::Tensor& x_hat, bool ssim_weighted) {
  auto l1 = (x - x_hat).abs().mean(1, true);
  if (!ssim_weighted) return l1.mean();
  torch::Tensor weight;
  {
    torch::NoGradGuard no_grad;
    weight = (1.0 - local_ssim(x + 0.5, x_hat + 0.5)).clamp_min(0) + 0.05;
    weight = weight / weight.mean({2, 3}, true);
  }
  return (weight * l1).mean();
}

torch::Tensor relative_mean(const torch::Tensor& values, const torch::Tensor& sizes) {
  auto scale = sizes.detach();
  return (values / scale).mean() * scale.mean();
}

torch::Tensor distillation_loss(const torch::Tensor& x, const std::vector<torch::Tensor>& student,
                                const std::vector<torch::Tensor>& teacher, bool relative) {
  std::vector<torch::Tensor> distances;
  for (size_t i = 0; i < student.size(); ++i) distances.push_back((student[i] - teacher[i]).abs().mean());
  auto distance = torch::stack(distances);
  if (!relative) return distance.mean();
  std::vector<torch::Tensor> errors;
  for (const auto& t : teacher) errors.push_back((t - x).abs().mean());
  return relative_mean(distance, torch::stack(errors));
}

Validation validate(CodecNet& model, const torch::Tensor& crops, int iterations, bool ssim_weighted,
                    bool hard, const torch::Device& device) {
  torch::NoGradGuard no_grad;
  model->eval();
  model->quantizer()->set_hard(hard);
  // Measured in fp32 whatever the training precision: the runtime computes
  // the network exactly (binary weights, 8-bit activations), never in bf16.
  const torch::ScalarType training_dtype = model->compute_dtype();
  model->set_compute_dtype(torch::kFloat);
  Validation v;
  v.msssim.assign(iterations, 0.0);
  v.psnr.assign(iterations, 0.0);
  for (int64_t n = 0; n < crops.size(0); ++n) {
    auto x = crops.slice(0, n, n + 1).to(device);
    auto result = model->forward(x, iterations, {}, Binarization::kDeterministic);
    Image ref = tensor_to_image(x[0]);
    for (int i = 0; i < iterations; ++i) {
      v.loss += reconstruction_loss(x, result.reconstructions[i], ssim_weighted).item<double>();
      const Image decoded = tensor_to_image(result.reconstructions[i][0]);
      v.msssim[i] += ms_ssim(ref, decoded);
      v.psnr[i] += psnr(ref, decoded);
    }
  }
  for (double& m : v.msssim) m /= crops.size(0);
  for (double& p : v.psnr) p /= crops.size(0);
  v.loss /= double(crops.size(0)) * iterations;
  model->quantizer()->set_hard(false);
  model->set_compute_dtype(training_dtype);
  model->train();
  return v;
}
}  // namespace qc
