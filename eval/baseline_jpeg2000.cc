// JPEG 2000 baseline: OpenJPEG, raw J2K codestream, irreversible 9/7 wavelet
// with the irreversible colour transform, one quality layer whose size is set
// by rate allocation. The setting is the target bpp (OpenJPEG's compression
// ratio is 24 / bpp for 8-bit RGB); the measured bpp is what the file really
// takes.
#include <openjpeg.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "base/error.h"
#include "eval/codec_adapter.h"

namespace qc {
namespace {

// In-memory stream state for OpenJPEG's callback interface.
struct MemoryStream {
  std::vector<uint8_t>* sink = nullptr;  // when writing
  const uint8_t* source = nullptr;       // when reading
  size_t size = 0;
  size_t position = 0;
};

OPJ_SIZE_T stream_write(void* buffer, OPJ_SIZE_T bytes, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (s->sink->size() < s->position + bytes) s->sink->resize(s->position + bytes);
  std::memcpy(s->sink->data() + s->position, buffer, bytes);
  s->position += bytes;
  return bytes;
}

OPJ_SIZE_T stream_read(void* buffer, OPJ_SIZE_T bytes, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (s->position >= s->size) return static_cast<OPJ_SIZE_T>(-1);
  size_t n = std::min(bytes, s->size - s->position);
  std::memcpy(buffer, s->source + s->position, n);
  s->position += n;
  return n;
}

OPJ_OFF_T stream_skip(OPJ_OFF_T bytes, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  size_t limit = s->sink ? SIZE_MAX : s->size;
  if (bytes < 0 && static_cast<size_t>(-bytes) > s->position) return -1;
  size_t target = static_cast<size_t>(static_cast<OPJ_OFF_T>(s->position) + bytes);
  s->position = std::min(target, limit);
  return bytes;
}

OPJ_BOOL stream_seek(OPJ_OFF_T offset, void* user) {
  auto* s = static_cast<MemoryStream*>(user);
  if (offset < 0 || (!s->sink && static_cast<size_t>(offset) > s->size)) return OPJ_FALSE;
  s->position = static_cast<size_t>(offset);
  return OPJ_TRUE;
}

void ignore_message(const char*, void*) {}

// Owns the three OpenJPEG handles of one encode or decode call.
struct OpjHandles {
  opj_codec_t* codec = nullptr;
  opj_stream_t* stream = nullptr;
  opj_image_t* image = nullptr;
  ~OpjHandles() {
    if (stream) opj_stream_destroy(stream);
    if (codec) opj_destroy_codec(codec);
    if (image) opj_image_destroy(image);
  }
};

opj_stream_t* make_stream(MemoryStream* state, bool input) {
  opj_stream_t* stream = opj_stream_create(1 << 16, input ? OPJ_TRUE : OPJ_FALSE);
  if (!stream) throw Error("jpeg2000: cannot create stream");
  opj_stream_set_user_data(stream, state, nullptr);
  if (input) {
    opj_stream_set_user_data_length(stream, state->size);
    opj_stream_set_read_function(stream, stream_read);
  } else {
    opj_stream_set_write_function(stream, stream_write);
  }
  opj_stream_set_skip_function(stream, stream_skip);
  opj_stream_set_seek_function(stream, stream_seek);
  return stream;
}

void silence(opj_codec_t* codec) {
  opj_set_info_handler(codec, ignore_message, nullptr);
  opj_set_warning_handler(codec, ignore_message, nullptr);
  opj_set_error_handler(codec, ignore_message, nullptr);
}

class Jpeg2000Adapter : public CodecAdapter {
 public:
  std::string name() const override { return "jpeg2000"; }
  std::string label() const override {
    return std::string("JPEG 2000 (OpenJPEG ") + opj_version() + ", 9/7)";
  }
  std::string setting_name() const override { return "target_bpp"; }
  std::vector<double> settings() const override {
    return {0.04, 0.0625, 0.09, 0.125, 0.18, 0.25, 0.35, 0.5, 0.7, 1.0, 1.4, 2.0};
  }

