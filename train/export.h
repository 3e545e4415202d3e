// The runtime form of a training model (LibTorch side of `export`).
#pragma once
#include <vector>

#include "nn/model_file.h"
#include "train/train_model.h"

namespace qc {

// Binary bases, scales and biases of every layer, and 8-bit activation steps
// from the largest |input| each layer saw (input_absmax, in layers() order).
QcmModel to_qcm(CodecNet& model, const std::vector<float>& input_absmax);

}  // namespace qc
