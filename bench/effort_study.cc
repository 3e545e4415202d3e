// qcodec-bench-effort IMAGE.png... [--bpp R,R,...] [--efforts 1,E,...] [--threads N] [-o OUT.json] (--help)
// What each encoder effort level buys: every image is encoded at every
// target rate (rate control on, real files) at every effort, decoded with
// the one decoder, and scored with MS-SSIM (RGB, TF convention). Reports per
// effort the mean bpp and MS-SSIM per rate, the BD-rate (MS-SSIM in dB)
// against effort 1 on the mean curve and per image (their mean), and the
// encode time (wall clock, from pixels in memory to bytes). Prints one JSON
// object (and writes it to OUT.json with -o); progress on stderr.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/file_io.h"
#include "bench/bench_support.h"
#include "codec/codec.h"
#include "eval/bd_rate.h"
#include "eval/dataset.h"
#include "image/image_io.h"
#include "metrics/metrics.h"
#include "nn/default_model.h"

namespace {

double msssim_db(double msssim) { return -10 * std::log10(1 - msssim); }

struct Cell {
  double bpp = 0, msssim = 0, encode_s = 0;
};

int run(int argc, char** argv) {
  std::vector<std::string> paths;
  std::vector<double> rates = {0.125, 0.25, 0.5, 1.0};
  std::vector<int> efforts = {1, 2, 3};
  int threads = 1;
  std::string output;
  CLI::App app(
      "What each encoder effort level buys: BD-rate against effort 1 and encode time "
      "(bench/effort_study.cc)");
  app.add_option("IMAGES", paths, "PNG or JPEG images")->required();
  app.add_option("--bpp", rates, "target rates")->delimiter(',')->capture_default_str();
  app.add_option("--efforts", efforts, "effort levels, 1 first")->delimiter(',')->capture_default_str();
  app.add_option("--threads", threads, "encoder and decoder threads")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("-o", output, "also write the JSON result here");
  CLI11_PARSE(app, argc, argv);
  if (efforts.empty() || efforts.front() != 1) throw qc::Error("--efforts must start with 1, the yardstick");

  const qc::EmbeddedBytes embedded = qc::default_model_bytes();
  if (embedded.size == 0) throw qc::Error("this build embeds no model");
  const qc::Model model = qc::model_from_bytes(embedded.data, embedded.size, "built-in model");

  // cells[effort][image][rate]
  std::vector<std::vector<std::vector<Cell>>> cells(
      efforts.size(), std::vector<std::vector<Cell>>(paths.size(), std::vector<Cell>(rates.size())));
  nlohmann::ordered_json rows = nlohmann::json::array();
  const size_t total = efforts.size() * paths.size() * rates.size();
  size_t done = 0;
  for (size_t im = 0; im < paths.size(); ++im) {
    const qc::Image rgb = qc::to_rgb(qc::read_image(paths[im]).image);
    const double pixels = double(rgb.width) * rgb.height;
    for (size_t r = 0; r < rates.size(); ++r)
      for (size_t e = 0; e < efforts.size(); ++e) {
        qc::EncodeOptions o;
        o.bpp = rates[r];
        o.threads = threads;
        o.effort = efforts[e];
        const auto start = std::chrono::steady_clock::now();
        const qc::EncodeResult result = qc::encode(rgb, model, o);
        Cell& c = cells[e][im][r];
        c.encode_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        c.bpp = result.bytes.size() * 8 / pixels;
        c.msssim =
            qc::ms_ssim(rgb, qc::decode(result.bytes.data(), result.bytes.size(), model, threads, paths[im]));
        rows.push_back({{"image", paths[im]},
                        {"target_bpp", rates[r]},
                        {"effort", o.effort},
                        {"bpp", c.bpp},
                        {"msssim", c.msssim},
                        {"encode_s", c.encode_s}});
        std::fprintf(stderr, "\reffort study: %zu/%zu encodes", ++done, total);
      }
  }
  std::fprintf(stderr, "\n");

  auto curve = [&](size_t e, int image) {  // image < 0: the mean over images
    std::vector<qc::RdPoint> points;
    for (size_t r = 0; r < rates.size(); ++r) {
      double bpp = 0, q = 0;
      for (size_t im = 0; im < paths.size(); ++im) {
        if (image >= 0 && static_cast<size_t>(image) != im) continue;
        bpp += cells[e][im][r].bpp;
        q += cells[e][im][r].msssim;
      }
      const double n = image >= 0 ? 1.0 : double(paths.size());
      points.push_back({bpp / n, msssim_db(q / n)});
    }
    return points;
  };
  nlohmann::ordered_json levels = nlohmann::json::array();
  for (size_t e = 0; e < efforts.size(); ++e) {
    double seconds = 0, base_seconds = 0, per_image_bd = 0;
    int per_image_count = 0;
    for (size_t im = 0; im < paths.size(); ++im) {
      for (size_t r = 0; r < rates.size(); ++r) {
        seconds += cells[e][im][r].encode_s;
        base_seconds += cells[0][im][r].encode_s;
      }
      if (auto bd = qc::bd_rate(curve(0, static_cast<int>(im)), curve(e, static_cast<int>(im)))) {
        per_image_bd += *bd;
        ++per_image_count;
      }
    }
    nlohmann::ordered_json level;
    level["effort"] = efforts[e];
    const auto bd = qc::bd_rate(curve(0, -1), curve(e, -1));
    level["bd_rate_vs_effort_1_percent"] = bd ? nlohmann::json(*bd) : nlohmann::json(nullptr);
    level["bd_rate_vs_effort_1_per_image_mean_percent"] =
        per_image_count ? nlohmann::json(per_image_bd / per_image_count) : nlohmann::json(nullptr);
    level["encode_s_total"] = seconds;
    level["encode_time_vs_effort_1"] = seconds / base_seconds;
    nlohmann::ordered_json per_rate = nlohmann::json::array();
    const std::vector<qc::RdPoint> mean = curve(e, -1);
    for (size_t r = 0; r < rates.size(); ++r) {
      double q = 0;
      for (size_t im = 0; im < paths.size(); ++im) q += cells[e][im][r].msssim;
      per_rate.push_back({{"target_bpp", rates[r]}, {"bpp", mean[r].bpp}, {"msssim", q / paths.size()}});
    }
    level["rates"] = per_rate;
    levels.push_back(level);
  }
  nlohmann::ordered_json j;
  j["images"] = paths;
  j["threads"] = threads;
  j["msssim"] = "RGB, TF convention; BD-rate on MS-SSIM in dB, -10 log10(1 - MS-SSIM)";
  j["levels"] = levels;
  j["encodes"] = rows;
  qc::bench::emit_result(j, output);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return qc::bench::run_main("qcodec-bench-effort", [&] { return run(argc, argv); });
}
