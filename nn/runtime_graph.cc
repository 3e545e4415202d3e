#include "nn/runtime_graph.h"

#include <optional>
#include <string>

#include "base/error.h"
#include "nn/runtime_cell.h"

namespace qc {

RuntimeNetwork::RuntimeNetwork(const QcmModel& model, const RuntimeOptions& options)
    : config_(model.config), mode_(options.mode), specs_(layers(model.config)) {
  config_.validate();
  if (model.layers.size() != specs_.size()) throw Error("runtime: model layers do not match its config");
  convs_.reserve(specs_.size());
  // The float weights serve only the float reference mode.
  const PackedConv::FloatWeights float_weights =
      mode_ == ActivationMode::kFloat ? PackedConv::FloatWeights::kKeep : PackedConv::FloatWeights::kDrop;
  for (size_t i = 0; i < specs_.size(); ++i) convs_.emplace_back(specs_[i], model.layers[i], float_weights);
  pool_ = std::make_unique<ThreadPool>(options.threads);
}

const PackedConv& RuntimeNetwork::conv(const std::string& name) const {
  for (size_t i = 0; i < specs_.size(); ++i)
    if (specs_[i].name == name) return convs_[i];
  throw Error("runtime: no layer named " + name);
}

namespace {

void check_size(const ArchConfig&, int height, int width) {
  if (height <= 0 || width <= 0 || height % ArchConfig::kStride || width % ArchConfig::kStride)
    throw Error("runtime: image size " + std::to_string(width) + "x" + std::to_string(height) +
                " is not a positive multiple of " + std::to_string(ArchConfig::kStride));
}

template <class T>
std::vector<RuntimeCell<T>> make_cells(const RuntimeNetwork& net, bool encoder) {
  const ArchConfig& c = net.config();
  std::vector<RuntimeCell<T>> cells;
  for (int k = 0; k < (encoder ? 3 : 4); ++k) {
    const std::string name = encoder ? enc_cell_name(k) : dec_cell_name(k);
    cells.emplace_back(net.conv(name + ".input"), net.conv(name + ".hidden"), c.cell,
                       encoder ? c.enc_cells[k] : c.dec_cells[k]);
  }
  return cells;
}

// Runs `conv` over the output pixels of `in` above coding positions (all
// without `coding`), handing each span of a row to sink(y, span, values).
template <class T, class Sink>
void for_each_span(const PackedConv& conv, const PaddedTensor<T>& in, ThreadPool& pool,
                   std::vector<RowScratch>& scratch, const CodingPositions* coding, Sink sink) {
  const int height = conv.out_size(in.height), width = conv.out_size(in.width);
  pool.parallel_for(height, [&](int worker, int y) {
    RowScratch& s = scratch[worker];
    row_spans(coding, y, height, width, s.spans);
    for (const PixelSpan& span : s.spans) {
      s.a.resize(static_cast<size_t>(span.end - span.begin) * conv.out_channels());
      conv.run_span(in, y, span.begin, span.end, s.a.data(), s.acc);
      sink(y, span, s.a.data());
    }
  });
}

// Whole rows: sink(y, row).
template <class T, class Sink>
void for_each_row(const PackedConv& conv, const PaddedTensor<T>& in, ThreadPool& pool,
                  std::vector<RowScratch>& scratch, Sink sink) {
  for_each_span(conv, in, pool, scratch, nullptr, [&](int y, PixelSpan, const float* row) { sink(y, row); });
}

}  // namespace

struct EncoderState::Impl {
  virtual ~Impl() = default;
  virtual void step(const float* residual, int8_t* bits, float* values, const uint8_t* coding) = 0;
  virtual size_t state_bytes() const = 0;
};

struct DecoderState::Impl {
  virtual ~Impl() = default;
  virtual std::unique_ptr<Impl> clone() const = 0;
  virtual void step(const int8_t* bits, float* x_hat) = 0;
  virtual size_t state_bytes() const = 0;
};

namespace {

template <class T>
class Encoder : public EncoderState::Impl {
 public:
  Encoder(const RuntimeNetwork& net, int height, int width)
      : net_(net),
        height_(height),
        width_(width),
        conv_(net.conv("enc.conv")),
        binarizer_(net.conv("binarizer")),
        cells_(make_cells<T>(net, true)),
        scratch_(net.pool().size()),
        freeze_(height / ArchConfig::kStride, width / ArchConfig::kStride, net.config().freeze_grace) {
    const ArchConfig& c = net.config();
    image_.shape(height, width, 3, conv_.pad());
    int h = conv_.out_size(height), w = conv_.out_size(width);
    cell_in_[0].shape(h, w, c.enc_conv, cells_[0].input().pad());
    for (int k = 0; k < 3; ++k) {
      h = cells_[k].input().out_size(h);
      w = cells_[k].input().out_size(w);
      cells_[k].reset(h, w);
      if (k < 2) cell_in_[k + 1].shape(h, w, c.enc_cells[k], cells_[k + 1].input().pad());
    }
    code_in_.shape(h, w, c.enc_cells[2], binarizer_.pad());
  }

