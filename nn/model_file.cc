// .qcm layout, all integers little-endian:
//   header  "QCM1" | u32 version (1, 2 or 3) | u64 body size | u64 compressed body size
//   body    zstd frame of:
//             config: u8 cell, i32 enc_conv, i32 enc_cells[3], i32 code_channels,
//                     i32 dec_conv, i32 dec_cells[4], i32 input_kernel,
//                     i32 hidden_kernel, i32 iterations, i32 priming,
//                     version 2 and 3: u8 reconstruction flags (bit 0
//                     one-shot, bit 1 freeze-stopped), version 3 only: u8
//                     freeze grace, then u32 gain count (0 or iterations),
//                     f32 residual_gains[gain count]
//             u32 layer count, then per layer:
//                     u32 name length, name bytes, u32 bases, f32 input_scale,
//                     u8 has_bias, u64 bits[bases * out * row_words],
//                     f32 alpha[bases * out], f32 bias[out] (if has_bias)
//   trailer u64 FNV-1a of every byte before it
// Each layer's shape comes from layers(config); the file only has to agree.
#include "nn/model_file.h"

#include <zstd.h>

#include <cmath>
#include <cstring>

#include "base/error.h"
#include "base/file_io.h"

namespace qc {
namespace {

constexpr char kMagic[4] = {'Q', 'C', 'M', '1'};
// Version 2 adds the reconstruction fields (one-shot, freeze-stopped,
// residual gains); a model with none of them is still written as version 1,
// so every model has one encoding (and one fingerprint). Builds from before
// freeze-stopped refuse such a model ("bad reconstruction flags"). Version 3
// adds the freeze grace, written only where it is not 0.
constexpr uint32_t kVersionPlain = 1;
constexpr uint32_t kVersionReconstruction = 2;
constexpr uint32_t kVersionFreezeGrace = 3;

uint32_t version_of(const ArchConfig& c) {
  if (c.freeze_grace) return kVersionFreezeGrace;
  return c.one_shot || c.freeze_stopped || !c.residual_gains.empty() ? kVersionReconstruction : kVersionPlain;
}
constexpr size_t kHeaderBytes = 4 + 4 + 8 + 8;
constexpr size_t kTrailerBytes = 8;

uint64_t fnv1a(const uint8_t* data, size_t size) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 0x100000001b3ULL;
  return h;
}

class Writer {
 public:
  void u8(uint8_t v) { out_.push_back(v); }
  void u32(uint32_t v) { le(v, 4); }
  void i32(int32_t v) { le(static_cast<uint32_t>(v), 4); }
  void u64(uint64_t v) { le(v, 8); }
  void f32(float v) {
    uint32_t u;
    std::memcpy(&u, &v, 4);
    u32(u);
  }
  void bytes(const void* p, size_t n) {
    const uint8_t* b = static_cast<const uint8_t*>(p);
    out_.insert(out_.end(), b, b + n);
  }
  std::vector<uint8_t>& data() { return out_; }

 private:
  void le(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) out_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> out_;
};

class Reader {
 public:
  Reader(const uint8_t* data, size_t size, const std::string& source)
      : p_(data), end_(data + size), source_(source) {}
  uint8_t u8() { return static_cast<uint8_t>(le(1)); }
  uint32_t u32() { return static_cast<uint32_t>(le(4)); }
  int32_t i32() { return static_cast<int32_t>(u32()); }
  uint64_t u64() { return le(8); }
  float f32() {
    uint32_t u = u32();
    float v;
    std::memcpy(&v, &u, 4);
    return v;
  }
  const uint8_t* take(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) fail("truncated model body");
    const uint8_t* at = p_;
    p_ += n;
    return at;
  }
  bool done() const { return p_ == end_; }
  [[noreturn]] void fail(const std::string& cause) const { throw Error(source_ + ": " + cause); }

 private:
  uint64_t le(int n) {
    const uint8_t* b = take(n);
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(b[i]) << (8 * i);
    return v;
  }
  const uint8_t* p_;
  const uint8_t* end_;
  const std::string& source_;
};

size_t expected_words(const LayerSpec& spec, int bases) {
  return static_cast<size_t>(bases) * spec.out_channels * row_words(spec.in_channels, spec.kernel);
}

void write_config(Writer& w, const ArchConfig& c) {
  w.u8(static_cast<uint8_t>(c.cell));
  w.i32(c.enc_conv);
  for (int v : c.enc_cells) w.i32(v);
  w.i32(c.code_channels);
  w.i32(c.dec_conv);
  for (int v : c.dec_cells) w.i32(v);
  w.i32(c.input_kernel);
  w.i32(c.hidden_kernel);
  w.i32(c.iterations);
  w.i32(c.priming);
  const uint32_t version = version_of(c);
  if (version >= kVersionReconstruction) {
    w.u8((c.one_shot ? 1 : 0) | (c.freeze_stopped ? 2 : 0));
    if (version == kVersionFreezeGrace) w.u8(static_cast<uint8_t>(c.freeze_grace));
    w.u32(static_cast<uint32_t>(c.residual_gains.size()));
    for (float g : c.residual_gains) w.f32(g);
  }
}

