// qcodec: parses the command line, runs one subcommand, and maps failures to
// exit statuses: 0 success, 1 error (one line "qcodec: <message>" on stderr),
// 2 usage error (CLI11's message).
#include <algorithm>
#include <iostream>
#include <new>

#include "base/error.h"
#include "tools/qcodec/commands.h"

namespace qc::cli {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;
constexpr char kFooterStart[] =
    "Exit status: 0 success, 1 error (one line on stderr), 2 usage error.\n"
    "Environment: QC_ISA=scalar|avx2|avx512|amx forces a kernel path (default: the best this CPU has;\n"
    "every path gives the same bytes and pixels).\n"
    "Run 'qcodec COMMAND --help' for a command's options.\n\n"
    "Examples:";

void add_examples(CLI::App& app, const std::string& lines) { app.footer(app.get_footer() + "\n" + lines); }

int run(int argc, char** argv) {
  CLI::App app("qcodec: a learned lossy image codec (PNG/JPEG in, .qc out, PNG back).", "qcodec");
  app.footer(kFooterStart);
  // At most one subcommand; "none" is checked below, after CLI11 has had the
  // chance to name an unknown one ("The following argument was not expected").
  app.require_subcommand(0, 1);
  for (auto add_command :
       {add_encode_command, add_decode_command, add_trim_command, add_info_command, add_metric_command}) {
    add_command(app);
  }

  // `-bpp 0.25` (single dash, as users type it) means --bpp.
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::string& a : args) {
    if (a == "-bpp") a = "--bpp";
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments reversed
  try {
    app.parse(args);  // runs the chosen subcommand
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;  // prints help or the usage error
  }
  if (app.get_subcommands().empty()) {
    std::cerr << "A command is required\nRun with --help for more information.\n";
    return kExitUsage;
  }
  std::cout.flush();
  if (!std::cout) throw Error("cannot write to standard output");
  return 0;
}

}  // namespace qc::cli

int main(int argc, char** argv) {
  try {
    return qc::cli::run(argc, argv);
  } catch (const std::bad_alloc&) {
    std::cerr << "qcodec: out of memory\n";
  } catch (const std::exception& e) {
    std::cerr << "qcodec: " << e.what() << "\n";
  }
  return qc::cli::kExitError;
}