  void step(const float* residual, int8_t* bits, float* values, const uint8_t* coding) override {
    ThreadPool& pool = net_.pool();
    std::optional<CodingPositions> positions;
    if (net_.config().freeze_stopped) positions.emplace(freeze_.next(coding));
    const CodingPositions* frozen = positions ? &*positions : nullptr;
    const size_t plane = static_cast<size_t>(height_) * width_;
    // The residual gain is applied pixel by pixel as the input is stored: no
    // scaled copy of the image is kept.
    const float gain = net_.config().gain(iteration_++);
    // With a freeze, the first conv and the input it reads are needed only
    // where the first cell computes.
    std::optional<CodingPositions> conv_out, conv_in;
    if (frozen) {
      conv_out.emplace(frozen->read_by(cell_in_[0].border, cell_in_[0].height));
      conv_in.emplace(conv_out->read_by(image_.border, image_.height));
    }
    image_.allocate();
    pool.parallel_for(height_, [&](int worker, int y) {
      std::vector<PixelSpan>& spans = scratch_[worker].spans;
      row_spans(conv_in ? &*conv_in : nullptr, y, height_, width_, spans);
      for (const PixelSpan& span : spans)
        for (int x = span.begin; x < span.end; ++x) {
          const float* at = residual + static_cast<size_t>(y) * width_ + x;
          const float pixel[3] = {at[0] * gain, at[plane] * gain, at[2 * plane] * gain};
          image_.store(y, x, pixel, 1, conv_.input_scale());
        }
    });
    const float next_scale = cells_[0].input().input_scale();
    cell_in_[0].allocate();
    for_each_span(conv_, image_, pool, scratch_, conv_out ? &*conv_out : nullptr,
                  [&](int y, PixelSpan span, const float* row) {
                    cell_in_[0].store_span(y, span.begin, span.end, row, next_scale);
                  });
    image_.release();
    for (int k = 0; k < 3; ++k) {
      cells_[k].step(cell_in_[k], pool, scratch_, frozen);
      cell_in_[k].release();
      PaddedTensor<T>& next = k < 2 ? cell_in_[k + 1] : code_in_;
      next.allocate();
      const float scale = k < 2 ? cells_[k + 1].input().input_scale() : binarizer_.input_scale();
      // The binarizer reads every position; the next cell only those it computes.
      store_tensor(cells_[k].h(), cells_[k].height(), cells_[k].width(), cells_[k].channels(), false, scale,
                   next, pool, k < 2 ? frozen : nullptr);
    }
    const int codes = binarizer_.out_channels();
    const size_t code_plane = static_cast<size_t>(code_in_.height) * code_in_.width;
    for_each_row(binarizer_, code_in_, pool, scratch_, [&](int y, const float* row) {
      // sign(tanh(v)) with tanh(0) -> +1; tanh keeps the sign, so test v.
      for (int x = 0; x < code_in_.width; ++x)
        for (int c = 0; c < codes; ++c) {
          const float v = row[static_cast<size_t>(x) * codes + c];
          const size_t at = c * code_plane + static_cast<size_t>(y) * code_in_.width + x;
          bits[at] = v >= 0.0f ? 1 : -1;
          if (values) values[at] = v;
        }
    });
    code_in_.release();
  }

  size_t state_bytes() const override {
    size_t total = 0;
    for (const auto& cell : cells_) total += cell.state_bytes();
    return total;
  }

 private:
  const RuntimeNetwork& net_;
  int height_, width_;
  const PackedConv& conv_;
  const PackedConv& binarizer_;
  std::vector<RuntimeCell<T>> cells_;
  std::vector<RowScratch> scratch_;
  PaddedTensor<T> image_, cell_in_[3], code_in_;
  FreezeWindow freeze_;
  int iteration_ = 0;
};

template <class T>
class Decoder : public DecoderState::Impl {
 public:
  Decoder(const RuntimeNetwork& net, int height, int width)
      : net_(net),
        height_(height),
        width_(width),
        conv_(net.conv("dec.conv")),
        out_(net.conv("dec.out")),
        cells_(make_cells<T>(net, false)),
        scratch_(net.pool().size()),
        freeze_(height / ArchConfig::kStride, width / ArchConfig::kStride, net.config().freeze_grace) {
    const ArchConfig& c = net.config();
    int h = height / ArchConfig::kStride, w = width / ArchConfig::kStride;
    code_.assign(static_cast<size_t>(h) * w * c.code_channels, 0.0f);
    code_in_.shape(h, w, c.code_channels, conv_.pad());
    cell_in_[0].shape(h, w, c.dec_conv, cells_[0].input().pad());
    for (int k = 0; k < 4; ++k) {
      cells_[k].reset(h, w);
      h *= 2;
      w *= 2;
      PaddedTensor<T>& next = k < 3 ? cell_in_[k + 1] : out_in_;
      next.shape(h, w, c.dec_cells[k] / 4, k < 3 ? cells_[k + 1].input().pad() : out_.pad());
    }
  }

