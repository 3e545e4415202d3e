// Training and export of the codec network. This header is free of LibTorch
// so that the qcodec-train command line compiles quickly.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "nn/architecture.h"

namespace qc {

struct TrainOptions {
  std::string data_dir;  // PNG/JPEG photographs, searched recursively
  std::string run_dir;   // checkpoint.pt, log.csv
  ArchConfig arch;
  int train_iterations = 8;  // coding iterations unrolled per step
  double curriculum = 0;     // share of the schedule over which the unrolled
                             // iterations grow from 2 to train_iterations (0: none)
  int batch = 32;
  int crop = 32;             // square crop side, multiple of 16
  int64_t steps = 100000;    // length of the learning-rate schedule
  double max_minutes = 0;    // stop (with a checkpoint) after this long; 0 = no limit
  int64_t stop_at_step = 0;  // stop (with a checkpoint) at this step; 0 = run the schedule
  double lr = 1e-3;
  int64_t warmup = 200;
  double binarize_at = 0.5;              // fraction of steps trained with float weights
  bool alq = false;                      // binarize every layer with ALQ (else QuantNet 1 bit)
  int bases = 1;                         // ALQ: binary bases per layer when binarization starts
  double target_bits = 0;                // ALQ: prune bases to this average bits/weight (0: keep)
  std::vector<std::string> layer_bases;  // ALQ: "layer=k" entries; such a layer starts with k
                                         // bases and is never pruned
  double progressive = 0;                // share of the binary phase over which the quantized
                                         // filters grow from none to all (0: all at once)
  double distill = 0;                    // weight of the L1 to a frozen float teacher (0: none)
  bool relative_distillation = false;    // weight each iteration's distillation by 1 / the
                                         // teacher's own error there
  double beta_max = 60;                  // QuantNet temperature reached after 90% of the binary phase
  double regulariser = 0.05;             // weight of the QuantNet +-1 regulariser
  int edge_bases = 2;                    // binary bases of the first and last layers
  double mask_probability = 0.5;         // share of tiles given a random stopping iteration
  double allocation_masks = 0;           // share of crops masked like an allocation (see trainer.cc)
  bool ssim_weighted = true;             // SSIM-weighted L1 (else plain L1)
  bool relative_iterations = false;      // weight each iteration's loss by 1 / its size
  bool residual_gains = false;           // give a network without gains the measured ones
  bool freeze_stopped = false;           // stopped tiles keep their state (architecture.h); also
                                         // on a resumed network, which keeps it once set
  int freeze_grace = -1;                 // with freeze_stopped: iterations a stopped tile still
                                         // computes (-1: a resumed network's, else 0)
  int extend_iterations = 0;             // raise a resumed network's (and teacher's) maximum
                                         // iteration count to this (0: keep)
  int64_t validate_every = 500;
  double checkpoint_minutes = 5;
  bool resume = false;
  std::string grow_from;  // new run: widen this checkpoint's float network to
                          // arch's widths (function-preserving; see widen())
  int threads = 2;
  std::string device = "cpu";
  // Convolutions in bf16 (mixed precision) or fp32; "auto": bf16 on CUDA and
  // on CPUs with native bf16 (AVX512_BF16 or AMX-BF16, checked at run time).
  std::string precision = "auto";
  uint64_t seed = 1;
};

void train(const TrainOptions& options);

// "fp32" or "bf16": what `precision` ("auto", "fp32" or "bf16") means on
// `device` ("cpu" or "cuda") of this machine. Throws on an unknown name.
std::string resolve_precision(const std::string& precision, const std::string& device);

struct ExportOptions {
  std::string checkpoint;       // checkpoint.pt written by train()
  std::string output;           // .qcm
  std::string calibration_dir;  // the training images: calibration + the validation report
  int calibration_crops = 16;
  int bases = 0;          // > 0: at least this many ALQ bases in every layer
  int freeze_grace = -1;  // >= 0: write the model freeze_stopped with this grace (-1: as trained)
  bool overwrite = false;
};

void export_model(const ExportOptions& options);

// The checkpoint form committed to the repository (at most 25 MB a run):
// `in` without Adam's first moment and with its second moment in bf16, 6
// bytes per parameter (fp32 weights, bf16 second moment) instead of 12.
// Resuming from it is not exact: the momentum restarts from zero (beta1 =
// 0.9 rebuilds it within ~10 steps) and each second moment keeps 8 mantissa
// bits. A run folder's own checkpoint.pt stays full, and exact.
void compact_checkpoint(const std::string& in, const std::string& out, bool overwrite);

}  // namespace qc
