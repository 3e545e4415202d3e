// qcodec metric REF TEST [--json] [--convention tf|pytorch]: MS-SSIM, MS-SSIM in dB and PSNR of TEST
// against REF, with metrics/metrics.h (alpha ignored, colour averaged).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "base/error.h"
#include "image/image_io.h"
#include "metrics/metrics.h"
#include "tools/qcodec/commands.h"

namespace qc::cli {
namespace {

struct MetricOptions {
  std::string reference;
  std::string test;
  bool json = false;
  MsssimConvention convention = MsssimConvention::kTensorFlow;
};

std::string size_text(const Image& image) {
  return std::to_string(image.width) + "x" + std::to_string(image.height);
}

Image drop_alpha(const Image& image) {
  if (!image.has_alpha()) return image;
  Image color(image.width, image.height, image.channels - 1);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      for (int c = 0; c < color.channels; ++c) color.at(x, y, c) = image.at(x, y, c);
    }
  }
  return color;
}

// The metrics ignore alpha, so an RGBA image compares with an RGB one on its
// colour; gray against colour is refused.
void make_comparable(Image& reference, Image& test, const MetricOptions& options) {
  if (reference.width != test.width || reference.height != test.height) {
    throw Error("images differ in size: " + options.reference + " is " + size_text(reference) + ", " +
                options.test + " is " + size_text(test));
  }
  if (reference.channels == test.channels) return;
  auto is_gray = [](const Image& image) { return image.channels <= 2; };
  if (is_gray(reference) != is_gray(test)) {
    throw Error("cannot compare gray with colour: " + options.reference + " is " +
                (is_gray(reference) ? "gray" : "colour") + ", " + options.test + " is " +
                (is_gray(test) ? "gray" : "colour"));
  }
  reference = drop_alpha(reference);
  test = drop_alpha(test);
}

// Shortest text that reads back as the same double; JSON has no infinity, so
// it is the string "inf" (the convention of the eval writers).
std::string json_number(double value) {
  if (std::isinf(value)) return "\"inf\"";
  char text[32];
  auto result = std::to_chars(text, text + sizeof(text), value);
  return std::string(text, result.ptr);
}

void run_metric(const MetricOptions& options) {
  Image reference = read_image(options.reference).image;
  Image test = read_image(options.test).image;
  make_comparable(reference, test, options);
  double msssim = ms_ssim(reference, test, options.convention);
  double msssim_decibels = msssim_db(msssim);
  double psnr_decibels = psnr(reference, test);
  if (options.json) {
    std::cout << "{\"msssim\": " << json_number(msssim) << ", \"msssim_db\": " << json_number(msssim_decibels)
              << ", \"psnr\": " << json_number(psnr_decibels) << ", \"msssim_convention\": \""
              << convention_name(options.convention) << "\"}\n";
    return;
  }
  char text[200];
  std::snprintf(text, sizeof(text),
                "msssim    %.6f\nmsssim_db %.4f dB\npsnr      %.4f dB\nmsssim convention: %s\n", msssim,
                msssim_decibels, psnr_decibels, convention_name(options.convention));
  std::cout << text;
}

}  // namespace

void add_metric_command(CLI::App& app) {
  auto options = std::make_shared<MetricOptions>();
  CLI::App* command = app.add_subcommand(
      "metric", "Compare TEST with REF: MS-SSIM, MS-SSIM in dB (-10 log10(1 - MS-SSIM)), PSNR");
  command->add_option("REF", options->reference, "reference image (PNG or JPEG)")->required();
  command->add_option("TEST", options->test, "image to score, same size as REF")->required();
  command->add_flag("--json", options->json,
                    "print one JSON object with the keys msssim, msssim_db, psnr "
                    "(identical images give \"inf\" for the last two)");
  const std::map<std::string, MsssimConvention> conventions = {{"tf", MsssimConvention::kTensorFlow},
                                                               {"pytorch", MsssimConvention::kPytorch}};
  command
      ->add_option("--convention", options->convention,
                   "how MS-SSIM pools a side of odd length: tf (tf.image.ssim_multiscale, the "
                   "default) or pytorch (pytorch_msssim); they differ by up to 1e-3 on odd sizes")
      ->transform(CLI::CheckedTransformer(conventions, CLI::ignore_case));
  command->footer(
      "MS-SSIM: 5 scales, 11x11 Gaussian, data range 255, averaged over R, G, B; alpha is "
      "ignored. PSNR is over all colour samples.");
  command->callback([options] { run_metric(*options); });
  add_examples(app,
               "  qcodec metric photo.png decoded.png         MS-SSIM, MS-SSIM dB and PSNR\n"
               "  qcodec metric photo.png decoded.png --json  the same as one JSON object");
}

}  // namespace qc::cli