ArchConfig read_config(Reader& r, uint32_t version) {
  ArchConfig c;
  uint8_t cell = r.u8();
  if (cell > static_cast<uint8_t>(CellType::kLstm)) r.fail("unknown cell type " + std::to_string(cell));
  c.cell = static_cast<CellType>(cell);
  c.enc_conv = r.i32();
  for (int& v : c.enc_cells) v = r.i32();
  c.code_channels = r.i32();
  c.dec_conv = r.i32();
  for (int& v : c.dec_cells) v = r.i32();
  c.input_kernel = r.i32();
  c.hidden_kernel = r.i32();
  c.iterations = r.i32();
  c.priming = r.i32();
  if (version >= kVersionReconstruction) {
    const uint8_t flags = r.u8();
    if (flags > 3) r.fail("bad reconstruction flags");
    c.one_shot = flags & 1;
    c.freeze_stopped = flags & 2;
    if (version == kVersionFreezeGrace) {
      c.freeze_grace = r.u8();
      if (c.freeze_grace == 0) r.fail("a version 3 model has a freeze grace");
    }
    const uint32_t gains = r.u32();
    if (gains != 0 && gains != static_cast<uint32_t>(c.iterations)) r.fail("bad residual gain count");
    c.residual_gains.resize(gains);
    for (float& g : c.residual_gains) g = r.f32();
  }
  try {
    c.validate();
  } catch (const Error& e) {
    r.fail(e.what());
  }
  return c;
}

// Bits past a row's length must be zero so that every model has one encoding
// (and one fingerprint).
bool padding_bits_clear(const uint64_t* row, size_t row_len, size_t words) {
  size_t used = row_len % 64;
  return used == 0 || (row[words - 1] >> used) == 0;
}

QuantLayer read_layer(Reader& r, const LayerSpec& spec) {
  QuantLayer layer;
  uint32_t name_length = r.u32();
  if (name_length > static_cast<uint32_t>(kMaxQcmNameLength)) r.fail("layer name too long");
  const uint8_t* name = r.take(name_length);
  layer.name.assign(reinterpret_cast<const char*>(name), name_length);
  if (layer.name != spec.name) r.fail("layer '" + layer.name + "' where '" + spec.name + "' was expected");
  uint32_t bases = r.u32();
  if (bases < 1 || bases > static_cast<uint32_t>(kMaxQcmBases))
    r.fail(spec.name + ": bad basis count " + std::to_string(bases));
  layer.bases = static_cast<int>(bases);
  layer.input_scale = r.f32();
  if (!std::isfinite(layer.input_scale) || !(layer.input_scale > 0))
    r.fail(spec.name + ": input scale is not a positive finite number");
  uint8_t has_bias = r.u8();
  if (has_bias > 1 || (has_bias == 1) != spec.bias) r.fail(spec.name + ": bias presence mismatch");

  const size_t words_per_row = row_words(spec.in_channels, spec.kernel);
  const size_t row_len = static_cast<size_t>(spec.in_channels) * spec.kernel * spec.kernel;
  const size_t words = expected_words(spec, layer.bases);
  const uint8_t* bits = r.take(words * 8);
  layer.bits.resize(words);
  for (size_t i = 0; i < words; ++i) {
    uint64_t v = 0;
    for (int b = 0; b < 8; ++b) v |= static_cast<uint64_t>(bits[i * 8 + b]) << (8 * b);
    layer.bits[i] = v;
  }
  for (size_t row = 0; row < words / words_per_row; ++row)
    if (!padding_bits_clear(&layer.bits[row * words_per_row], row_len, words_per_row))
      r.fail(spec.name + ": nonzero padding bits");
  auto read_floats = [&](std::vector<float>& v, size_t n, const char* what) {
    v.resize(n);
    for (float& f : v) {
      f = r.f32();
      if (!std::isfinite(f)) r.fail(spec.name + ": non-finite " + what);
    }
  };
  read_floats(layer.alpha, static_cast<size_t>(layer.bases) * spec.out_channels, "scale");
  if (has_bias) read_floats(layer.bias, spec.out_channels, "bias");
  return layer;
}

void check_layer_shape(const LayerSpec& spec, const QuantLayer& layer) {
  auto bad = [&](const std::string& what) { throw Error("serialize_qcm: layer " + spec.name + ": " + what); };
  if (layer.name != spec.name) bad("named '" + layer.name + "'");
  if (layer.bases < 1 || layer.bases > kMaxQcmBases) bad("bad basis count");
  if (layer.bits.size() != expected_words(spec, layer.bases)) bad("wrong number of weight words");
  if (layer.alpha.size() != static_cast<size_t>(layer.bases) * spec.out_channels)
    bad("wrong number of scales");
  if (layer.bias.size() != (spec.bias ? static_cast<size_t>(spec.out_channels) : 0))
    bad("wrong number of biases");
  if (!(layer.input_scale > 0) || !std::isfinite(layer.input_scale)) bad("bad input scale");
}

}  // namespace

