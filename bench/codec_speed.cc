// qcodec-bench-codecs IMAGE.png... [--bpp R] [--repeats N] [--threads N] [-o OUT.json] (--help)
// Encode and decode speed of qcodec against libavif (libaom, speed 6, 4:4:4)
// and libwebp (method 4), in one process, on the same images at about the
// same rate: qcodec at the target through its rate control; each baseline
// at the setting of its own sweep whose file lands closest to the target
// (found first, untimed). Timed from RGB in memory to bytes and back, PNG
// I/O excluded for every codec; PNG read and write are timed on their own
// so that they can be added alike. The runs of the codecs are interleaved
// image by image and repeat by repeat, so a machine's drift hits all alike.
// Prints one JSON object (and writes it to OUT.json with -o).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "base/cpu_features.h"
#include "base/error.h"
#include "base/file_io.h"
#include "bench/bench_support.h"
#include "codec/codec.h"
#include "eval/codec_adapter.h"
#include "eval/dataset.h"
#include "image/image_io.h"
#include "nn/cpu_dispatch.h"
#include "nn/default_model.h"

namespace {

double seconds(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The setting of `codec`'s sweep (ordered by rising rate) whose file is
// closest to `target` bytes: bisection on the sweep, then the nearer side.
double setting_for(const qc::CodecAdapter& codec, const qc::Image& rgb, double target) {
  const std::vector<double> sweep = codec.settings();
  auto bytes_at = [&](size_t i) { return static_cast<double>(codec.encode(rgb, sweep[i]).size()); };
  size_t lo = 0, hi = sweep.size() - 1;
  if (bytes_at(hi) <= target) return sweep[hi];
  while (hi - lo > 1) {
    const size_t mid = (lo + hi) / 2;
    (bytes_at(mid) < target ? lo : hi) = mid;
  }
  return std::abs(bytes_at(lo) - target) <= std::abs(bytes_at(hi) - target) ? sweep[lo] : sweep[hi];
}

struct Tally {
  double pixels = 0, bytes = 0, encode_s = 0, decode_s = 0;
  nlohmann::json report(double png_read_s, double png_write_s) const {
    const double mp = pixels / 1e6;
    return {{"bpp", bytes * 8 / pixels},
            {"encode_mp_per_s", mp / encode_s},
            {"decode_mp_per_s", mp / decode_s},
            {"encode_mp_per_s_with_png", mp / (encode_s + png_read_s)},
            {"decode_mp_per_s_with_png", mp / (decode_s + png_write_s)}};
  }
};

int run(int argc, char** argv) {
  std::vector<std::string> paths;
  double bpp = 0.25;
  int repeats = 2;
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  std::string output;
  CLI::App app("Encode and decode speed of qcodec against libavif and libwebp (bench/codec_speed.cc)");
  app.add_option("IMAGES", paths, "PNG or JPEG images")->required();
  app.add_option("--bpp", bpp, "target rate")->capture_default_str();
  app.add_option("--repeats", repeats, "timed rounds over the images")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--threads", threads, "qcodec's all-threads row")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("-o", output, "also write the JSON result here");
  CLI11_PARSE(app, argc, argv);

  const qc::EmbeddedBytes embedded = qc::default_model_bytes();
  if (embedded.size == 0) throw qc::Error("this build embeds no model");
  const qc::Model model = qc::model_from_bytes(embedded.data, embedded.size, "built-in model");
  const std::unique_ptr<qc::CodecAdapter> avif = qc::make_baseline("avif444");
  const std::unique_ptr<qc::CodecAdapter> webp = qc::make_baseline("webp");

  struct Prepared {
    qc::Image rgb;
    double avif_setting, webp_setting;
    std::vector<uint8_t> png;
  };
  std::vector<Prepared> images;
  for (const std::string& path : paths) {
    Prepared p{qc::to_rgb(qc::read_image(path).image), 0, 0, {}};
    const double target = bpp * p.rgb.width * p.rgb.height / 8;
    p.avif_setting = setting_for(*avif, p.rgb, target);
    p.webp_setting = setting_for(*webp, p.rgb, target);
    p.png = qc::encode_png(p.rgb);
    images.push_back(std::move(p));
    std::fprintf(stderr, "\rcodec speed: %zu/%zu images prepared", images.size(), paths.size());
  }
  std::fprintf(stderr, "\n");

  Tally qcodec_one, qcodec_all, avif_t, webp_t;
  double png_read_s = 0, png_write_s = 0;
  auto time_qcodec = [&](const qc::Image& rgb, int thread_count, Tally& t) {
    qc::EncodeOptions o;
    o.bpp = bpp;
    o.threads = thread_count;
    std::vector<uint8_t> bytes;
    t.encode_s += seconds([&] { bytes = qc::encode(rgb, model, o).bytes; });
    t.decode_s += seconds([&] { qc::decode(bytes.data(), bytes.size(), model, thread_count, "bench"); });
    t.bytes += bytes.size();
    t.pixels += double(rgb.width) * rgb.height;
  };
  auto time_baseline = [&](const qc::CodecAdapter& codec, const qc::Image& rgb, double setting, Tally& t) {
    std::vector<uint8_t> bytes;
    t.encode_s += seconds([&] { bytes = codec.encode(rgb, setting); });
    t.decode_s += seconds([&] { codec.decode(bytes); });
    t.bytes += bytes.size();
    t.pixels += double(rgb.width) * rgb.height;
  };
  for (int r = 0; r < repeats; ++r) {
    for (const Prepared& p : images) {
      time_qcodec(p.rgb, 1, qcodec_one);
      time_qcodec(p.rgb, threads, qcodec_all);
      time_baseline(*avif, p.rgb, p.avif_setting, avif_t);
      time_baseline(*webp, p.rgb, p.webp_setting, webp_t);
      png_read_s += seconds([&] { qc::decode_image(p.png.data(), p.png.size(), "png"); });
      png_write_s += seconds([&] { qc::encode_png(p.rgb); });
    }
    std::fprintf(stderr, "\rcodec speed: %d/%d rounds", r + 1, repeats);
  }
  std::fprintf(stderr, "\n");

  const nlohmann::json one = qcodec_one.report(png_read_s, png_write_s);
  const nlohmann::json a = avif_t.report(png_read_s, png_write_s), w = webp_t.report(png_read_s, png_write_s);
  auto ratio = [](const nlohmann::json& x, const nlohmann::json& y, const char* key) {
    return x[key].get<double>() / y[key].get<double>();
  };
  nlohmann::ordered_json j;
  j["images"] = paths;
  j["repeats"] = repeats;
  j["kernel_isa"] = qc::isa_name(qc::active_isa());
  j["cpu_features"] = qc::cpu_features().describe();
  j["target_bpp"] = bpp;
  j["png_io_included"] =
      "no in encode_mp_per_s / decode_mp_per_s; yes in the *_with_png fields, the same PNG times for every "
      "codec";
  j["png_read_mp_per_s"] = qcodec_one.pixels / 1e6 / png_read_s;
  j["png_write_mp_per_s"] = qcodec_one.pixels / 1e6 / png_write_s;
  j["codecs"] = {
      {"qcodec, 1 thread", one},
      {"qcodec, " + std::to_string(threads) + " threads", qcodec_all.report(png_read_s, png_write_s)},
      {"avif444 (" + avif->label() + "), 1 thread", a},
      {"webp (" + webp->label() + ", method 4), 1 thread", w}};
  j["baseline_threads"] =
      "1: the baseline adapters run single-threaded, so only qcodec has an all-threads row";
  j["ratios_1_thread"] = {{"encode_vs_avif", ratio(one, a, "encode_mp_per_s")},
                          {"decode_vs_avif", ratio(one, a, "decode_mp_per_s")},
                          {"encode_vs_webp", ratio(one, w, "encode_mp_per_s")},
                          {"decode_vs_webp", ratio(one, w, "decode_mp_per_s")},
                          {"encode_vs_avif_with_png", ratio(one, a, "encode_mp_per_s_with_png")},
                          {"decode_vs_avif_with_png", ratio(one, a, "decode_mp_per_s_with_png")}};
  qc::bench::emit_result(j, output);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  return qc::bench::run_main("qcodec-bench-codecs", [&] { return run(argc, argv); });
}
