#include "quant/train_quantizer.h"

namespace qc {
namespace {

// Per-output-channel mean |w|, shaped to broadcast over the weight.
torch::Tensor channel_scale(const torch::Tensor& w) {
  return w.abs().flatten(1).mean(1).clamp_min(1e-8).view({-1, 1, 1, 1});
}

// Least-squares alpha (bases x O) for fixed signs (bases x O x N) and
// weights (O x N): solves the K x K normal equations per output channel.
torch::Tensor fit_alpha(const torch::Tensor& signs, const torch::Tensor& w) {
  auto b = signs.permute({1, 2, 0});                         // O x N x K
  auto gram = torch::matmul(b.transpose(1, 2), b);          // O x K x K
  auto rhs = torch::matmul(b.transpose(1, 2), w.unsqueeze(2));  // O x K x 1
  auto ridge = torch::eye(signs.size(0), w.options()).mul(1e-6 * w.size(1));
  return torch::linalg::solve(gram + ridge, rhs, true).squeeze(2).transpose(0, 1);
}

}  // namespace

WeightQuantizerImpl::WeightQuantizerImpl(int meta_hidden) {
  fc1_ = register_module("fc1", torch::nn::Linear(1, meta_hidden));
  fc2_ = register_module("fc2", torch::nn::Linear(meta_hidden, 1));
  // Start as the identity: m(w) = w + fc2(tanh(fc1(w))) with fc2 = 0.
  torch::NoGradGuard no_grad;
  fc2_->weight.zero_();
  fc2_->bias.zero_();
}

torch::Tensor WeightQuantizerImpl::meta(const torch::Tensor& normalised) {
  auto flat = normalised.reshape({-1, 1});
  auto out = flat + fc2_(torch::tanh(fc1_(flat)));
  return out.view(normalised.sizes());
}

QuantizedWeight WeightQuantizerImpl::quantize(const torch::Tensor& latent, int bases) {
  auto zero = torch::zeros({}, latent.options());
  if (hard_) {
    BinaryBases b = binarize(latent, bases);
    return {(b.alpha.view({bases, -1, 1, 1, 1}) * b.signs).sum(0), zero};
  }
  if (mode_ == QuantMode::kFloat) return {latent, zero};
  if (bases > 1) {
    BinaryBases q;
    {
      torch::NoGradGuard no_grad;
      q = alq_approximate(latent.detach(), bases);
    }
    auto approx = (q.alpha.view({bases, -1, 1, 1, 1}) * q.signs).sum(0);
    return {latent + (approx - latent).detach(), zero};
  }
  auto scale = channel_scale(latent).detach();
  auto q = torch::tanh(beta_ * meta(latent / scale));
  return {scale * q, (1 - q * q).mean()};
}

BinaryBases WeightQuantizerImpl::binarize(const torch::Tensor& latent, int bases) {
  torch::NoGradGuard no_grad;
  if (bases > 1) return alq_approximate(latent, bases);
  auto scale = channel_scale(latent);
  auto signs = torch::where(meta(latent / scale) >= 0, 1.0, -1.0).to(latent.dtype());
  return {signs.unsqueeze(0), scale.view({1, -1})};
}

BinaryBases alq_approximate(const torch::Tensor& weight, int bases, int refits) {
  const int64_t out = weight.size(0);
  auto w = weight.reshape({out, -1});
  // Greedy: each basis binarizes what the previous ones left.
  std::vector<torch::Tensor> signs;
  auto residual = w.clone();
  for (int k = 0; k < bases; ++k) {
    auto s = torch::where(residual >= 0, 1.0, -1.0).to(w.dtype());
    auto a = residual.abs().mean(1, true);
    residual -= a * s;
    signs.push_back(s);
  }
  auto b = torch::stack(signs);  // K x O x N
  auto alpha = fit_alpha(b, w);
  // Alternate: re-derive each basis from what the others leave, refit alpha.
  for (int r = 0; r < refits; ++r) {
    for (int k = 0; k < bases; ++k) {
      auto others = (alpha.unsqueeze(2) * b).sum(0) - alpha[k].unsqueeze(1) * b[k];
      b[k] = torch::where(w - others >= 0, 1.0, -1.0).to(w.dtype());
    }
    alpha = fit_alpha(b, w);
  }
  // Keep the bases ordered by the size of their contribution and alpha >= 0.
  auto sign = torch::where(alpha >= 0, 1.0, -1.0).to(w.dtype());
  b = b * sign.unsqueeze(2);
  alpha = alpha.abs();
  return {b.view({bases, out, weight.size(1), weight.size(2), weight.size(3)}), alpha};
}

}  // namespace qc
