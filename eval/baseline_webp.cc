// WebP baseline: libwebp lossy (VP8), default preset, method 4 (cwebp's
// default), quality 0..100. The RGB->YUV conversion is libwebp's own (4:2:0).
#include <webp/decode.h>
#include <webp/encode.h>

#include <string>

#include "base/error.h"
#include "eval/codec_adapter.h"

namespace qc {
namespace {

std::string version_text(int v) {
  return std::to_string(v >> 16) + "." + std::to_string((v >> 8) & 0xff) + "." + std::to_string(v & 0xff);
}

class WebpAdapter : public CodecAdapter {
 public:
  std::string name() const override { return "webp"; }
  std::string label() const override {
    return "WebP (libwebp " + version_text(WebPGetEncoderVersion()) + ")";
  }
  std::string setting_name() const override { return "quality"; }
  std::vector<double> settings() const override { return {0, 2, 5, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90}; }

  std::vector<uint8_t> encode(const Image& rgb, double setting) const override {
    WebPConfig config;
    if (!WebPConfigPreset(&config, WEBP_PRESET_DEFAULT, static_cast<float>(setting)) ||
        !WebPValidateConfig(&config)) {
      throw Error("webp: invalid quality " + std::to_string(setting));
    }
    config.method = 4;
    WebPPicture picture;
    if (!WebPPictureInit(&picture)) throw Error("webp: library version mismatch");
    picture.width = rgb.width;
    picture.height = rgb.height;
    WebPMemoryWriter writer;
    WebPMemoryWriterInit(&writer);
    picture.writer = WebPMemoryWrite;
    picture.custom_ptr = &writer;
    bool ok =
        WebPPictureImportRGB(&picture, rgb.pixels.data(), rgb.width * 3) && WebPEncode(&config, &picture);
    int error = picture.error_code;
    WebPPictureFree(&picture);
    std::vector<uint8_t> out(writer.mem, writer.mem + writer.size);
    WebPMemoryWriterClear(&writer);
    if (!ok) throw Error("webp: encoding failed (error " + std::to_string(error) + ")");
    return out;
  }

  Image decode(const std::vector<uint8_t>& bytes) const override {
    int width = 0, height = 0;
    uint8_t* rgb = WebPDecodeRGB(bytes.data(), bytes.size(), &width, &height);
    if (!rgb) throw Error("webp: cannot decode stream");
    Image image(width, height, 3);
    std::copy(rgb, rgb + image.pixels.size(), image.pixels.begin());
    WebPFree(rgb);
    return image;
  }
};

}  // namespace

std::unique_ptr<CodecAdapter> make_webp_adapter() { return std::make_unique<WebpAdapter>(); }

}  // namespace qc
