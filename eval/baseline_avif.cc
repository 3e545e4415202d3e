// AVIF baseline: libavif with the libaom AV1 encoder (Debian 12's libavif also
// links rav1e and SVT-AV1; libaom is the reference encoder and the best at
// still images), speed 6 (avifenc's default), 8-bit, full range, BT.601
// matrix. The setting is the AV1 quantizer 0..63 (min = max quantizer, i.e.
// constant quality). Two variants: 4:4:4 and 4:2:0 chroma.
#include <avif/avif.h>

#include <string>

#include "base/error.h"
#include "eval/codec_adapter.h"

namespace qc {
namespace {

// Owns whatever libavif objects one call creates.
struct AvifHandles {
  avifImage* image = nullptr;
  avifEncoder* encoder = nullptr;
  avifDecoder* decoder = nullptr;
  avifRWData output = AVIF_DATA_EMPTY;
  ~AvifHandles() {
    avifRWDataFree(&output);
    if (encoder) avifEncoderDestroy(encoder);
    if (decoder) avifDecoderDestroy(decoder);
    if (image) avifImageDestroy(image);
  }
};

void check(avifResult result, const char* what) {
  if (result != AVIF_RESULT_OK) {
    throw Error(std::string("avif: ") + what + ": " + avifResultToString(result));
  }
}

class AvifAdapter : public CodecAdapter {
 public:
  explicit AvifAdapter(bool subsample_chroma) : subsample_(subsample_chroma) {}

  std::string name() const override { return subsample_ ? "avif420" : "avif444"; }
  std::string label() const override {
    return std::string("AVIF ") + (subsample_ ? "4:2:0" : "4:4:4") + " (libavif " + avifVersion() +
           ", libaom, speed 6)";
  }
  std::string setting_name() const override { return "quantizer"; }
  std::vector<double> settings() const override {
    return {63, 60, 56, 52, 48, 44, 40, 36, 32, 28, 24, 20, 16, 12};
  }

  std::vector<uint8_t> encode(const Image& rgb, double setting) const override {
    if (!avifCodecName(AVIF_CODEC_CHOICE_AOM, AVIF_CODEC_FLAG_CAN_ENCODE)) {
      throw Error("avif: this libavif has no libaom encoder");
    }
    AvifHandles h;
    h.image = avifImageCreate(static_cast<uint32_t>(rgb.width), static_cast<uint32_t>(rgb.height), 8,
                              subsample_ ? AVIF_PIXEL_FORMAT_YUV420 : AVIF_PIXEL_FORMAT_YUV444);
    if (!h.image) throw Error("avif: cannot allocate image");
    h.image->yuvRange = AVIF_RANGE_FULL;
    h.image->matrixCoefficients = AVIF_MATRIX_COEFFICIENTS_BT601;
    avifRGBImage input;
    avifRGBImageSetDefaults(&input, h.image);
    input.format = AVIF_RGB_FORMAT_RGB;
    input.depth = 8;
    input.pixels = const_cast<uint8_t*>(rgb.pixels.data());
    input.rowBytes = static_cast<uint32_t>(rgb.width) * 3;
    check(avifImageRGBToYUV(h.image, &input), "colour conversion");

    h.encoder = avifEncoderCreate();
    if (!h.encoder) throw Error("avif: cannot create encoder");
    h.encoder->codecChoice = AVIF_CODEC_CHOICE_AOM;
    h.encoder->maxThreads = 1;
    h.encoder->speed = 6;
    h.encoder->minQuantizer = h.encoder->maxQuantizer = static_cast<int>(setting);
    check(avifEncoderWrite(h.encoder, h.image, &h.output), "encoding");
    return std::vector<uint8_t>(h.output.data, h.output.data + h.output.size);
  }

  Image decode(const std::vector<uint8_t>& bytes) const override {
    AvifHandles h;
    h.decoder = avifDecoderCreate();
    h.image = avifImageCreateEmpty();
    if (!h.decoder || !h.image) throw Error("avif: cannot create decoder");
    h.decoder->maxThreads = 1;
    check(avifDecoderReadMemory(h.decoder, h.image, bytes.data(), bytes.size()), "decoding");
    Image out(static_cast<int>(h.image->width), static_cast<int>(h.image->height), 3);
    avifRGBImage rgb;
    avifRGBImageSetDefaults(&rgb, h.image);
    rgb.format = AVIF_RGB_FORMAT_RGB;
    rgb.depth = 8;
    rgb.pixels = out.pixels.data();
    rgb.rowBytes = static_cast<uint32_t>(out.width) * 3;
    check(avifImageYUVToRGB(h.image, &rgb), "colour conversion");
    return out;
  }

 private:
  bool subsample_;
};

}  // namespace

std::unique_ptr<CodecAdapter> make_avif_adapter(bool subsample_chroma) {
  return std::make_unique<AvifAdapter>(subsample_chroma);
}

}  // namespace qc
