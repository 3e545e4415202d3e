// Runs codecs over a dataset: every image at every setting of every codec,
// in parallel, measuring real file sizes, quality and time.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "eval/codec_adapter.h"
#include "eval/dataset.h"
#include "metrics/metrics.h"

namespace qc {

// One row of the per-image table.
struct Measurement {
  std::string codec;
  double setting = 0;
  std::string image;
  size_t bytes = 0;
  double bpp = 0;  // bytes * 8 / (width * height), headers included
  double msssim = 0;
  double msssim_db = 0;
  double psnr = 0;
  double encode_ms = 0;  // one thread per job
  double decode_ms = 0;
};

struct EvaluationOptions {
  int threads = 1;  // jobs run in parallel; each codec call is single-threaded
  bool show_progress = false;
  MsssimConvention convention = MsssimConvention::kTensorFlow;
};

// Rows ordered by codec (as given), setting (as the codec lists them), image.
// A codec failure on any job is fatal: qc::Error naming codec, setting and
// image (a table with silent holes would bias the averages).
std::vector<Measurement> evaluate(const std::vector<DatasetImage>& images,
                                  const std::vector<const CodecAdapter*>& codecs,
                                  const EvaluationOptions& options);

// Encodes, decodes and measures one image at one setting.
Measurement measure(const CodecAdapter& codec, double setting, const DatasetImage& image,
                    MsssimConvention convention = MsssimConvention::kTensorFlow);

}  // namespace qc
