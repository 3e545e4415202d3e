// qcodec itself as one of the evaluated codecs: its settings are target bpps
// handed to qc::encode (codec/codec.h).
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "eval/codec_adapter.h"

namespace qc {

// Loads the .qcm model at `model_path`. Throws qc::Error when the model
// cannot be loaded, or when this build has no codec library to call.
std::unique_ptr<CodecAdapter> make_qcodec_adapter(const std::string& model_path,
                                                  std::vector<double> target_bpps);

}  // namespace qc
