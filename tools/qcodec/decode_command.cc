// qcodec decode IN.qc [-o OUT.png]
#include <cstdio>
#include <memory>

#include "base/file_io.h"
#include "codec/bitstream.h"
#include "codec/image_io.h"
#include "tools/qcodec/cli_support.h"
#include "tools/qcodec/commands.h"

namespace qc::cli {
namespace {

struct DecodeCommand {
  std::string input, output;
  CommonOptions common;
};

void run_decode(DecodeCommand& o) {
  if (o.output.empty()) o.output = replace_extension(o.input, ".png");
  check_output(o.output, o.common.force);
  std::vector<uint8_t> bytes = read_file(o.input, kMaxQcFileBytes);
  Model model = load_model(o.common.model);
  Image image = decode(bytes.data(), bytes.size(), model, o.common.threads, o.input);
  write_output(o.output, encode_png(image), o.common.force);
  if (!o.common.quiet) {
    std::printf("%s -> %s: %dx%d, %d channels\n", o.input.c_str(), o.output.c_str(), image.width,
                image.height, image.channels);
  }
}

}  // namespace

void add_decode_command(CLI::App& app) {
  auto o = std::make_shared<DecodeCommand>();
  CLI::App* command = app.add_subcommand("decode", "Decompress a .qc file into a PNG image");
  command->add_option("IN", o->input, "input .qc file")->required();
  command->add_option("-o,--output", o->output, "output PNG (default: IN with the extension .png)");
  add_common_options(*command, o->common);
  command->callback([o] { run_decode(*o); });
  add_examples(app, "  qcodec decode photo.qc                      photo.png");
}

}  // namespace qc::cli
