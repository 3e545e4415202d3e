#include "entropy/code_model.h"

namespace qc::entropy {

CodeModel::CodeModel(int iterations, int channels)
    : channels_(channels),
      own_(static_cast<size_t>(iterations) * channels * 27),
      neighbours_(static_cast<size_t>(iterations) * 243),
      channel_mix_(static_cast<size_t>(channels) * 81),
      mixer_(iterations > 0 ? iterations : 1) {}

}  // namespace qc::entropy
