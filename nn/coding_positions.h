// Which code positions (H/16 x W/16) a freeze_stopped network computes in an
// iteration (ArchConfig::freeze_stopped, freeze_grace): the others keep their
// state, so every layer computes only the pixels above those positions:
// spans of its rows.
#pragma once
#include <cstdint>
#include <vector>

namespace qc {

struct PixelSpan {
  int begin, end;  // [begin, end) along a row
};

class CodingPositions {
 public:
  // coding: rows x cols, nonzero where the position is computed.
  CodingPositions(const uint8_t* coding, int rows, int cols);

  // The spans of coding pixels in row y of a layer of height x width, a
  // whole multiple of the code grid; appended to `spans` (cleared first).
  void spans(int y, int height, int width, std::vector<PixelSpan>& spans) const;

  // The positions whose pixels a conv with `pad` pixels of reach reads
  // around these, in a layer of `height` rows: the inputs a layer computed
  // only here needs (its other inputs are never read).
  CodingPositions read_by(int pad, int height) const;

 private:
  int rows_, cols_;
  std::vector<uint8_t> coding_;
};

// The positions coding bits (1) in masked code bits (channels x rows x cols
// in {-1, 0, +1}): a coding position has +-1 in every channel, a masked one 0.
std::vector<uint8_t> coding_from_bits(const int8_t* bits, int channels, int rows, int cols);

// The positions to compute, iteration by iteration: those coding bits now or
// in the last `grace` iterations, iterations before the first counting as
// coding (ArchConfig::freeze_grace).
class FreezeWindow {
 public:
  FreezeWindow(int rows, int cols, int grace);
  // The next iteration's positions from its coding mask (rows x cols,
  // nonzero where the position codes bits; nullptr: every position codes).
  CodingPositions next(const uint8_t* coding);

 private:
  int rows_, cols_, grace_;
  std::vector<int> idle_;  // iterations since the position last coded (0 before the first)
};

// The spans of row y of a height x width layer to compute: those above
// coding positions, or the whole row without `coding`.
void row_spans(const CodingPositions* coding, int y, int height, int width, std::vector<PixelSpan>& spans);

}  // namespace qc
