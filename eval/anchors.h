// Published rate-distortion curves to plot ours against, read from the two
// formats of the anchor folder (README, "Data"; qcodec-eval --anchors):
//   tensorflow-compression/<dataset>__<MS-SSIM|PSNR>_sRGB_RGB__<key>.txt:
//     '#' comment lines (the first names the method in double quotes), then
//     "bpp, value" lines; MS-SSIM is linear there (converted to dB here).
//   compressai/<dataset>__<key>.json: {"name", "results": {"bpp": [...],
//     "psnr-rgb": [...], and "ms-ssim-rgb" or "ms-ssim-db-rgb": [...]}}.
#pragma once
#include <string>
#include <vector>

#include "eval/bd_rate.h"

namespace qc {

struct PublishedCurve {
  std::string label;
  std::vector<RdPoint> msssim_db;  // may be empty
  std::vector<RdPoint> psnr;       // may be empty
};

// The curves qcodec-eval plots (Toderici 2017, Johnston 2018, BPG 4:2:0,
// Minnen 2018 from tensorflow-compression; BPG 4:4:4 from CompressAI), those
// that exist for `dataset` ("kodak", "tecnick", ...). Missing files are
// skipped; a malformed file is a qc::Error.
std::vector<PublishedCurve> load_published_curves(const std::string& dir, const std::string& dataset);

// Parsers, on file contents; `source` labels errors.
struct TfcTable {
  std::string label;
  std::vector<RdPoint> points;  // (bpp, value as written)
};
TfcTable parse_tfc_table(const std::string& text, const std::string& source);
PublishedCurve parse_compressai_json(const std::string& text, const std::string& source);

}  // namespace qc
