// qcodec info IN.qc [--json] [--map MAP.png] [--iterations N]
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "base/file_io.h"
#include "codec/bitstream.h"
#include "entropy/code_coder.h"
#include "image/image_io.h"
#include "tools/qcodec/cli_support.h"
#include "tools/qcodec/commands.h"

namespace qc::cli {
namespace {

struct InfoCommand {
  std::string input, map;
  bool json = false;
  int iterations = 0;  // describe only this prefix (0: the whole file)
  CommonOptions common;
};

// The decoded image with each tile tinted by its iteration count (blue: few,
// red: many), half and half with the image's luma.
Image heat_map(const Image& decoded, const TileMap& map, int tile_pixels) {
  Image out(decoded.width, decoded.height, 3);
  const int most = std::max(1, map.max_count());
  for (int y = 0; y < decoded.height; ++y) {
    for (int x = 0; x < decoded.width; ++x) {
      int luma = 0;
      const int colour = decoded.channels >= 3 ? 3 : 1;
      for (int c = 0; c < colour; ++c) luma += decoded.at(x, y, c);
      luma /= colour;
      const int count = map.counts[(y / tile_pixels) * map.tiles_x + x / tile_pixels];
      const int heat = 255 * count / most;
      const int tint[3] = {heat, 64, 255 - heat};
      for (int c = 0; c < 3; ++c) out.at(x, y, c) = static_cast<uint8_t>((luma + tint[c]) / 2);
    }
  }
  return out;
}

void run_info(const InfoCommand& o) {
  const std::vector<uint8_t> bytes = read_input(o.input, kMaxQcFileBytes);
  const std::string name = input_name(o.input);
  const QcHeader h = read_qc_header(bytes.data(), bytes.size(), name);
  if (!o.map.empty()) check_output(o.map, o.input, o.common.force);
  // Decoding the code bits needs no model: read it against its own fingerprint.
  QcReadOptions prefix;
  prefix.max_iterations = o.iterations;
  QcFile file = read_qc(bytes.data(), bytes.size(), h.model_fingerprint, name, prefix);
  CodeCost cost = measure_codes(file.codes, file.map);
  const double pixels = double(h.width) * h.height;

  const int iterations = file.codes.iterations;
  std::vector<int> histogram(iterations + 1, 0);
  double mean = 0;
  for (uint8_t c : file.map.counts) {
    ++histogram[c];
    mean += c;
  }
  mean /= file.map.counts.size();
  std::vector<double> iteration_bits;
  for (uint64_t c : cost.iteration_cost) iteration_bits.push_back(c / 65536.0);
  // Code bits present at each iteration before entropy coding.
  std::vector<uint64_t> raw_bits(iterations, 0);
  for (uint8_t count : position_counts(file.map, file.codes.rows, file.codes.cols)) {
    for (int i = 0; i < count; ++i) raw_bits[i] += h.code_channels;
  }

  nlohmann::ordered_json j;
  char fingerprint[17];
  std::snprintf(fingerprint, sizeof(fingerprint), "%016llx",
                static_cast<unsigned long long>(h.model_fingerprint));
  j["file"] = name;
  j["format_version"] = h.version;
  j["model_fingerprint"] = fingerprint;
  j["width"] = h.width;
  j["height"] = h.height;
  j["channels"] = h.channels;
  j["tile_pixels"] = h.tile * kCodeBlock;
  j["iterations"] = h.iterations;
  j["iterations_described"] = iterations;
  j["code_channels"] = h.code_channels;
  j["bytes"] = {
      {"total", h.total_bytes}, {"map", h.map_bytes}, {"alpha", h.alpha_bytes}, {"payload", h.payload_bytes}};
  j["bpp"] = h.total_bytes * 8.0 / pixels;
  j["mean_iterations"] = mean;
  j["tiles_per_iteration_count"] = histogram;
  j["model_bits_per_iteration"] = iteration_bits;
  j["raw_bits_per_iteration"] = raw_bits;
  // What a decoder needs for each prefix of iterations (format 2 records it).
  std::vector<size_t> prefix_bytes;
  std::vector<double> prefix_bpp;
  if (h.version >= 2) {
    for (int i = 1; i <= h.iterations; ++i) {
      prefix_bytes.push_back(h.bytes_through(i));
      prefix_bpp.push_back(prefix_bytes.back() * 8.0 / pixels);
    }
    j["bytes_through_iteration"] = prefix_bytes;
    j["bpp_through_iteration"] = prefix_bpp;
  } else {
    j["bytes_through_iteration"] = nullptr;
    j["bpp_through_iteration"] = nullptr;
  }

  if (!o.map.empty()) {
    Model model = load_model(o.common.model);
    DecodeOptions limit;
    limit.threads = o.common.threads;
    limit.max_iterations = o.iterations;
    Image decoded = decode(bytes.data(), bytes.size(), model, limit, name).image;
    write_output(o.map, encode_png(heat_map(decoded, file.map, h.tile * kCodeBlock)), o.common.force);
  }
  if (o.json) {
    std::cout << j.dump() << "\n";
    return;
  }
  std::printf("%s: qcodec format %d, model %s\n", name.c_str(), h.version, fingerprint);
  std::printf("  image      %ux%u, %u channel%s\n", h.width, h.height, h.channels, h.channels > 1 ? "s" : "");
  std::printf("  size       %zu bytes = %.4f bpp (map %zu, alpha %zu, payload %zu)\n", h.total_bytes,
              h.total_bytes * 8.0 / pixels, h.map_bytes, h.alpha_bytes, h.payload_bytes);
  std::printf(
      "  tiles      %dx%d of %d px, %d iterations at most, %.2f on average%s\n", file.map.tiles_x,
      file.map.tiles_y, h.tile * kCodeBlock, h.iterations, mean,
      iterations < h.iterations ? (" (of the first " + std::to_string(iterations) + ")").c_str() : "");
  std::printf("  tiles by iteration count:");
  for (size_t k = 0; k < histogram.size(); ++k) std::printf(" %zu:%d", k, histogram[k]);
  std::printf("\n  bits per iteration (model cost / raw):");
  for (int i = 0; i < iterations; ++i)
    std::printf(" %.0f/%llu", iteration_bits[i], static_cast<unsigned long long>(raw_bits[i]));
  std::printf("\n");
  if (!prefix_bpp.empty()) {
    std::printf("  bpp after each iteration:");
    for (double bpp : prefix_bpp) std::printf(" %.4f", bpp);
    std::printf("\n");
  }
}

}  // namespace

void add_info_command(CLI::App& app) {
  auto o = std::make_shared<InfoCommand>();
  CLI::App* command = app.add_subcommand("info", "Show a .qc file's header, rate and bit allocation");
  command->add_option("IN", o->input, "input .qc file, - for standard input")->required();
  command->add_flag("--json", o->json, "print one JSON object");
  command
      ->add_option("--iterations", o->iterations,
                   "describe (and map) only the first N iterations of every tile")
      ->check(CLI::Range(1, 64));
  command->add_option("--map", o->map,
                      "also write the allocation map as a heat map over the decoded image (PNG)");
  add_common_options(*command, o->common);
  command->callback([o] { run_info(*o); });
  add_examples(app, "  qcodec info photo.qc --map alloc.png        header, rate, allocation heat map");
}

}  // namespace qc::cli
