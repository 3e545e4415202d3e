// qcodec decode IN.qc [-o OUT.png] [--iterations N | --bpp R] [--partial]
#include <cstdio>
#include <memory>

#include "codec/bitstream.h"
#include "image/image_io.h"
#include "tools/qcodec/cli_support.h"
#include "tools/qcodec/commands.h"

namespace qc::cli {
namespace {

struct DecodeCommand {
  std::string input, output;
  DecodeOptions codec;
  CommonOptions common;
};

void run_decode(DecodeCommand& o) {
  const std::vector<uint8_t> bytes = read_input(o.input, kMaxQcFileBytes);
  const std::string name = input_name(o.input);
  // Is it a .qc file at all? Said before anything about the output.
  read_qc_header(bytes.data(), bytes.size(), name, o.codec.accept_prefix);
  if (o.output.empty()) o.output = default_output(o.input, ".png");
  check_output(o.output, o.input, o.common.force);
  Model model = load_model(o.common.model);
  o.codec.threads = o.common.threads;
  DecodeResult result = decode(bytes.data(), bytes.size(), model, o.codec, name);
  write_output(o.output, encode_png(result.image), o.common.force);
  if (!o.common.quiet) {
    const Image& im = result.image;
    std::fprintf(summary_stream(o.output),
                 "%s -> %s: %dx%d, %d channels, %d of %d iterations (%zu bytes, %.4f bpp)%s\n", name.c_str(),
                 o.output.c_str(), im.width, im.height, im.channels, result.iterations,
                 result.file_iterations, result.bytes_used,
                 result.bytes_used * 8.0 / (double(im.width) * im.height),
                 result.truncated ? ", from a truncated file" : "");
  }
}

}  // namespace

void add_decode_command(CLI::App& app) {
  auto o = std::make_shared<DecodeCommand>();
  CLI::App* command =
      app.add_subcommand("decode", "Decompress a .qc file (or a prefix of it) into a PNG image");
  command->add_option("IN", o->input, "input .qc file, - for standard input")->required();
  command->add_option("-o,--output", o->output,
                      "output PNG, - for standard output (default: IN with the extension .png)");
  auto* iterations = command
                         ->add_option("--iterations", o->codec.max_iterations,
                                      "decode only the first N iterations of every tile")
                         ->check(CLI::Range(1, 64));
  auto* bpp =
      command
          ->add_option("-b,--bpp", o->codec.max_bpp, "decode the most iterations whose bytes fit this rate")
          ->check(CLI::Range(0.0001, 64.0));
  iterations->excludes(bpp);
  command->add_flag("--partial", o->codec.accept_prefix,
                    "IN may be the start of a longer file (a truncated download): decode the "
                    "complete iterations it holds");
  add_common_options(*command, o->common);
  command->callback([o] { run_decode(*o); });
  add_examples(app,
               "  qcodec decode photo.qc                      photo.png\n"
               "  qcodec decode photo.qc --bpp 0.1 -o low.png the first iterations, 0.1 bpp of them\n"
               "  head -c 4000 photo.qc | qcodec decode - --partial -o preview.png");
}

}  // namespace qc::cli
