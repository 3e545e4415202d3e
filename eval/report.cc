#include "eval/report.h"

#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>

#include "base/error.h"

namespace qc {
namespace {

std::string format(const char* spec, double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char text[64];
  std::snprintf(text, sizeof text, spec, value);
  return text;
}

// RFC 4180 quoting, only when needed.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

nlohmann::json json_number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

nlohmann::json json_optional(const std::optional<double>& v) {
  return v ? json_number(*v) : nlohmann::json(nullptr);
}

std::string rate_key(double bpp) { return format("%g", bpp); }

}  // namespace

const std::vector<double>& summary_rates() {
  static const std::vector<double> rates = {0.125, 0.25, 0.5, 1.0};
  return rates;
}

std::string measurements_csv(const std::vector<Measurement>& rows) {
  std::string out = "codec,setting,image,bytes,bpp,msssim,msssim_db,psnr,encode_ms,decode_ms\n";
  for (const Measurement& m : rows) {
    out += csv_field(m.codec) + "," + format("%g", m.setting) + "," + csv_field(m.image) + "," +
           std::to_string(m.bytes) + "," + format("%.6f", m.bpp) + "," + format("%.8f", m.msssim) + "," +
           format("%.4f", m.msssim_db) + "," + format("%.4f", m.psnr) + "," + format("%.2f", m.encode_ms) +
           "," + format("%.2f", m.decode_ms) + "\n";
  }
  return out;
}

std::vector<Measurement> measurements_from_csv(const std::string& text, const std::string& source) {
  std::vector<Measurement> rows;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    if (++number == 1 || line.empty()) continue;  // the header
    // Split on commas outside quotes; "" inside quotes is one quote.
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (c == '"' && quoted && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.emplace_back();
      } else {
        fields.back() += c;
      }
    }
    if (fields.size() != 10) {
      throw Error(source + ": line " + std::to_string(number) + ": expected 10 fields");
    }
    try {
      Measurement m;
      m.codec = fields[0];
      m.setting = std::stod(fields[1]);
      m.image = fields[2];
      m.bytes = std::stoull(fields[3]);
      m.bpp = std::stod(fields[4]);
      m.msssim = std::stod(fields[5]);
      m.msssim_db = std::stod(fields[6]);
      m.psnr = std::stod(fields[7]);
      m.encode_ms = std::stod(fields[8]);
      m.decode_ms = std::stod(fields[9]);
      rows.push_back(m);
    } catch (const std::logic_error&) {
      throw Error(source + ": line " + std::to_string(number) + ": not a number where one belongs");
    }
  }
  return rows;
}

nlohmann::json curve_json(const Curve& curve, const std::string& dataset) {
  nlohmann::json points = nlohmann::json::array();
  for (const CurvePoint& p : curve.points) {
    points.push_back({{"setting", p.setting},
                      {"images", p.images},
                      {"bpp", p.bpp},
                      {"msssim", p.msssim},
                      {"msssim_db", json_number(p.msssim_db)},
                      {"psnr", json_number(p.psnr)},
                      {"encode_ms", p.encode_ms},
                      {"decode_ms", p.decode_ms}});
  }
  nlohmann::json msssim_at = nlohmann::json::object(), psnr_at = nlohmann::json::object();
  for (double bpp : summary_rates()) {
    msssim_at[rate_key(bpp)] = json_optional(quality_at_bpp(curve.msssim_points(), bpp));
    psnr_at[rate_key(bpp)] = json_optional(quality_at_bpp(curve.psnr_points(), bpp));
  }
  return {{"codec", curve.codec},  {"label", curve.label}, {"setting_name", curve.setting_name},
          {"dataset", dataset},    {"curve", points},      {"msssim_at_bpp", msssim_at},
          {"psnr_at_bpp", psnr_at}};
}

nlohmann::json bd_rate_json(const Curve& reference, const std::vector<Curve>& others) {
  nlohmann::json rows = nlohmann::json::array();
  for (const Curve& other : others) {
    rows.push_back({{"codec", other.codec},
                    {"bd_rate_msssim_db",
                     json_optional(bd_rate(other.msssim_db_points(), reference.msssim_db_points()))},
                    {"bd_rate_psnr", json_optional(bd_rate(other.psnr_points(), reference.psnr_points()))}});
  }
  return {{"reference", reference.codec}, {"rows", rows}};
}

std::string summary_text(const std::vector<Curve>& curves) {
  auto cell = [](const std::optional<double>& v, const char* spec) {
    char text[32];
    std::snprintf(text, sizeof text, " %7s", v ? format(spec, *v).c_str() : "-");
    return std::string(text);
  };
  std::string out = "codec     MS-SSIM at bpp:";
  for (double bpp : summary_rates()) out += cell(bpp, "%g");
  out += "   PSNR at bpp:";
  for (double bpp : summary_rates()) out += cell(bpp, "%g");
  out += "\n";
  for (const Curve& c : curves) {
    char name[32];
    std::snprintf(name, sizeof name, "%-25s", c.codec.c_str());
    out += name;
    for (double bpp : summary_rates()) out += cell(quality_at_bpp(c.msssim_points(), bpp), "%.4f");
    out += "              ";
    for (double bpp : summary_rates()) out += cell(quality_at_bpp(c.psnr_points(), bpp), "%.2f");
    out += "\n";
  }
  return out;
}

}  // namespace qc
