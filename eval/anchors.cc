#include "eval/anchors.h"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/error.h"
#include "base/file_io.h"
#include "metrics/metrics.h"

namespace qc {
namespace {

constexpr size_t kMaxAnchorFileBytes = 4 << 20;

std::string read_text(const std::string& path) {
  std::vector<uint8_t> bytes = read_file(path, kMaxAnchorFileBytes);
  return std::string(bytes.begin(), bytes.end());
}

std::vector<RdPoint> to_db(std::vector<RdPoint> points) {
  for (RdPoint& p : points) p.quality = msssim_db(p.quality);
  return points;
}

std::vector<double> number_list(const nlohmann::json& results, const char* key, const std::string& source) {
  const nlohmann::json& list = results.at(key);
  if (!list.is_array()) throw Error(source + ": '" + key + "' is not a list");
  std::vector<double> out;
  for (const nlohmann::json& v : list) {
    if (!v.is_number()) throw Error(source + ": '" + key + "' holds a non-number");
    out.push_back(v.get<double>());
  }
  return out;
}

struct Selection {
  bool compressai;
  const char* key;
};

// Chosen for the lineage qcodec follows (recurrent binary codes) plus the
// strongest classical and learned references of that time.
const Selection kSelection[] = {
    {false, "toderici-2017-cvpr"},
    {false, "johnston-2017-cvpr"},
    {false, "bpg420"},
    {false, "minnen-2018-neurips-opt-msssim"},
    {true, "bpg_444_x265_ycbcr"},
};

}  // namespace

TfcTable parse_tfc_table(const std::string& text, const std::string& source) {
  TfcTable table;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty()) continue;
    if (line[0] == '#') {
      size_t open = line.find('"'), close = line.rfind('"');
      if (table.label.empty() && open != std::string::npos && close > open) {
        table.label = line.substr(open + 1, close - open - 1);
      }
      continue;
    }
    const char* start = line.c_str();
    char* end = nullptr;
    double bpp = std::strtod(start, &end);
    if (end == start || *end != ',') {
      throw Error(source + ": line " + std::to_string(number) + ": expected 'bpp, value'");
    }
    const char* second = end + 1;
    double value = std::strtod(second, &end);
    if (end == second) {
      throw Error(source + ": line " + std::to_string(number) + ": expected 'bpp, value'");
    }
    table.points.push_back({bpp, value});
  }
  if (table.points.empty()) throw Error(source + ": no data lines");
  return table;
}

PublishedCurve parse_compressai_json(const std::string& text, const std::string& source) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw Error(source + ": not a JSON object");
  if (!doc.contains("results") || !doc["results"].is_object() || !doc["results"].contains("bpp")) {
    throw Error(source + ": no results.bpp");
  }
  const nlohmann::json& results = doc["results"];
  PublishedCurve curve;
  curve.label = doc.value("name", source);
  std::vector<double> bpp = number_list(results, "bpp", source);
  auto zip = [&](const std::vector<double>& values, bool to_decibels) {
    if (values.size() != bpp.size()) throw Error(source + ": lists of different lengths");
    std::vector<RdPoint> out;
    for (size_t i = 0; i < bpp.size(); ++i) {
      out.push_back({bpp[i], to_decibels ? msssim_db(values[i]) : values[i]});
    }
    return out;
  };
  if (results.contains("ms-ssim-db-rgb")) {
    curve.msssim_db = zip(number_list(results, "ms-ssim-db-rgb", source), false);
  } else if (results.contains("ms-ssim-rgb")) {
    curve.msssim_db = zip(number_list(results, "ms-ssim-rgb", source), true);
  }
  if (results.contains("psnr-rgb")) curve.psnr = zip(number_list(results, "psnr-rgb", source), false);
  return curve;
}

std::vector<PublishedCurve> load_published_curves(const std::string& dir, const std::string& dataset) {
  std::vector<PublishedCurve> curves;
  for (const Selection& s : kSelection) {
    PublishedCurve curve;
    if (s.compressai) {
      std::string path = dir + "/compressai/" + dataset + "__" + s.key + ".json";
      if (!file_exists(path)) continue;
      curve = parse_compressai_json(read_text(path), path);
    } else {
      std::string stem = dir + "/tensorflow-compression/" + dataset + "__";
      std::string msssim_path = stem + "MS-SSIM_sRGB_RGB__" + s.key + ".txt";
      std::string psnr_path = stem + "PSNR_sRGB_RGB__" + s.key + ".txt";
      if (file_exists(msssim_path)) {
        TfcTable t = parse_tfc_table(read_text(msssim_path), msssim_path);
        curve.label = t.label;
        curve.msssim_db = to_db(t.points);
      }
      if (file_exists(psnr_path)) {
        TfcTable t = parse_tfc_table(read_text(psnr_path), psnr_path);
        if (curve.label.empty()) curve.label = t.label;
        curve.psnr = t.points;
      }
      if (curve.label.empty()) curve.label = s.key;
    }
    if (!curve.msssim_db.empty() || !curve.psnr.empty()) curves.push_back(std::move(curve));
  }
  return curves;
}

}  // namespace qc
