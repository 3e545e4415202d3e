// The qcodec subcommands. Each lives in its own <name>_command.cc and adds
// itself to the app; main.cc lists the adders, one line per subcommand.
#pragma once
#include <CLI/CLI.hpp>
#include <string>

namespace qc::cli {

// Appends lines to the "Examples:" block of `qcodec --help`.
void add_examples(CLI::App& app, const std::string& lines);

void add_encode_command(CLI::App& app);
void add_decode_command(CLI::App& app);
void add_trim_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_metric_command(CLI::App& app);

}  // namespace qc::cli
