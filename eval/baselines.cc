// The registry of baseline codecs by name.
#include <functional>
#include <utility>

#include "base/error.h"
#include "eval/codec_adapter.h"

namespace qc {
namespace {

using Factory = std::function<std::unique_ptr<CodecAdapter>()>;

const std::vector<std::pair<std::string, Factory>>& registry() {
  static const std::vector<std::pair<std::string, Factory>> entries = {
      {"jpeg", make_jpeg_adapter},
      {"webp", make_webp_adapter},
      {"jpeg2000", make_jpeg2000_adapter},
      {"avif444", [] { return make_avif_adapter(false); }},
      {"avif420", [] { return make_avif_adapter(true); }},
      {"jxl", make_jxl_adapter},
  };
  return entries;
}

}  // namespace

std::vector<std::string> baseline_names() {
  std::vector<std::string> names;
  for (const auto& entry : registry()) names.push_back(entry.first);
  return names;
}

std::unique_ptr<CodecAdapter> make_baseline(const std::string& name) {
  std::string choices;
  for (const auto& entry : registry()) {
    if (entry.first == name) return entry.second();
    choices += (choices.empty() ? "" : ", ") + entry.first;
  }
  throw Error("unknown baseline '" + name + "' (choose from " + choices + ")");
}

}  // namespace qc