std::vector<uint64_t> pack_sign_rows(const float* values, size_t rows, size_t row_len) {
  const size_t words = (row_len + 63) / 64;
  std::vector<uint64_t> out(rows * words, 0);
  for (size_t r = 0; r < rows; ++r)
    for (size_t i = 0; i < row_len; ++i)
      if (values[r * row_len + i] > 0) out[r * words + i / 64] |= uint64_t{1} << (i % 64);
  return out;
}

std::vector<uint8_t> serialize_qcm(const QcmModel& model) {
  model.config.validate();
  const std::vector<LayerSpec> specs = layers(model.config);
  if (model.layers.size() != specs.size())
    throw Error("serialize_qcm: " + std::to_string(model.layers.size()) + " layers, the config has " +
                std::to_string(specs.size()));
  Writer body;
  write_config(body, model.config);
  body.u32(static_cast<uint32_t>(specs.size()));
  for (size_t i = 0; i < specs.size(); ++i) {
    const QuantLayer& layer = model.layers[i];
    check_layer_shape(specs[i], layer);
    body.u32(static_cast<uint32_t>(layer.name.size()));
    body.bytes(layer.name.data(), layer.name.size());
    body.u32(static_cast<uint32_t>(layer.bases));
    body.f32(layer.input_scale);
    body.u8(layer.bias.empty() ? 0 : 1);
    for (uint64_t w : layer.bits) body.u64(w);
    for (float a : layer.alpha) body.f32(a);
    for (float b : layer.bias) body.f32(b);
  }
  const std::vector<uint8_t>& raw = body.data();
  if (raw.size() > kMaxQcmBodyBytes) throw Error("serialize_qcm: model too large");

  std::vector<uint8_t> packed(ZSTD_compressBound(raw.size()));
  size_t packed_size = ZSTD_compress(packed.data(), packed.size(), raw.data(), raw.size(), 19);
  if (ZSTD_isError(packed_size))
    throw Error(std::string("serialize_qcm: zstd: ") + ZSTD_getErrorName(packed_size));
  packed.resize(packed_size);

  Writer file;
  file.bytes(kMagic, 4);
  file.u32(version_of(model.config));
  file.u64(raw.size());
  file.u64(packed.size());
  file.bytes(packed.data(), packed.size());
  file.u64(fnv1a(file.data().data(), file.data().size()));
  if (file.data().size() > kMaxQcmFileBytes) throw Error("serialize_qcm: model file too large");
  return std::move(file.data());
}

QcmModel parse_qcm(const uint8_t* data, size_t size, const std::string& source) {
  auto fail = [&](const std::string& cause) -> void { throw Error(source + ": " + cause); };
  if (size > kMaxQcmFileBytes) fail("model file larger than " + std::to_string(kMaxQcmFileBytes) + " bytes");
  if (size < kHeaderBytes + kTrailerBytes || std::memcmp(data, kMagic, 4) != 0)
    fail("not a qcodec model (.qcm) file");
  Reader header(data + 4, kHeaderBytes - 4, source);
  uint32_t version = header.u32();
  if (version < kVersionPlain || version > kVersionFreezeGrace)
    fail("unsupported model version " + std::to_string(version));
  uint64_t raw_size = header.u64();
  uint64_t packed_size = header.u64();
  if (raw_size > kMaxQcmBodyBytes) fail("model body larger than the limit");
  if (packed_size != size - kHeaderBytes - kTrailerBytes) fail("truncated or oversized model file");
  Reader trailer(data + size - kTrailerBytes, kTrailerBytes, source);
  if (trailer.u64() != fnv1a(data, size - kTrailerBytes)) fail("model checksum mismatch (corrupt file)");

  // The frame has to declare the size the header claims before that much is
  // allocated: a small file must not cost kMaxQcmBodyBytes.
  if (ZSTD_getFrameContentSize(data + kHeaderBytes, packed_size) != raw_size)
    fail("model body does not decompress");
  std::vector<uint8_t> raw(raw_size);
  size_t got = ZSTD_decompress(raw.data(), raw.size(), data + kHeaderBytes, packed_size);
  if (ZSTD_isError(got) || got != raw_size) fail("model body does not decompress");

  Reader r(raw.data(), raw.size(), source);
  QcmModel model;
  model.config = read_config(r, version);
  const std::vector<LayerSpec> specs = layers(model.config);
  uint32_t count = r.u32();
  if (count > static_cast<uint32_t>(kMaxQcmLayers) || count != specs.size())
    fail("model has " + std::to_string(count) + " layers, its architecture needs " +
         std::to_string(specs.size()));
  for (const LayerSpec& spec : specs) model.layers.push_back(read_layer(r, spec));
  if (!r.done()) fail("trailing bytes after the last layer");
  return model;
}

QcmModel load_qcm_file(const std::string& path) {
  std::vector<uint8_t> bytes = read_file(path, kMaxQcmFileBytes);
  return parse_qcm(bytes.data(), bytes.size(), path);
}

uint64_t qcm_fingerprint(const std::vector<uint8_t>& serialized) {
  return fnv1a(serialized.data(), serialized.size());
}

}  // namespace qc
