// qcodec trim IN.qc -bpp R [-o OUT.qc]
#include <cstdio>
#include <map>
#include <memory>

#include "codec/bitstream.h"
#include "codec/trim.h"
#include "tools/qcodec/cli_support.h"
#include "tools/qcodec/commands.h"

namespace qc::cli {
namespace {

struct TrimCommand {
  std::string input, output;
  TrimOptions codec;
  CommonOptions common;
};

void run_trim(TrimCommand& o) {
  const std::vector<uint8_t> bytes = read_input(o.input, kMaxQcFileBytes);
  const std::string name = input_name(o.input);
  const QcHeader header = read_qc_header(bytes.data(), bytes.size(), name);
  if (o.output.empty()) o.output = default_output(o.input, ".trim.qc");
  check_output(o.output, o.input, o.common.force);
  Model model = load_model(o.common.model);
  o.codec.threads = o.common.threads;
  TrimResult result = trim(bytes.data(), bytes.size(), model, o.codec, name,
                           progress_line("trimming " + name, o.common.quiet));
  write_output(o.output, result.bytes, o.common.force);
  if (!o.common.quiet) {
    const double pixels = double(header.width) * header.height;
    std::fprintf(summary_stream(o.output),
                 "%s -> %s: %.4f -> %.4f bpp (%zu -> %zu bytes), %d iterations max\n", name.c_str(),
                 o.output.c_str(), bytes.size() * 8.0 / pixels, result.bytes.size() * 8.0 / pixels,
                 bytes.size(), result.bytes.size(), result.map.max_count());
  }
}

}  // namespace

void add_trim_command(CLI::App& app) {
  auto o = std::make_shared<TrimCommand>();
  CLI::App* command =
      app.add_subcommand("trim",
                         "Lower a .qc file's rate without the original image: tiles lose their last "
                         "iterations, the cheapest loss of quality per bit first");
  command->add_option("IN", o->input, "input .qc file, - for standard input")->required();
  command->add_option("-o,--output", o->output,
                      "output .qc file, - for standard output (default: IN with the extension .trim.qc)");
  command->add_option("-b,--bpp", o->codec.bpp, "target rate in bits per pixel, below the file's own")
      ->required()
      ->check(CLI::Range(0.0001, 64.0));
  add_common_options(*command, o->common);
  command->callback([o] { run_trim(*o); });
  add_examples(app, "  qcodec trim photo.qc -bpp 0.125 -o small.qc  the same file at a lower rate");
}

}  // namespace qc::cli
