// Rate-distortion plots as standalone SVG: panels side by side (e.g. MS-SSIM
// dB and PSNR against bpp), one shared legend underneath.
#pragma once
#include <string>
#include <vector>

#include "eval/bd_rate.h"

namespace qc {

enum class SeriesKind {
  kOurs,       // thick black line with markers
  kBaseline,   // coloured line with markers
  kPublished,  // coloured dashed line
};

struct PlotSeries {
  std::string label;
  SeriesKind kind;
  std::vector<RdPoint> points;  // non-finite points are skipped
};

struct PlotPanel {
  std::string y_label;
  std::vector<PlotSeries> series;
};

// x runs from 0 to max_bpp in every panel; each panel's y range fits the
// points inside that window. A series with the same label in several panels
// gets the same colour and one legend entry.
std::string rd_plot_svg(const std::string& title, const std::vector<PlotPanel>& panels, double max_bpp);

}  // namespace qc
