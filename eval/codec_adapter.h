// The one interface every codec under evaluation sits behind: encode an RGB
// image at one setting of the codec's own quality knob to the bytes of a
// complete file, and decode those bytes back. Adapters are stateless (each
// call builds its own encoder), so one adapter is used from many threads.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "image/image.h"

namespace qc {

class CodecAdapter {
 public:
  virtual ~CodecAdapter() = default;
  // Short identifier used in file names and CSV rows ("jpeg", "avif444").
  virtual std::string name() const = 0;
  // Human-readable description for plots and reports, library version included.
  virtual std::string label() const = 0;
  // What `setting` means ("quality", "distance", ...).
  virtual std::string setting_name() const = 0;
  // The sweep of settings that covers roughly 0.05 to 1.5 bpp on photographs.
  virtual std::vector<double> settings() const = 0;
  // `rgb` has 3 channels. Returns the whole encoded file, headers included.
  virtual std::vector<uint8_t> encode(const Image& rgb, double setting) const = 0;
  // Returns a 3-channel image; throws qc::Error on a corrupt stream.
  virtual Image decode(const std::vector<uint8_t>& bytes) const = 0;
};

// The baselines, linked against their reference libraries.
std::vector<std::string> baseline_names();  // jpeg webp jpeg2000 avif444 avif420 jxl
// Throws qc::Error naming the valid choices for an unknown name.
std::unique_ptr<CodecAdapter> make_baseline(const std::string& name);

// One factory per adapter file.
std::unique_ptr<CodecAdapter> make_jpeg_adapter();
std::unique_ptr<CodecAdapter> make_webp_adapter();
std::unique_ptr<CodecAdapter> make_jpeg2000_adapter();
std::unique_ptr<CodecAdapter> make_avif_adapter(bool subsample_chroma);
std::unique_ptr<CodecAdapter> make_jxl_adapter();

}  // namespace qc