  std::vector<uint8_t> encode(const Image& rgb, double setting) const override {
    if (!(setting > 0)) throw Error("jpeg2000: target bpp must be positive");
    opj_cparameters_t params;
    opj_set_default_encoder_parameters(&params);
    params.tcp_numlayers = 1;
    params.tcp_rates[0] = static_cast<float>(24.0 / setting);
    params.cp_disto_alloc = 1;
    params.irreversible = 1;
    params.tcp_mct = 1;

    opj_image_cmptparm_t components[3];
    std::memset(components, 0, sizeof(components));
    for (auto& c : components) {
      c.dx = c.dy = 1;
      c.w = static_cast<OPJ_UINT32>(rgb.width);
      c.h = static_cast<OPJ_UINT32>(rgb.height);
      c.prec = 8;
    }
    OpjHandles h;
    h.image = opj_image_create(3, components, OPJ_CLRSPC_SRGB);
    if (!h.image) throw Error("jpeg2000: cannot allocate image");
    h.image->x1 = static_cast<OPJ_UINT32>(rgb.width);
    h.image->y1 = static_cast<OPJ_UINT32>(rgb.height);
    const size_t pixels = static_cast<size_t>(rgb.width) * rgb.height;
    for (int c = 0; c < 3; ++c) {
      for (size_t i = 0; i < pixels; ++i) h.image->comps[c].data[i] = rgb.pixels[i * 3 + c];
    }
    h.codec = opj_create_compress(OPJ_CODEC_J2K);
    silence(h.codec);
    std::vector<uint8_t> out;
    MemoryStream state;
    state.sink = &out;
    h.stream = make_stream(&state, false);
    if (!opj_setup_encoder(h.codec, &params, h.image) || !opj_start_compress(h.codec, h.image, h.stream) ||
        !opj_encode(h.codec, h.stream) || !opj_end_compress(h.codec, h.stream)) {
      throw Error("jpeg2000: encoding failed");
    }
    return out;
  }

  Image decode(const std::vector<uint8_t>& bytes) const override {
    OpjHandles h;
    h.codec = opj_create_decompress(OPJ_CODEC_J2K);
    silence(h.codec);
    opj_dparameters_t params;
    opj_set_default_decoder_parameters(&params);
    MemoryStream state;
    state.source = bytes.data();
    state.size = bytes.size();
    h.stream = make_stream(&state, true);
    if (!opj_setup_decoder(h.codec, &params) || !opj_read_header(h.stream, h.codec, &h.image) ||
        !opj_decode(h.codec, h.stream, h.image) || !opj_end_decompress(h.codec, h.stream)) {
      throw Error("jpeg2000: cannot decode stream");
    }
    if (h.image->numcomps < 3) throw Error("jpeg2000: expected 3 components");
    const opj_image_comp_t* comps = h.image->comps;
    for (int c = 0; c < 3; ++c) {
      if (comps[c].w != comps[0].w || comps[c].h != comps[0].h || comps[c].prec != 8 || comps[c].dx != 1 ||
          comps[c].dy != 1) {
        throw Error("jpeg2000: unexpected component layout");
      }
    }
    Image image(static_cast<int>(comps[0].w), static_cast<int>(comps[0].h), 3);
    const size_t pixels = static_cast<size_t>(image.width) * image.height;
    for (int c = 0; c < 3; ++c) {
      for (size_t i = 0; i < pixels; ++i) {
        image.pixels[i * 3 + c] = static_cast<uint8_t>(std::clamp(comps[c].data[i], 0, 255));
      }
    }
    return image;
  }
};

}  // namespace

std::unique_ptr<CodecAdapter> make_jpeg2000_adapter() { return std::make_unique<Jpeg2000Adapter>(); }

}  // namespace qc
