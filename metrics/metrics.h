// Image quality metrics: MS-SSIM (and its dB form) and PSNR, following the
// conventions in docs/DESIGN.md ("Conventions") so that our numbers
// compare with tf.image.ssim_multiscale / pytorch_msssim and published curves.
//
// Which samples count:
//   - RGB and RGBA images: the R, G, B channels; the metric is computed per
//     channel and averaged. Alpha is ignored (it is not part of what a viewer
//     sees, and the codecs we compare do not all code it).
//   - Gray and gray+alpha images: the gray channel only.
// Both images must have the same width, height and channel count, else
// qc::Error.
//
// MS-SSIM details: data range 255, 11x11 Gaussian window (sigma 1.5), 'valid'
// filtering (no padding), K1 = 0.01, K2 = 0.03, five scales with weights
// (0.0448, 0.2856, 0.3001, 0.2363, 0.1333), 2x2 average pooling between
// scales. A side of odd length is first extended by repeating its last
// row/column (tf.image's symmetric padding), so pooled sides are ceil(n/2):
// the TF convention, the default everywhere. The pytorch_msssim convention
// (zero padding inside avg_pool2d) is offered; the two differ by up to 1e-3
// on odd sizes and agree exactly on even ones down every scale.
// Contrast terms are clamped at 0 before the weighted product (as both
// references do). All sums are in double.
//
// Small images: a scale is used only if its shorter side is at least 11 px
// (with ceil-halving, 5 scales need a shorter side of at least 161 px). With
// fewer scales, the first weights are used, renormalised to sum to 1. An image
// whose shorter side is below 11 px gets a single scale with the window
// shrunk to the largest odd size that fits (1 px at worst, where SSIM becomes
// a per-pixel comparison). No size makes these functions fail except an empty
// image (qc::Error).
#pragma once

#include "image/image.h"

namespace qc {

enum class MsssimConvention { kTensorFlow, kPytorch };
const char* convention_name(MsssimConvention convention);  // "tf", "pytorch"

// In [0, 1]; 1 for identical images. Symmetric in its arguments.
double ms_ssim(const Image& reference, const Image& test,
               MsssimConvention convention = MsssimConvention::kTensorFlow);

// -10 log10(1 - msssim): +infinity when msssim == 1 (identical images); the
// CSV/JSON writers print it as "inf".
double msssim_db(double msssim);

// 10 log10(255^2 / MSE) over all colour samples (alpha ignored as above);
// +infinity for identical images.
double psnr(const Image& reference, const Image& test);

// How many MS-SSIM scales an image of this size gets (1..5), per the rule above.
int ms_ssim_scales(int width, int height);

}  // namespace qc
