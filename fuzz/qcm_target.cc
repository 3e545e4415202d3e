// The .qcm model loader: a whole file as it is, or a model body wrapped in a
// valid header and checksum (see QcmMode). A model that parses must also
// serialize back to a file that parses to the same model.
#include <cstdlib>

#include "base/error.h"
#include "fuzz/fuzz_targets.h"
#include "nn/model_file.h"

namespace qc::fuzz {

void fuzz_qcm(const uint8_t* data, size_t size) {
  if (size < 1) return;
  const std::vector<uint8_t> file =
      data[0] == kQcmBody ? wrap_qcm_body(data + 1, size - 1) : std::vector<uint8_t>(data + 1, data + size);
  QcmModel model;
  try {
    model = parse_qcm(file.data(), file.size(), "fuzz");
  } catch (const Error&) {
    return;
  }
  const std::vector<uint8_t> again = serialize_qcm(model);
  if (serialize_qcm(parse_qcm(again.data(), again.size(), "fuzz")) != again) std::abort();
}

}  // namespace qc::fuzz
