// The files qcodec-eval writes: the per-image CSV, one summary JSON per
// codec, the BD-rate table, and a plain-text summary for the terminal.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "eval/curve.h"
#include "eval/evaluation.h"

namespace qc {

// Rates at which every summary reads MS-SSIM and PSNR off the curve.
const std::vector<double>& summary_rates();  // 0.125, 0.25, 0.5, 1.0

// Header: codec,setting,image,bytes,bpp,msssim,msssim_db,psnr,encode_ms,decode_ms
// Infinite values (identical images) are written "inf".
std::string measurements_csv(const std::vector<Measurement>& rows);
// Reads a table written by measurements_csv back (to reuse earlier baseline
// runs); throws qc::Error naming `source` and the line on anything else.
std::vector<Measurement> measurements_from_csv(const std::string& text, const std::string& source);

// {"codec", "label", "setting_name", "dataset", "curve": [{"setting", "images",
// "bpp", "msssim", "msssim_db", "psnr", "encode_ms", "decode_ms"}...],
// "msssim_at_bpp": {"0.125": x|null, ...}, "psnr_at_bpp": {...}}.
// Infinite numbers become the string "inf"; rates outside the curve, null.
nlohmann::json curve_json(const Curve& curve, const std::string& dataset);

// {"reference": codec, "rows": [{"codec", "bd_rate_msssim_db", "bd_rate_psnr"}]}:
// the reference's BD-rate in percent against each other curve (negative =
// the reference needs fewer bits); null where the curves do not overlap.
nlohmann::json bd_rate_json(const Curve& reference, const std::vector<Curve>& others);

// A fixed-width table of the curves (MS-SSIM and PSNR at summary_rates()).
std::string summary_text(const std::vector<Curve>& curves);

}  // namespace qc
