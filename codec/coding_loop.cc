#include "codec/coding_loop.h"

namespace qc {

CodingLoop::CodingLoop(const RuntimeNetwork& net, int height, int width, bool with_encoder)
    : rows_(height / ArchConfig::kStride),
      cols_(width / ArchConfig::kStride),
      channels_(net.config().code_channels),
      decoder_(net, height, width),
      x_hat_(3 * static_cast<size_t>(height) * width, 0.0f),
      signs_(static_cast<size_t>(channels_) * rows_ * cols_),
      coding_(static_cast<size_t>(rows_) * cols_) {
  if (with_encoder) {
    encoder_ = std::make_unique<EncoderState>(net, height, width);
    residual_.resize(x_hat_.size());
  }
}

void CodingLoop::mark_coding(const std::vector<uint8_t>& position_counts) {
  for (size_t p = 0; p < coding_.size(); ++p) coding_[p] = position_counts[p] > iteration_;
}

void CodingLoop::mask() {
  const size_t positions = coding_.size();
  for (int c = 0; c < channels_; ++c) {
    int8_t* s = signs_.data() + c * positions;
    for (size_t p = 0; p < positions; ++p) {
      if (!coding_[p]) s[p] = 0;  // absent bits read as 0
    }
  }
}

void CodingLoop::decode_masked() {
  mask();
  decoder_.step(signs_.data(), x_hat_.data());
  ++iteration_;
}

void CodingLoop::encode_step(const std::vector<float>& x, const std::vector<uint8_t>& position_counts,
                             CodeStack& codes, const BitChooser& choose) {
  for (size_t i = 0; i < x.size(); ++i) residual_[i] = x[i] - x_hat_[i];
  mark_coding(position_counts);
  if (choose) {
    values_.resize(signs_.size());
    encoder_->step(residual_.data(), signs_.data(), values_.data(), coding_.data());
    mask();
    choose(signs_, values_, decoder_, x_hat_);
    ++iteration_;
  } else {
    encoder_->step(residual_.data(), signs_.data(), nullptr, coding_.data());
    decode_masked();
  }
  const size_t positions = static_cast<size_t>(rows_) * cols_;
  uint8_t* out = &codes.bits[codes.index(iteration_ - 1, 0, 0, 0)];
  for (size_t i = 0; i < positions * channels_; ++i) out[i] = signs_[i] > 0;
}

void CodingLoop::decode_step(const CodeStack& codes, const std::vector<uint8_t>& position_counts) {
  const uint8_t* in = &codes.bits[codes.index(iteration_, 0, 0, 0)];
  for (size_t i = 0; i < signs_.size(); ++i) signs_[i] = in[i] ? 1 : -1;
  mark_coding(position_counts);
  decode_masked();
}

}  // namespace qc
