// Learning a model's code prior (entropy/code_prior.h): the training images
// are encoded at several rates with the model, and the context model's
// starting state is learned from their code bits. No LibTorch: this needs
// only the runtime codec.
#pragma once
#include <string>
#include <vector>

namespace qc {

struct CodePriorTrainingOptions {
  std::string model;   // the .qcm to give a prior (any prior it has is relearned)
  std::string images;  // training images (never the evaluation set)
  std::string output;  // the .qcm with its prior
  bool overwrite = false;
  int image_count = 32;                                // spread evenly over the sorted list
  int crop = 384;                                      // centre crop side, pixels
  std::vector<double> rates = {0.125, 0.25, 0.5, 1.0};  // bpp, rate control on
  int confidence = 32;                                  // largest starting observation count
  int threads = 1;
};

void train_code_prior(const CodePriorTrainingOptions& options);

}  // namespace qc
