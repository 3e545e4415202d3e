// Training checkpoints: model (latent weights, quantizer), optimizer state,
// step, elapsed time and the RNG, written atomically so a kill at any moment
// leaves the previous checkpoint intact and --resume continues exactly.
#pragma once
#include <torch/torch.h>

#include <string>

#include "train/train_model.h"

namespace qc {

struct TrainProgress {
  int64_t step = 0;
  double wall_seconds = 0;  // training time accumulated over all sessions
  double beta = 1;          // QuantNet annealing temperature
  bool binarizing = false;  // past the float phase
};

void save_checkpoint(const std::string& path, CodecNet& model, torch::optim::Optimizer& optimizer,
                     const TrainProgress& progress);

// Rebuilds the model with the architecture and per-layer bases saved in the file.
CodecNet load_model(const std::string& path);
// Restores optimizer state, progress and the global RNG into an existing run
// (a compact checkpoint's Adam state, trainer.h, is expanded back to fp32).
TrainProgress load_training_state(const std::string& path, torch::optim::Optimizer& optimizer);

}  // namespace qc
