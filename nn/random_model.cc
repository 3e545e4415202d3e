#include "nn/random_model.h"

#include <cmath>
#include <random>

namespace qc {

QuantLayer random_quant_layer(const LayerSpec& spec, int bases, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> unit(-1.0f, 1.0f);
  QuantLayer layer;
  layer.name = spec.name;
  layer.bases = bases;
  const size_t row_len = static_cast<size_t>(spec.in_channels) * spec.kernel * spec.kernel;
  std::vector<float> signs(bases * spec.out_channels * row_len);
  for (float& s : signs) s = unit(rng);
  layer.bits = pack_sign_rows(signs.data(), static_cast<size_t>(bases) * spec.out_channels, row_len);
  const float base_alpha = 1.0f / std::sqrt(static_cast<float>(row_len));
  for (int k = 0; k < bases; ++k)
    for (int o = 0; o < spec.out_channels; ++o)
      layer.alpha.push_back(base_alpha * std::ldexp(1.0f + 0.5f * unit(rng), -k));
  if (spec.bias)
    for (int o = 0; o < spec.out_channels; ++o) layer.bias.push_back(0.1f * unit(rng));
  // Residuals and tanh-bounded states live in [-1, 1]; plain conv outputs
  // spread wider.
  const bool wide = spec.name == "dec.conv" || spec.role == LayerRole::kCellInput;
  layer.input_scale = (wide ? 3.0f : 1.0f) / 127.0f;
  return layer;
}

QcmModel random_qcm_model(const ArchConfig& config, int bases, uint64_t seed) {
  QcmModel model;
  model.config = config;
  uint64_t layer_seed = seed;
  for (const LayerSpec& spec : layers(config))
    model.layers.push_back(random_quant_layer(spec, bases, ++layer_seed * 0x9e3779b97f4a7c15ULL));
  return model;
}

}  // namespace qc
