// Small networks and a closed coding loop shared by the runtime suites.
#pragma once
#include <cstdint>
#include <random>
#include <vector>

#include "nn/architecture.h"
#include "nn/runtime_graph.h"

namespace qc {

inline ArchConfig small_config(CellType cell, int priming) {
  ArchConfig c;
  c.cell = cell;
  c.enc_conv = 8;
  c.enc_cells[0] = 12;
  c.enc_cells[1] = 16;
  c.enc_cells[2] = 16;
  c.code_channels = 8;
  c.dec_conv = 16;
  c.dec_cells[0] = 16;
  c.dec_cells[1] = 12;
  c.dec_cells[2] = 8;
  c.dec_cells[3] = 8;
  c.priming = priming;
  return c;
}

// A smooth random test image in [-0.5, 0.5], planar 3 x height x width.
inline std::vector<float> test_image(int height, int width, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-0.1f, 0.1f);
  std::vector<float> x(3 * static_cast<size_t>(height) * width);
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < height; ++y)
      for (int i = 0; i < width; ++i)
        x[(static_cast<size_t>(c) * height + y) * width + i] =
            0.35f * static_cast<float>((c + 1) * (y - height / 2) * (i % 7 - 3)) / (height * 3) + u(rng);
  return x;
}

struct LoopResult {
  std::vector<std::vector<int8_t>> bits;  // per iteration
  std::vector<float> x_hat;
};

// Whether code position p codes in iteration `it` in run_loop: every third
// position stops after the first iteration.
inline bool codes_in(size_t p, int it) { return it == 0 || p % 3 != 0; }

// Closed loop: encode the residual, mask the stopped positions' bits,
// decode, accumulate.
inline LoopResult run_loop(const RuntimeNetwork& net, const std::vector<float>& x, int height, int width,
                           int iterations) {
  EncoderState enc(net, height, width);
  DecoderState dec(net, height, width);
  LoopResult result;
  result.x_hat.assign(x.size(), 0.0f);
  const size_t codes = static_cast<size_t>(net.config().code_channels) * (height / 16) * (width / 16);
  std::vector<float> residual(x.size());
  for (int it = 0; it < iterations; ++it) {
    for (size_t i = 0; i < x.size(); ++i) residual[i] = x[i] - result.x_hat[i];
    std::vector<int8_t> bits(codes);
    const size_t plane = codes / net.config().code_channels;
    std::vector<uint8_t> coding(plane);
    for (size_t p = 0; p < plane; ++p) coding[p] = codes_in(p, it);
    enc.step(residual.data(), bits.data(), nullptr, coding.data());
    for (size_t i = 0; i < codes; ++i)
      if (!coding[i % plane]) bits[i] = 0;
    dec.step(bits.data(), result.x_hat.data());
    result.bits.push_back(bits);
  }
  return result;
}

}  // namespace qc
