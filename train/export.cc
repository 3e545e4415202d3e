// `qcodec-train export`: binary bases and scales from a checkpoint, activation
// scales calibrated on real crops, written as a .qcm runtime model.
#include "train/export.h"

#include <torch/torch.h>

#include <cstdio>

#include "base/error.h"
#include "base/file_io.h"
#include "nn/model_file.h"
#include "train/checkpoint.h"
#include "train/loss.h"
#include "train/train_data.h"
#include "train/trainer.h"

namespace qc {
namespace {

constexpr int kCalibrationCrop = 128;

// Largest |input| each conv sees while the binary network codes the crops.
std::vector<float> calibrate_input_ranges(CodecNet& model, const torch::Tensor& crops) {
  torch::NoGradGuard no_grad;
  std::vector<float> absmax(model->specs().size(), 0.0f);
  model->set_observer([&](size_t layer, const torch::Tensor& input) {
    absmax[layer] = std::max(absmax[layer], input.abs().max().item<float>());
  });
  model->forward(crops, model->config().iterations, {}, Binarization::kDeterministic);
  model->set_observer(nullptr);
  return absmax;
}

}  // namespace

QcmModel to_qcm(CodecNet& model, const std::vector<float>& input_absmax) {
  QcmModel qcm;
  qcm.config = model->config();
  const auto& specs = model->specs();
  for (size_t i = 0; i < specs.size(); ++i) {
    const LayerSpec& s = specs[i];
    BinaryBases b = model->quantizer()->binarize(model->latent_weight(i), model->bases(i));
    QuantLayer layer;
    layer.name = s.name;
    layer.bases = model->bases(i);
    auto signs = b.signs.to(torch::kCPU, torch::kFloat).contiguous();
    layer.bits = pack_sign_rows(signs.data_ptr<float>(), static_cast<size_t>(layer.bases) * s.out_channels,
                                static_cast<size_t>(s.in_channels) * s.kernel * s.kernel);
    auto alpha = b.alpha.to(torch::kCPU, torch::kFloat).contiguous();
    layer.alpha.assign(alpha.data_ptr<float>(), alpha.data_ptr<float>() + alpha.numel());
    if (s.bias) {
      auto bias = model->bias(i).detach().to(torch::kCPU, torch::kFloat).contiguous();
      layer.bias.assign(bias.data_ptr<float>(), bias.data_ptr<float>() + bias.numel());
    }
    layer.input_scale = std::max(input_absmax[i], 1e-6f) / 127.0f;
    qcm.layers.push_back(std::move(layer));
  }
  return qcm;
}

void export_model(const ExportOptions& o) {
  if (!o.overwrite && file_exists(o.output)) {
    throw Error(o.output + ": already exists (use -f to overwrite)");
  }
  CodecNet model = load_model(o.checkpoint);
  if (o.freeze_grace >= 0) model->set_freeze_stopped(true, o.freeze_grace);
  for (size_t i = 0; o.bases > 0 && i < model->specs().size(); ++i) {
    model->set_bases(i, std::max(model->bases(i), o.bases));
  }
  model->eval();
  model->quantizer()->set_hard(true);

  torch::manual_seed(0);  // the same calibration crops every time
  TrainingSet data(o.calibration_dir, kHoldoutEvery);
  std::vector<float> absmax =
      calibrate_input_ranges(model, data.sample(o.calibration_crops, kCalibrationCrop));
  // How the exported binary network codes the held-out crops (float
  // activations; the runtime's 8-bit activations follow these closely).
  const torch::Tensor crops = data.validation_crops(kValidationSide);
  if (crops.defined()) {
    Validation v = validate(model, crops, model->config().iterations, true, true, torch::kCPU);
    std::fprintf(stderr, "validation MS-SSIM by iteration (raw bpp = 0.125 x iterations):");
    for (double m : v.msssim) std::fprintf(stderr, " %.4f", m);
    std::fprintf(stderr, "\n");
  }

  QcmModel qcm = to_qcm(model, absmax);
  std::vector<uint8_t> bytes = serialize_qcm(qcm);
  write_file_atomic(o.output, bytes, o.overwrite ? Overwrite::kAllow : Overwrite::kRefuse);
  std::fprintf(stderr, "wrote %s: %zu bytes, fingerprint %016llx\n", o.output.c_str(), bytes.size(),
               static_cast<unsigned long long>(qcm_fingerprint(bytes)));
}

}  // namespace qc
