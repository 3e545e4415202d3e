// Random .qcm models of a given architecture, for tests and the benchmark:
// random signs, alpha ~ 1/sqrt(fan-in) (halved per extra basis), small biases
// and activation scales that fit the activations' usual range.
#pragma once
#include <cstdint>

#include "nn/model_file.h"

namespace qc {

QuantLayer random_quant_layer(const LayerSpec& spec, int bases, uint64_t seed);
QcmModel random_qcm_model(const ArchConfig& config, int bases, uint64_t seed);

}  // namespace qc
