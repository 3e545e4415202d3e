// qcodec encode IN [-o OUT] (--bpp R | --quality Q | --iterations N)
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>

#include "base/error.h"
#include "codec/bit_search.h"
#include "image/image_io.h"
#include "tools/qcodec/cli_support.h"
#include "tools/qcodec/commands.h"

namespace qc::cli {
namespace {

// --alloc names; "best" codes topup and uniform and keeps the better decode.
const std::map<std::string, AllocationRule> kAllocationRules = {
    {"best", AllocationRule::kTopUp},
    {"topup", AllocationRule::kTopUp},
    {"lagrangian", AllocationRule::kLagrangian},
    {"threshold", AllocationRule::kThreshold},
    {"uniform", AllocationRule::kUniform},
};

struct EncodeCommand {
  std::string input, output, rule = "topup";
  EncodeOptions codec;
  CommonOptions common;
};

void run_encode(EncodeCommand& o) {
  const std::string name = input_name(o.input);
  const std::vector<uint8_t> bytes = read_input(o.input, kMaxImageFileBytes);
  if (o.output.empty()) o.output = default_output(o.input, ".qc");
  check_output(o.output, o.input, o.common.force);
  DecodedImage decoded = decode_image(bytes.data(), bytes.size(), name);
  if (decoded.was_16bit) {
    std::cerr << "qcodec: warning: " << name << ": 16-bit samples reduced to 8 bits\n";
  }
  Model model = load_model(o.common.model);
  o.codec.threads = o.common.threads;
  o.codec.rule = kAllocationRules.at(o.rule);
  o.codec.compare_uniform = o.rule == "best";
  EncodeResult result =
      encode(decoded.image, model, o.codec, progress_line("encoding " + name, o.common.quiet));
  write_output(o.output, result.bytes, o.common.force);
  if (!result.target_met) std::cerr << "qcodec: warning: target not met: " << result.note << "\n";
  if (!o.common.quiet) {
    const Image& im = decoded.image;
    std::fprintf(summary_stream(o.output),
                 "%s -> %s: %dx%d, %zu bytes, %.4f bpp, %d iterations max, %d coding pass%s\n", name.c_str(),
                 o.output.c_str(), im.width, im.height, result.bytes.size(),
                 result.bytes.size() * 8.0 / (double(im.width) * im.height), result.map.max_count(),
                 result.passes, result.passes == 1 ? "" : "es");
  }
}

}  // namespace

void add_encode_command(CLI::App& app) {
  auto o = std::make_shared<EncodeCommand>();
  CLI::App* command = app.add_subcommand("encode", "Compress a PNG or JPEG image into a .qc file");
  command
      ->add_option("IN", o->input,
                   "input image (PNG or JPEG, any size up to the limits), - for standard input")
      ->required();
  command->add_option("-o,--output", o->output,
                      "output file, - for standard output (default: IN with the extension .qc)");
  auto* bpp = command
                  ->add_option("-b,--bpp", o->codec.bpp,
                               "target rate in bits per pixel, whole file included (0.0625..2)")
                  ->check(CLI::Range(0.001, 64.0));
  auto* quality = command
                      ->add_option("-q,--quality", o->codec.quality,
                                   "target MS-SSIM (e.g. 0.95): the smallest file that reaches it")
                      ->check(CLI::Range(0.0, 0.999999));
  auto* iterations =
      command
          ->add_option("--iterations", o->codec.iterations, "every tile gets N iterations (no rate control)")
          ->check(CLI::Range(1, 64));
  bpp->excludes(quality)->excludes(iterations);
  quality->excludes(iterations);
  command
      ->add_option("--alloc", o->rule,
                   "bit allocation for --bpp: topup (default: the largest uniform count that "
                   "fits, the rest of the budget by quality gain per bit), best (topup or "
                   "uniform, whichever decodes with the higher MS-SSIM; twice the work), "
                   "lagrangian, threshold, or uniform (every tile the same count, at or below "
                   "the target)")
      ->check(CLI::IsMember(kAllocationRules));
  command
      ->add_option("-e,--effort", o->codec.effort,
                   "encoder effort 1.." + std::to_string(kMaxEffort) +
                       ": above 1 each coding pass searches each iteration's bits for ones "
                       "that decode better (same rate, same decoder; slower, see docs/EFFORT.md)")
      ->check(CLI::Range(1, kMaxEffort))
      ->capture_default_str();
  add_common_options(*command, o->common);
  command->callback([o, command] {
    if (command->count("--bpp") + command->count("--quality") + command->count("--iterations") == 0) {
      throw CLI::RequiredError("one of --bpp, --quality or --iterations");
    }
    run_encode(*o);
  });
  add_examples(app,
               "  qcodec encode photo.png -bpp 0.25           photo.qc at 0.25 bits per pixel\n"
               "  qcodec encode photo.jpg -q 0.95 -o out.qc   smallest file with MS-SSIM >= 0.95");
}

}  // namespace qc::cli
