// The recurrent coding loop shared by encoder and decoder (closed loop):
//   encoder, iteration i: bits_i = Enc(x - x_hat); bits of tiles whose count
//     is <= i are set to 0; x_hat += Dec(bits_i)
//   decoder, iteration i: x_hat += Dec(bits_i as read from the file)
// Both call the same Dec with the same masked bits, so they never drift.
// (With a freeze_stopped network, Enc and Dec skip the masked positions.)
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "entropy/code_stack.h"
#include "nn/runtime_graph.h"

namespace qc {

class CodingLoop {
 public:
  // height, width: padded planar size.
  CodingLoop(const RuntimeNetwork& net, int height, int width, bool with_encoder);

  int rows() const { return rows_; }
  int cols() const { return cols_; }
  int iteration() const { return iteration_; }
  const std::vector<float>& reconstruction() const { return x_hat_; }

  // Sends other bits than the network's (the encoder's bit search,
  // codec/bit_search.h): gets the network's bits (masked ones 0) and the
  // binarizer's outputs, replaces the bits with its choice, and leaves the
  // decoder and the reconstruction advanced by them.
  using BitChooser = std::function<void(std::vector<int8_t>& signs, const std::vector<float>& values,
                                        DecoderState& decoder, std::vector<float>& x_hat)>;

  // One encoder iteration on `x` (planar): writes this iteration's bits into
  // codes (0/1; masked bits 0) and advances the reconstruction.
  void encode_step(const std::vector<float>& x, const std::vector<uint8_t>& position_counts, CodeStack& codes,
                   const BitChooser& choose = nullptr);
  // One decoder iteration from codes (bits beyond a position's count are absent).
  void decode_step(const CodeStack& codes, const std::vector<uint8_t>& position_counts);

 private:
  // Marks the positions whose count reaches past this iteration.
  void mark_coding(const std::vector<uint8_t>& position_counts);
  void mask();  // zeroes the bits of the positions not marked
  void decode_masked();

  int rows_, cols_, channels_;
  int iteration_ = 0;
  std::unique_ptr<EncoderState> encoder_;
  DecoderState decoder_;
  std::vector<float> x_hat_, residual_;
  std::vector<int8_t> signs_;    // channels x rows x cols in {-1, 0, +1}
  std::vector<float> values_;    // the binarizer's outputs, for a BitChooser
  std::vector<uint8_t> coding_;  // rows x cols: 1 where this iteration's bits are kept
};

}  // namespace qc
