// Linked instead of qcodec_adapter.cc while the tree has no codec library
// (CMake target qc_codec): qcodec-eval then runs the baselines only.
#include "base/error.h"
#include "eval/qcodec_adapter.h"

namespace qc {

std::unique_ptr<CodecAdapter> make_qcodec_adapter(const std::string&, std::vector<double>) {
  throw Error(
      "qcodec-eval: this build has no codec library (CMake target qc_codec), so it can run "
      "the baselines only; drop --model");
}

}  // namespace qc
