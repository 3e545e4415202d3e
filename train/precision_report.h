// The price of each precision step (issue: float -> binary weights -> 8-bit
// activations), measured on whole images at uniform iterations and raw
// rates (0.125 bpp per iteration with 32 code bits per 16x16 block; no
// entropy coding, no adaptive allocation). Free of LibTorch in the header.
#pragma once
#include <string>
#include <vector>

namespace qc {

struct PrecisionOptions {
  std::string checkpoint;        // latent weights: the binary (LibTorch) row
  std::string float_checkpoint;  // the float row (e.g. the run before binarization);
                                 // empty: `checkpoint` with float weights
  std::string model;             // the exported .qcm: the runtime rows
  std::string images_dir;        // e.g. Kodak (evaluation only, never trained on)
  std::vector<int> iterations = {1, 2, 4, 8};
  // Per-layer rows: the float network with one layer alone replaced by its
  // ALQ approximation with k bases, for each k here (empty: none).
  std::vector<int> per_layer_bases;
  int threads = 2;
};

struct PrecisionRow {
  std::string name;
  std::vector<double> msssim;  // mean over the images, one per entry of iterations
  std::vector<double> psnr;    // dB, mean over the images: its rise per iteration is
                               // the residual energy each iteration removes
};

std::vector<PrecisionRow> precision_report(const PrecisionOptions& options);

}  // namespace qc
