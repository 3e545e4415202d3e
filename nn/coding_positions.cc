#include "nn/coding_positions.h"

#include <algorithm>
#include <string>

#include "base/error.h"

namespace qc {

CodingPositions::CodingPositions(const uint8_t* coding, int rows, int cols)
    : rows_(rows), cols_(cols), coding_(coding, coding + static_cast<size_t>(rows) * cols) {}

std::vector<uint8_t> coding_from_bits(const int8_t* bits, int channels, int rows, int cols) {
  const size_t plane = static_cast<size_t>(rows) * cols;
  std::vector<uint8_t> coding(plane, 0);
  for (int c = 0; c < channels; ++c)
    for (size_t p = 0; p < plane; ++p) coding[p] |= bits[c * plane + p] != 0;
  return coding;
}

FreezeWindow::FreezeWindow(int rows, int cols, int grace)
    : rows_(rows), cols_(cols), grace_(grace), idle_(static_cast<size_t>(rows) * cols, 0) {}

CodingPositions FreezeWindow::next(const uint8_t* coding) {
  std::vector<uint8_t> active(idle_.size());
  for (size_t p = 0; p < idle_.size(); ++p) {
    idle_[p] = !coding || coding[p] ? 0 : std::min(idle_[p] + 1, grace_ + 1);
    active[p] = idle_[p] <= grace_;
  }
  return CodingPositions(active.data(), rows_, cols_);
}

void CodingPositions::spans(int y, int height, int width, std::vector<PixelSpan>& spans) const {
  if (height % rows_ || width % cols_ || height / rows_ != width / cols_)
    throw Error("coding positions: a " + std::to_string(width) + "x" + std::to_string(height) +
                " layer is not a multiple of the " + std::to_string(cols_) + "x" + std::to_string(rows_) +
                " code grid");
  const int scale = height / rows_;
  const uint8_t* row = coding_.data() + static_cast<size_t>(y / scale) * cols_;
  spans.clear();
  for (int x = 0; x < cols_;) {
    if (!row[x]) {
      ++x;
      continue;
    }
    const int begin = x;
    while (x < cols_ && row[x]) ++x;
    spans.push_back({begin * scale, x * scale});
  }
}

CodingPositions CodingPositions::read_by(int pad, int height) const {
  const int scale = height / rows_;
  const int radius = (pad + scale - 1) / scale;
  std::vector<uint8_t> read(coding_.size(), 0);
  for (int r = 0; r < rows_; ++r)
    for (int c = 0; c < cols_; ++c) {
      if (!coding_[static_cast<size_t>(r) * cols_ + c]) continue;
      for (int y = std::max(r - radius, 0); y <= std::min(r + radius, rows_ - 1); ++y)
        for (int x = std::max(c - radius, 0); x <= std::min(c + radius, cols_ - 1); ++x)
          read[static_cast<size_t>(y) * cols_ + x] = 1;
    }
  return CodingPositions(read.data(), rows_, cols_);
}

void row_spans(const CodingPositions* coding, int y, int height, int width, std::vector<PixelSpan>& spans) {
  if (coding) return coding->spans(y, height, width, spans);
  spans.assign(1, PixelSpan{0, width});
}

}  // namespace qc
