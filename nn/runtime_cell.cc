#include "nn/runtime_cell.h"

#include <optional>

#include "base/error.h"
#include "nn/gates.h"

namespace qc {

template <class T>
RuntimeCell<T>::RuntimeCell(const PackedConv& input, const PackedConv& hidden, CellType type,
                            int hidden_channels)
    : input_(input), hidden_(hidden), type_(type), hidden_channels_(hidden_channels) {}

template <class T>
void RuntimeCell<T>::reset(int height, int width) {
  height_ = height;
  width_ = width;
  const size_t size = static_cast<size_t>(height) * width * hidden_channels_;
  h_.assign(size, 0.0f);
  c_.assign(type_ == CellType::kLstm ? size : 0, 0.0f);
  h_in_.shape(height, width, hidden_channels_, hidden_.pad());
}

template <class T>
size_t RuntimeCell<T>::state_bytes() const {
  return (h_.size() + c_.size()) * sizeof(float);
}

template <class T>
void RuntimeCell<T>::step(const PaddedTensor<T>& x, ThreadPool& pool, std::vector<RowScratch>& scratch,
                          const CodingPositions* coding) {
  if (input_.out_size(x.height) != height_ || input_.out_size(x.width) != width_)
    throw Error("cell input size does not match its state");
  h_in_.allocate();
  store_tensor(h_.data(), height_, width_, hidden_channels_, false, hidden_.input_scale(), h_in_, pool,
               coding);
  const int gates = input_.out_channels();
  pool.parallel_for(height_, [&](int worker, int y) {
    RowScratch& s = scratch[worker];
    row_spans(coding, y, height_, width_, s.spans);
    for (const PixelSpan& span : s.spans) {
      const int pixels = span.end - span.begin;
      s.a.resize(static_cast<size_t>(pixels) * gates);
      s.b.resize(static_cast<size_t>(pixels) * gates);
      input_.run_span(x, y, span.begin, span.end, s.a.data(), s.acc);
      hidden_.run_span(h_in_, y, span.begin, span.end, s.b.data(), s.acc);
      const size_t at = (static_cast<size_t>(y) * width_ + span.begin) * hidden_channels_;
      if (type_ == CellType::kGru)
        gru_update(s.a.data(), s.b.data(), h_.data() + at, hidden_channels_, pixels);
      else
        lstm_update(s.a.data(), s.b.data(), h_.data() + at, c_.data() + at, hidden_channels_, pixels);
    }
  });
  h_in_.release();
}

template <class T>
void store_tensor(const float* src, int height, int width, int channels, bool depth_to_space, float scale,
                  PaddedTensor<T>& dst, ThreadPool& pool, const CodingPositions* computed) {
  const int factor = depth_to_space ? 2 : 1;
  if (dst.height != height * factor || dst.width != width * factor ||
      dst.channels * factor * factor != channels)
    throw Error("store_tensor: shape mismatch");
  // dst's border is its reader's reach.
  std::optional<CodingPositions> read;
  if (computed) read.emplace(computed->read_by(dst.border, dst.height));
  pool.parallel_for(dst.height, [&](int, int y) {
    thread_local std::vector<PixelSpan> spans;
    row_spans(read ? &*read : nullptr, y, dst.height, dst.width, spans);
    for (const PixelSpan& span : spans) {
      if (!depth_to_space) {
        dst.store_span(y, span.begin, span.end,
                       src + (static_cast<size_t>(y) * width + span.begin) * channels, scale);
        continue;
      }
      // out[c][2y+i][2x+j] = in[4c + 2i + j][y][x]; spans start and end on
      // even x (the code grid is coarser than any depth-to-space output).
      const float* row = src + (static_cast<size_t>(y / 2) * width + span.begin / 2) * channels;
      const int i = y % 2;
      if constexpr (sizeof(T) == 1) {
        // Quantize the source span in one vectorized run, then scatter.
        thread_local std::vector<int8_t> q;
        q.resize(static_cast<size_t>(span.end - span.begin) / 2 * channels);
        quantize_values(row, static_cast<int>(q.size()), scale, q.data());
        for (int x = span.begin; x < span.end; ++x)
          dst.store_quantized(
              y, x, q.data() + static_cast<size_t>((x - span.begin) / 2) * channels + 2 * i + x % 2, 4);
      } else {
        for (int x = span.begin; x < span.end; ++x)
          dst.store(y, x, row + static_cast<size_t>((x - span.begin) / 2) * channels + 2 * i + (x % 2), 4,
                    scale);
      }
    }
  });
}

template class RuntimeCell<int8_t>;
template class RuntimeCell<float>;
template void store_tensor(const float*, int, int, int, bool, float, PaddedTensor<int8_t>&, ThreadPool&,
                           const CodingPositions*);
template void store_tensor(const float*, int, int, int, bool, float, PaddedTensor<float>&, ThreadPool&,
                           const CodingPositions*);

}  // namespace qc
