// qcodec itself as one of the evaluated codecs: its settings are target bpps
// handed to qc::encode (codec/codec.h) with rate control.
#pragma once
#include <memory>
#include <vector>

#include "codec/codec.h"
#include "eval/codec_adapter.h"

namespace qc {

std::unique_ptr<CodecAdapter> make_qcodec_adapter(Model model, std::vector<double> target_bpps);

}  // namespace qc
