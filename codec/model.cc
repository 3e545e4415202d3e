#include "base/error.h"
#include "base/file_io.h"
#include "codec/codec.h"

namespace qc {

Model model_from_bytes(const uint8_t* data, size_t size, const std::string& source) {
  Model model;
  model.qcm = parse_qcm(data, size, source);
  model.fingerprint = qcm_fingerprint(std::vector<uint8_t>(data, data + size));
  model.source = source;
  return model;
}

Model model_from_file(const std::string& path) {
  std::vector<uint8_t> bytes = read_file(path, kMaxQcmFileBytes);
  return model_from_bytes(bytes.data(), bytes.size(), path);
}

}  // namespace qc