  std::unique_ptr<DecoderState::Impl> clone() const override { return std::make_unique<Decoder>(*this); }

  void step(const int8_t* bits, float* x_hat) override {
    ThreadPool& pool = net_.pool();
    const size_t code_plane = static_cast<size_t>(code_in_.height) * code_in_.width;
    std::optional<CodingPositions> positions;
    if (net_.config().freeze_stopped) {
      const std::vector<uint8_t> coding =
          coding_from_bits(bits, net_.config().code_channels, code_in_.height, code_in_.width);
      positions.emplace(freeze_.next(coding.data()));
    }
    const CodingPositions* frozen = positions ? &*positions : nullptr;
    for (size_t i = 0; i < code_.size(); ++i) {
      if (bits[i] < -1 || bits[i] > 1) throw Error("decoder: code bits must be -1, 0 or +1");
      code_[i] = bits[i];
    }
    code_in_.allocate();
    pool.parallel_for(code_in_.height, [&](int, int y) {
      for (int x = 0; x < code_in_.width; ++x)
        code_in_.store(y, x, code_.data() + static_cast<size_t>(y) * code_in_.width + x,
                       static_cast<int>(code_plane), conv_.input_scale());
    });
    const float first_scale = cells_[0].input().input_scale();
    cell_in_[0].allocate();
    for_each_row(conv_, code_in_, pool, scratch_,
                 [&](int y, const float* row) { cell_in_[0].store_row(y, row, first_scale); });
    code_in_.release();
    const int runs = iteration_ == 0 ? net_.config().priming + 1 : 1;
    for (int run = 0; run < runs; ++run)
      for (int k = 0; k < 4; ++k) {
        cells_[k].step(cell_in_[k], pool, scratch_, frozen);
        if (k > 0 || run == runs - 1) cell_in_[k].release();  // d0 serves every priming run
        PaddedTensor<T>& next = k < 3 ? cell_in_[k + 1] : out_in_;
        next.allocate();
        const PackedConv& reader = k < 3 ? cells_[k + 1].input() : out_;
        store_tensor(cells_[k].h(), cells_[k].height(), cells_[k].width(), cells_[k].channels(), true,
                     reader.input_scale(), next, pool, frozen);
      }
    const size_t plane = static_cast<size_t>(height_) * width_;
    const float gain = net_.config().gain(iteration_);
    const bool one_shot = net_.config().one_shot;
    for_each_span(out_, out_in_, pool, scratch_, frozen, [&](int y, PixelSpan span, const float* row) {
      for (int x = span.begin; x < span.end; ++x)
        for (int c = 0; c < 3; ++c) {
          float& dst = x_hat[c * plane + static_cast<size_t>(y) * width_ + x];
          const float v = row[(x - span.begin) * 3 + c];
          dst = one_shot ? v : dst + v / gain;
        }
    });
    out_in_.release();
    ++iteration_;
  }

  size_t state_bytes() const override {
    size_t total = code_.size() * sizeof(float);
    for (const auto& cell : cells_) total += cell.state_bytes();
    return total;
  }

 private:
  const RuntimeNetwork& net_;
  int height_, width_;
  const PackedConv& conv_;
  const PackedConv& out_;
  std::vector<RuntimeCell<T>> cells_;
  std::vector<RowScratch> scratch_;
  std::vector<float> code_;
  PaddedTensor<T> code_in_, cell_in_[4], out_in_;
  FreezeWindow freeze_;
  int iteration_ = 0;
};

template <template <class> class Impl, class Base>
std::unique_ptr<Base> make_impl(const RuntimeNetwork& net, int height, int width) {
  check_size(net.config(), height, width);
  if (net.mode() == ActivationMode::kFloat) return std::make_unique<Impl<float>>(net, height, width);
  return std::make_unique<Impl<int8_t>>(net, height, width);
}

}  // namespace

EncoderState::EncoderState(const RuntimeNetwork& net, int height, int width)
    : impl_(make_impl<Encoder, Impl>(net, height, width)) {}
EncoderState::~EncoderState() = default;
void EncoderState::step(const float* residual, int8_t* bits, float* values, const uint8_t* coding) {
  impl_->step(residual, bits, values, coding);
}
size_t EncoderState::state_bytes() const { return impl_->state_bytes(); }

DecoderState::DecoderState(const RuntimeNetwork& net, int height, int width)
    : impl_(make_impl<Decoder, Impl>(net, height, width)) {}
DecoderState::~DecoderState() = default;
DecoderState::DecoderState(const DecoderState& other) : impl_(other.impl_->clone()) {}
DecoderState& DecoderState::operator=(const DecoderState& other) {
  if (this != &other) impl_ = other.impl_->clone();
  return *this;
}
DecoderState::DecoderState(DecoderState&&) noexcept = default;
DecoderState& DecoderState::operator=(DecoderState&&) noexcept = default;
void DecoderState::step(const int8_t* bits, float* x_hat) { impl_->step(bits, x_hat); }
size_t DecoderState::state_bytes() const { return impl_->state_bytes(); }

}  // namespace qc
