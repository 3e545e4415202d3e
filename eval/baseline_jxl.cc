// JPEG XL baseline: libjxl, lossy VarDCT in XYB, effort 7 (cjxl's default),
// bare codestream (no container). The setting is the Butteraugli distance
// (lower = better; libjxl 0.7 accepts 0..15).
#include <jxl/decode.h>
#include <jxl/encode.h>

#include <string>

#include "base/error.h"
#include "eval/codec_adapter.h"

namespace qc {
namespace {

const JxlPixelFormat kRgb8 = {3, JXL_TYPE_UINT8, JXL_NATIVE_ENDIAN, 0};

std::string version_text(uint32_t v) {
  return std::to_string(v / 1000000) + "." + std::to_string(v / 1000 % 1000) + "." + std::to_string(v % 1000);
}

struct EncoderHandle {
  JxlEncoder* p = JxlEncoderCreate(nullptr);
  ~EncoderHandle() { JxlEncoderDestroy(p); }
};
struct DecoderHandle {
  JxlDecoder* p = JxlDecoderCreate(nullptr);
  ~DecoderHandle() { JxlDecoderDestroy(p); }
};

void check(bool ok, const char* what) {
  if (!ok) throw Error(std::string("jxl: ") + what + " failed");
}

class JxlAdapter : public CodecAdapter {
 public:
  std::string name() const override { return "jxl"; }
  std::string label() const override {
    return "JPEG XL (libjxl " + version_text(JxlEncoderVersion()) + ", effort 7)";
  }
  std::string setting_name() const override { return "distance"; }
  std::vector<double> settings() const override {
    return {15, 12, 10, 8, 6.5, 5, 4, 3, 2.5, 2, 1.5, 1, 0.7, 0.5};
  }

  std::vector<uint8_t> encode(const Image& rgb, double setting) const override {
    EncoderHandle enc;
    check(enc.p != nullptr, "encoder creation");
    JxlBasicInfo info;
    JxlEncoderInitBasicInfo(&info);
    info.xsize = static_cast<uint32_t>(rgb.width);
    info.ysize = static_cast<uint32_t>(rgb.height);
    info.bits_per_sample = 8;
    info.num_color_channels = 3;
    info.uses_original_profile = JXL_FALSE;
    check(JxlEncoderSetBasicInfo(enc.p, &info) == JXL_ENC_SUCCESS, "basic info");
    JxlColorEncoding srgb;
    JxlColorEncodingSetToSRGB(&srgb, JXL_FALSE);
    check(JxlEncoderSetColorEncoding(enc.p, &srgb) == JXL_ENC_SUCCESS, "colour encoding");
    JxlEncoderFrameSettings* frame = JxlEncoderFrameSettingsCreate(enc.p, nullptr);
    check(frame != nullptr, "frame settings");
    check(JxlEncoderFrameSettingsSetOption(frame, JXL_ENC_FRAME_SETTING_EFFORT, 7) == JXL_ENC_SUCCESS,
          "effort");
    check(JxlEncoderSetFrameDistance(frame, static_cast<float>(setting)) == JXL_ENC_SUCCESS,
          "setting the distance");
    check(JxlEncoderAddImageFrame(frame, &kRgb8, rgb.pixels.data(), rgb.pixels.size()) == JXL_ENC_SUCCESS,
          "adding the frame");
    JxlEncoderCloseInput(enc.p);

    std::vector<uint8_t> out(64 << 10);
    uint8_t* next = out.data();
    size_t avail = out.size();
    JxlEncoderStatus status;
    while ((status = JxlEncoderProcessOutput(enc.p, &next, &avail)) == JXL_ENC_NEED_MORE_OUTPUT) {
      size_t used = static_cast<size_t>(next - out.data());
      out.resize(out.size() * 2);
      next = out.data() + used;
      avail = out.size() - used;
    }
    check(status == JXL_ENC_SUCCESS, "encoding");
    out.resize(static_cast<size_t>(next - out.data()));
    return out;
  }

  Image decode(const std::vector<uint8_t>& bytes) const override {
    DecoderHandle dec;
    check(dec.p != nullptr, "decoder creation");
    check(JxlDecoderSubscribeEvents(dec.p, JXL_DEC_BASIC_INFO | JXL_DEC_FULL_IMAGE) == JXL_DEC_SUCCESS,
          "event subscription");
    check(JxlDecoderSetInput(dec.p, bytes.data(), bytes.size()) == JXL_DEC_SUCCESS, "input");
    JxlDecoderCloseInput(dec.p);
    Image image;
    for (;;) {
      JxlDecoderStatus status = JxlDecoderProcessInput(dec.p);
      if (status == JXL_DEC_BASIC_INFO) {
        JxlBasicInfo info;
        check(JxlDecoderGetBasicInfo(dec.p, &info) == JXL_DEC_SUCCESS, "reading basic info");
        image = Image(static_cast<int>(info.xsize), static_cast<int>(info.ysize), 3);
      } else if (status == JXL_DEC_NEED_IMAGE_OUT_BUFFER) {
        check(JxlDecoderSetImageOutBuffer(dec.p, &kRgb8, image.pixels.data(), image.pixels.size()) ==
                  JXL_DEC_SUCCESS,
              "output buffer");
      } else if (status == JXL_DEC_FULL_IMAGE) {
        continue;
      } else if (status == JXL_DEC_SUCCESS) {
        return image;
      } else {
        throw Error("jxl: cannot decode stream");
      }
    }
  }
};

}  // namespace

std::unique_ptr<CodecAdapter> make_jxl_adapter() { return std::make_unique<JxlAdapter>(); }

}  // namespace qc
