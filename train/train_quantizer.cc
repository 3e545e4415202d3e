#include "train/train_quantizer.h"

#include <cmath>
#include <limits>

namespace qc {
namespace {

// Per-output-channel mean |w|, shaped to broadcast over the weight.
torch::Tensor channel_scale(const torch::Tensor& w) {
  return w.abs().flatten(1).mean(1).clamp_min(1e-8).view({-1, 1, 1, 1});
}

// Least-squares alpha (bases x O) for fixed signs (bases x O x N) and
// weights (O x N): solves the K x K normal equations per output channel.
torch::Tensor fit_alpha(const torch::Tensor& signs, const torch::Tensor& w) {
  auto b = signs.permute({1, 2, 0});                            // O x N x K
  auto gram = torch::matmul(b.transpose(1, 2), b);              // O x K x K
  auto rhs = torch::matmul(b.transpose(1, 2), w.unsqueeze(2));  // O x K x 1
  auto ridge = torch::eye(signs.size(0), w.options()).mul(1e-6 * w.size(1));
  return torch::linalg::solve(gram + ridge, rhs, true).squeeze(2).transpose(0, 1);
}

double relative_error(const torch::Tensor& w, int bases) {
  return (compose(alq_approximate(w, bases)) - w).pow(2).sum().item<double>() /
         std::max(w.pow(2).sum().item<double>(), 1e-30);
}

// Quantizes a share of the filters (output channels): the rest keep their
// latent weights. Filters that quantize well are the likelier picks.
torch::Tensor mix_filters(const torch::Tensor& latent, const torch::Tensor& quantized, double share) {
  const int64_t filters = latent.size(0);
  const int64_t picked = std::llround(share * filters);
  if (picked >= filters) return quantized;
  if (picked <= 0) return latent;
  torch::Tensor mask;
  {
    torch::NoGradGuard no_grad;
    auto error =
        (quantized - latent).abs().flatten(1).sum(1) / latent.abs().flatten(1).sum(1).clamp_min(1e-12);
    auto chosen = torch::multinomial(1.0 / (error + 1e-6), picked, /*replacement=*/false);
    mask = torch::zeros({filters}, torch::kBool).to(latent.device()).index_fill_(0, chosen, true);
  }
  return torch::where(mask.view({-1, 1, 1, 1}), quantized, latent);
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
  if (hard_) return {compose(binarize(latent, bases)), zero};
  if (mode_ == QuantMode::kFloat) return {latent, zero};
  QuantizedWeight q;
  if (bases > 1 || mode_ == QuantMode::kAlq) {
    torch::Tensor approx;
    {
      torch::NoGradGuard no_grad;
      approx = compose(alq_approximate(latent.detach(), bases));
    }
    q = {latent + (approx - latent).detach(), zero};
  } else {
    auto scale = channel_scale(latent).detach();
    auto soft = torch::tanh(beta_ * meta(latent / scale));
    q = {scale * soft, (1 - soft * soft).mean()};
  }
  q.effective = mix_filters(latent, q.effective, share_);
  return q;
}

BinaryBases WeightQuantizerImpl::binarize(const torch::Tensor& latent, int bases) {
  torch::NoGradGuard no_grad;
  if (bases > 1 || mode_ == QuantMode::kAlq) return alq_approximate(latent, bases);
  auto scale = channel_scale(latent);
  auto signs = torch::where(meta(latent / scale) >= 0, 1.0, -1.0).to(latent.dtype());
  return {signs.unsqueeze(0), scale.view({1, -1})};
}

torch::Tensor compose(const BinaryBases& b) {
  const int64_t bases = b.alpha.size(0);
  return (b.alpha.view({bases, -1, 1, 1, 1}) * b.signs).sum(0);
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

std::vector<int> prune_bases(const std::vector<torch::Tensor>& weights, std::vector<int> bases,
                             const std::vector<bool>& prunable, double target_bits) {
  torch::NoGradGuard no_grad;
  // error[i][k]: relative error of layer i with k bases (k <= its start count).
  std::vector<std::vector<double>> error(weights.size());
  double total_weights = 0, total_bits = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    total_weights += weights[i].numel();
    total_bits += double(weights[i].numel()) * bases[i];
    error[i].assign(bases[i] + 1, 0.0);
    for (int k = 1; prunable[i] && k <= bases[i]; ++k) error[i][k] = relative_error(weights[i].detach(), k);
  }
  while (total_bits > target_bits * total_weights) {
    size_t best = weights.size();
    double best_cost = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < weights.size(); ++i) {
      if (!prunable[i] || bases[i] <= 1) continue;
      const double cost = (error[i][bases[i] - 1] - error[i][bases[i]]) / double(weights[i].numel());
      if (cost < best_cost) best_cost = cost, best = i;
    }
    if (best == weights.size()) break;
    --bases[best];
    total_bits -= double(weights[best].numel());
  }
  return bases;
}

}  // namespace qc
