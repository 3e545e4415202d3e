#include "nn/architecture.h"

#include <sstream>

#include "base/error.h"

namespace qc {

void ArchConfig::validate() const {
  auto positive = [](int v, int hi) { return v > 0 && v <= hi; };
  bool ok = positive(enc_conv, 4096) && positive(code_channels, 1024) && positive(dec_conv, 4096) &&
            positive(iterations, 64) && priming >= 0 && priming <= 16 &&
            (input_kernel == 1 || input_kernel == 3) && (hidden_kernel == 1 || hidden_kernel == 3) &&
            (cell == CellType::kGru || cell == CellType::kLstm);
  for (int c : enc_cells) ok = ok && positive(c, 4096);
  for (int c : dec_cells) ok = ok && positive(c, 4096) && c % 4 == 0;
  ok = ok && (residual_gains.empty() || (!one_shot && static_cast<int>(residual_gains.size()) == iterations));
  for (float g : residual_gains) ok = ok && g >= 1.0f / 64 && g <= 64;  // also rejects NaN
  ok = ok && freeze_grace >= 0 && freeze_grace < iterations && (freeze_stopped || freeze_grace == 0);
  if (!ok) throw Error("invalid network architecture: " + describe());
}

std::string ArchConfig::describe() const {
  std::ostringstream s;
  s << (cell == CellType::kGru ? "gru" : "lstm") << " enc " << enc_conv;
  for (int c : enc_cells) s << "/" << c;
  s << " code " << code_channels << " dec " << dec_conv;
  for (int c : dec_cells) s << "/" << c;
  s << " k" << input_kernel << "/" << hidden_kernel << " iters " << iterations << " priming " << priming;
  if (one_shot) s << " one-shot";
  if (freeze_stopped) s << " freeze-stopped";
  if (freeze_grace) s << " grace " << freeze_grace;
  if (!residual_gains.empty()) {
    s << " gains";
    for (float g : residual_gains) s << " " << g;
  }
  return s.str();
}

std::string enc_cell_name(int k) { return "enc.cell" + std::to_string(k); }
std::string dec_cell_name(int k) { return "dec.cell" + std::to_string(k); }

std::vector<LayerSpec> layers(const ArchConfig& c) {
  std::vector<LayerSpec> out;
  const int g = c.gates();
  auto add_cell = [&](const std::string& name, int in, int hidden, int stride) {
    out.push_back({name + ".input", LayerRole::kCellInput, in, g * hidden, c.input_kernel, stride, true});
    out.push_back({name + ".hidden", LayerRole::kCellHidden, hidden, g * hidden, c.hidden_kernel, 1, false});
  };
  out.push_back({"enc.conv", LayerRole::kConv, 3, c.enc_conv, 3, 2, true});
  int in = c.enc_conv;
  for (int k = 0; k < 3; ++k) {
    add_cell(enc_cell_name(k), in, c.enc_cells[k], 2);
    in = c.enc_cells[k];
  }
  out.push_back({"binarizer", LayerRole::kBinarizer, in, c.code_channels, 1, 1, true});
  out.push_back({"dec.conv", LayerRole::kConv, c.code_channels, c.dec_conv, 1, 1, true});
  in = c.dec_conv;
  for (int k = 0; k < 4; ++k) {
    add_cell(dec_cell_name(k), in, c.dec_cells[k], 1);
    in = c.dec_cells[k] / 4;  // depth-to-space x2
  }
  out.push_back({"dec.out", LayerRole::kConv, in, 3, 1, 1, true});
  return out;
}

}  // namespace qc
