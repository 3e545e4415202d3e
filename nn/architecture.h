// The one description of the codec network. The LibTorch training model
// (train/train_model.*) and the bit-packed runtime graph (nn/runtime_*)
// are both built from ArchConfig + layers(), so they cannot disagree.
//
// Data flow for one coding iteration (x, residuals in [-1, 1], NCHW):
//   encoder:  e0 = conv3x3 s2 (3 -> enc_conv)                       H/2
//             h1 = cell(e0, stride 2)  (enc_cells[0])               H/4
//             h2 = cell(h1, stride 2)  (enc_cells[1])               H/8
//             h3 = cell(h2, stride 2)  (enc_cells[2])               H/16
//   binarizer: b = sign(tanh(conv1x1(h3)))  (code_channels bits)    H/16
//   decoder:  d0 = conv1x1 (code -> dec_conv)                       H/16
//             for k in 0..3: dk+1 = depth_to_space2(cell(dk))       H/8 .. H
//             out = conv1x1 (dec_cells[3]/4 -> 3)                   H
//   reconstruction is additive: x_hat_i = x_hat_{i-1} + out_i / g_i, where
//   the encoder of iteration i sees g_i * (x - x_hat_{i-1}). The fixed
//   residual gains g_i (1 when absent) keep every iteration's input and
//   output at the scale of the first one, so a late iteration's small
//   correction is not drowned by the error of binary weights.
//   Or one-shot (Toderici 2017): x_hat_i = out_i, the decoder predicting the
//   whole image every iteration (no gains).
//   With freeze_stopped, a position whose tile codes no bits in iteration i
//   (its code bits masked to 0) keeps, in every cell of encoder and decoder,
//   its state from iteration i-1, and its pixels keep x_hat_{i-1}: the work
//   of stopped tiles can be skipped. A conv at a coding position still reads
//   its frozen neighbours. Without it, every position is updated every
//   iteration (zero bits are an input like any other).
//   freeze_grace g delays the freeze: a position is computed in iteration i
//   if its tile codes bits in any of iterations i-g .. i (those before the
//   first counting as coding), so a tile keeps refining for g iterations
//   after its last bits, and one that codes none still gets the first g.
// A cell is a ConvGRU or ConvLSTM: its input conv (kernel input_kernel,
// stride s) and its hidden conv (hidden_kernel, stride 1) each produce
// gates x hidden channels, added before the gate nonlinearities.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace qc {

enum class CellType : uint8_t { kGru = 0, kLstm = 1 };

struct ArchConfig {
  CellType cell = CellType::kGru;
  int enc_conv = 32;
  int enc_cells[3] = {64, 128, 128};
  int code_channels = 32;
  int dec_conv = 128;
  int dec_cells[4] = {128, 128, 64, 32};
  int input_kernel = 3;               // kernel of every cell's input conv
  int hidden_kernel = 3;              // kernel of every cell's hidden-state conv
  int iterations = 16;                // maximum coding iterations
  int priming = 0;                    // extra decoder steps on the first code
  bool one_shot = false;              // x_hat_i = out_i instead of the additive update
  bool freeze_stopped = false;        // positions of tiles coding no bits keep their state
  int freeze_grace = 0;               // with freeze_stopped: iterations computed after a tile's last bits
  std::vector<float> residual_gains;  // g_i per iteration; empty: all 1

  // Residual gain of iteration i (0-based).
  float gain(int i) const {
    return static_cast<size_t>(i) < residual_gains.size() ? residual_gains[i] : 1.0f;
  }

  // Pixels per code position along each side (4 stride-2 stages).
  static constexpr int kStride = 16;

  int gates() const { return cell == CellType::kGru ? 3 : 4; }
  // Throws qc::Error when the config is not a valid network.
  void validate() const;
  std::string describe() const;
};

enum class LayerRole : uint8_t {
  kConv,        // plain conv, no nonlinearity
  kCellInput,   // a cell's input conv: gates x hidden outputs
  kCellHidden,  // a cell's hidden conv: gates x hidden outputs, no bias
  kBinarizer,   // 1x1 conv followed by tanh / sign
};

struct LayerSpec {
  std::string name;  // stable; used as the key in checkpoints and .qcm files
  LayerRole role;
  int in_channels;
  int out_channels;
  int kernel;
  int stride;
  bool bias;
};

// Every weight-carrying layer, in a fixed order (encoder, binarizer, decoder).
std::vector<LayerSpec> layers(const ArchConfig& config);

// Index helpers into layers(): stable names built in one place.
std::string enc_cell_name(int k);  // "enc.cell{k}"
std::string dec_cell_name(int k);  // "dec.cell{k}"

}  // namespace qc
