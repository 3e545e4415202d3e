// The starting state of the code bits' context model, learned on training
// images and stored with the model (as CABAC initialises its context states):
// with adaptive allocation the late iterations hold few tiles, and counters
// that start flat never learn them within one image.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "entropy/code_stack.h"

namespace qc {

struct CodePrior {
  int iterations = 0;
  int channels = 0;
  // Every counter of entropy::CodeModel, in its order (own, neighbours,
  // channel mix): probability of a 1 in 1/65536 and the observation count
  // it starts from (how slowly it moves off the prior).
  std::vector<uint16_t> p;
  std::vector<uint8_t> n;
  std::vector<int32_t> mixer;  // iterations x mixer inputs

  static size_t counters(int iterations, int channels);
  static size_t mixer_weights(int iterations);
};

// Versioned bytes ("QCP" 1) for the .qcm's prior section.
std::vector<uint8_t> serialize_code_prior(const CodePrior& prior);
// Throws qc::Error ("<name>: <cause>") unless the bytes are a prior for
// exactly this many iterations and code channels.
CodePrior parse_code_prior(const uint8_t* data, size_t size, int iterations, int channels,
                           const std::string& name);

// A code stack and the map it was coded with: one training example.
using CodedExample = std::pair<CodeStack, TileMap>;

// Learns a prior from examples (entropy/code_prior_learning.cc): each
// counter starts at the probability its context had over all examples, with
// an observation count of at most `confidence`; the mixer starts from the
// weights it reached coding the examples one after another from there.
CodePrior learn_code_prior(const std::vector<CodedExample>& examples, int iterations, int channels,
                           int confidence);

}  // namespace qc
