// A codec's rate-distortion curve on a dataset: the per-image measurements
// averaged per setting (mean bpp, mean MS-SSIM and then its dB, mean PSNR),
// as tensorflow-compression's published curves are made.
#pragma once
#include <string>
#include <vector>

#include "eval/bd_rate.h"
#include "eval/evaluation.h"

namespace qc {

struct CurvePoint {
  double setting = 0;
  int images = 0;
  double bpp = 0;
  double msssim = 0;
  double msssim_db = 0;  // dB of the mean MS-SSIM, not the mean of dBs
  double psnr = 0;
  double encode_ms = 0;
  double decode_ms = 0;
};

struct Curve {
  std::string codec;
  std::string label;
  std::string setting_name;
  std::vector<CurvePoint> points;  // in the codec's setting order

  std::vector<RdPoint> msssim_points() const;
  std::vector<RdPoint> msssim_db_points() const;
  std::vector<RdPoint> psnr_points() const;
};

// The rows of `codec` in `rows`, averaged per setting.
Curve average_curve(const CodecAdapter& codec, const std::vector<Measurement>& rows);

}  // namespace qc
