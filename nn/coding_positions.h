// Which code positions (H/16 x W/16) code bits in an iteration. With
// ArchConfig::freeze_stopped the others keep their state, so every layer
// computes only the pixels above coding positions: spans of its rows.
#pragma once
#include <cstdint>
#include <vector>

namespace qc {

struct PixelSpan {
  int begin, end;  // [begin, end) along a row
};

class CodingPositions {
 public:
  // coding: rows x cols, nonzero where the position codes bits.
  CodingPositions(const uint8_t* coding, int rows, int cols);
  // From masked code bits (channels x rows x cols in {-1, 0, +1}): a coding
  // position has +-1 in every channel, a masked one 0.
  static CodingPositions from_bits(const int8_t* bits, int channels, int rows, int cols);

  // The spans of coding pixels in row y of a layer of height x width, a
  // whole multiple of the code grid; appended to `spans` (cleared first).
  void spans(int y, int height, int width, std::vector<PixelSpan>& spans) const;

 private:
  int rows_, cols_;
  std::vector<uint8_t> coding_;
};

// The spans of row y of a height x width layer to compute: those above
// coding positions, or the whole row without `coding`.
void row_spans(const CodingPositions* coding, int y, int height, int width, std::vector<PixelSpan>& spans);

}  // namespace qc
