#include "eval/rd_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace qc {
namespace {

constexpr double kPanelWidth = 520, kPanelHeight = 400;
constexpr double kLeft = 64, kRight = 24, kTop = 48, kBottom = 52;
constexpr double kLegendRowHeight = 20;
const char* const kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
                                "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#ad494a"};

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", v);
  return text;
}

// A round step (1, 2 or 5 times a power of ten) giving about `count` ticks.
double tick_step(double range, int count) {
  double raw = range / count;
  double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0}) {
    if (m * power >= raw) return m * power;
  }
  return 10 * power;
}

std::string tick_label(double v, double step) {
  char text[32];
  int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}

struct Style {
  std::string colour;
  double width;
  bool dashed, markers;
};

class Legend {
 public:
  const Style& style_for(const PlotSeries& s) {
    for (const auto& entry : entries_) {
      if (entry.first == s.label) return entry.second;
    }
    Style style;
    if (s.kind == SeriesKind::kOurs) {
      style = {"#000000", 3, false, true};
    } else {
      style = {kPalette[colours_used_++ % (sizeof kPalette / sizeof *kPalette)], 1.6,
               s.kind == SeriesKind::kPublished, s.kind == SeriesKind::kBaseline};
    }
    entries_.push_back({s.label, style});
    return entries_.back().second;
  }
  const std::vector<std::pair<std::string, Style>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, Style>> entries_;
  size_t colours_used_ = 0;
};

std::string line_attributes(const Style& style) {
  return "stroke=\"" + style.colour + "\" stroke-width=\"" + num(style.width) + "\" fill=\"none\"" +
         (style.dashed ? " stroke-dasharray=\"6,4\"" : "");
}

std::string draw_panel(const PlotPanel& panel, int index, double x0, double max_bpp, Legend& legend) {
  double y_min = std::numeric_limits<double>::infinity(), y_max = -y_min;
  for (const PlotSeries& s : panel.series) {
    for (const RdPoint& p : s.points) {
      if (std::isfinite(p.quality) && std::isfinite(p.bpp) && p.bpp <= max_bpp) {
        y_min = std::min(y_min, p.quality);
        y_max = std::max(y_max, p.quality);
      }
    }
  }
  if (!std::isfinite(y_min)) y_min = 0, y_max = 1;
  if (y_max - y_min < 1e-9) y_min -= 0.5, y_max += 0.5;
  double pad = 0.04 * (y_max - y_min);
  y_min -= pad;
  y_max += pad;

  const double plot_w = kPanelWidth - kLeft - kRight, plot_h = kPanelHeight - kTop - kBottom;
  const double left = x0 + kLeft, top = kTop;
  auto sx = [&](double bpp) { return left + bpp / max_bpp * plot_w; };
  auto sy = [&](double q) { return top + (y_max - q) / (y_max - y_min) * plot_h; };

  std::string clip = "clip" + std::to_string(index);
  std::string out = "<clipPath id=\"" + clip + "\"><rect x=\"" + num(left) + "\" y=\"" + num(top) +
                    "\" width=\"" + num(plot_w) + "\" height=\"" + num(plot_h) + "\"/></clipPath>\n";
  out += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" + num(plot_w) + "\" height=\"" +
         num(plot_h) + "\" fill=\"none\" stroke=\"#444\"/>\n";
  double xs = tick_step(max_bpp, 8);
  for (double v = 0; v <= max_bpp + 1e-9; v += xs) {
    out += "<line x1=\"" + num(sx(v)) + "\" y1=\"" + num(top) + "\" x2=\"" + num(sx(v)) + "\" y2=\"" +
           num(top + plot_h) + "\" stroke=\"#ddd\"/>\n";
    out += "<text x=\"" + num(sx(v)) + "\" y=\"" + num(top + plot_h + 16) + "\" text-anchor=\"middle\">" +
           tick_label(v, xs) + "</text>\n";
  }
  double ys = tick_step(y_max - y_min, 7);
  for (double v = std::ceil(y_min / ys) * ys; v <= y_max; v += ys) {
    out += "<line x1=\"" + num(left) + "\" y1=\"" + num(sy(v)) + "\" x2=\"" + num(left + plot_w) +
           "\" y2=\"" + num(sy(v)) + "\" stroke=\"#ddd\"/>\n";
    out += "<text x=\"" + num(left - 6) + "\" y=\"" + num(sy(v) + 4) + "\" text-anchor=\"end\">" +
           tick_label(v, ys) + "</text>\n";
  }
  out += "<text x=\"" + num(left + plot_w / 2) + "\" y=\"" + num(top + plot_h + 38) +
         "\" text-anchor=\"middle\">bits per pixel</text>\n";
  out += "<text transform=\"translate(" + num(x0 + 16) + "," + num(top + plot_h / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + escape(panel.y_label) + "</text>\n";

  out += "<g clip-path=\"url(#" + clip + ")\">\n";
  for (const PlotSeries& s : panel.series) {
    const Style& style = legend.style_for(s);
    std::vector<RdPoint> points;
    for (const RdPoint& p : s.points) {
      if (std::isfinite(p.quality) && std::isfinite(p.bpp)) points.push_back(p);
    }
    std::sort(points.begin(), points.end(), [](const RdPoint& a, const RdPoint& b) { return a.bpp < b.bpp; });
    std::string coords;
    for (const RdPoint& p : points) coords += num(sx(p.bpp)) + "," + num(sy(p.quality)) + " ";
    out += "<polyline " + line_attributes(style) + " points=\"" + coords + "\"><title>" + escape(s.label) +
           "</title></polyline>\n";
    if (style.markers) {
      for (const RdPoint& p : points) {
        out += "<circle cx=\"" + num(sx(p.bpp)) + "\" cy=\"" + num(sy(p.quality)) + "\" r=\"2.5\" fill=\"" +
               style.colour + "\"/>\n";
      }
    }
  }
  return out + "</g>\n";
}

}  // namespace

std::string rd_plot_svg(const std::string& title, const std::vector<PlotPanel>& panels, double max_bpp) {
  Legend legend;
  std::string body;
  for (size_t i = 0; i < panels.size(); ++i) {
    body += draw_panel(panels[i], static_cast<int>(i), i * kPanelWidth, max_bpp, legend);
  }
  const double width = std::max<size_t>(1, panels.size()) * kPanelWidth;
  const int columns = std::max(1, static_cast<int>(width / 340));
  const size_t rows = (legend.entries().size() + columns - 1) / columns;
  const double height = kPanelHeight + 12 + rows * kLegendRowHeight;
  std::string legend_svg;
  for (size_t i = 0; i < legend.entries().size(); ++i) {
    const auto& [label, style] = legend.entries()[i];
    double x = kLeft + (i % columns) * 340.0;
    double y = kPanelHeight + 12 + (i / columns) * kLegendRowHeight;
    legend_svg += "<line x1=\"" + num(x) + "\" y1=\"" + num(y) + "\" x2=\"" + num(x + 30) + "\" y2=\"" +
                  num(y) + "\" " + line_attributes(style) + "/>\n";
    legend_svg += "<text x=\"" + num(x + 38) + "\" y=\"" + num(y + 4) + "\">" + escape(label) + "</text>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
         num(width) + "\" height=\"" + num(height) + "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
         "\" font-family=\"sans-serif\" font-size=\"12\">\n"
         "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
         "<text x=\"" +
         num(width / 2) + "\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">" + escape(title) +
         "</text>\n" + body + legend_svg + "</svg>\n";
}

}  // namespace qc
