#include "train/trainer.h"

#include <torch/torch.h>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "base/cpu_features.h"
#include "base/error.h"
#include "base/file_io.h"
#include "nn/model_file.h"
#include "train/checkpoint.h"
#include "train/loss.h"
#include "train/train_data.h"
#include "train/train_model.h"

namespace qc {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kTileCodes = 2;  // stopping masks per 2x2 code positions (32x32 px)

// Random per-tile stopping: a share of the tiles stops at a random iteration
// (0: no bits at all), after which its bits are zero, so the decoder learns
// what absent bits mean. Tiles are 32 px: crops of 64 px or more also teach
// it neighbours coded to different depths. A share `allocation_share` of the
// crops is masked the way the encoder allocates instead: one count for the
// whole crop, half the tiles one iteration deeper and some two, so the
// decoder sees the mixes that rate control makes (with independent stops
// they are rare, and topping a uniform allocation up by an iteration on
// some tiles decoded worse than not spending the bits).
std::vector<torch::Tensor> random_keep_masks(int64_t batch, int64_t rows, int64_t cols, int iterations,
                                             double probability, double allocation_share,
                                             const torch::Device& device) {
  const int64_t ty = (rows + kTileCodes - 1) / kTileCodes, tx = (cols + kTileCodes - 1) / kTileCodes;
  auto stop = torch::randint(0, iterations + 1, {batch, 1, ty, tx});
  auto stopping = torch::rand({batch, 1, ty, tx}) < probability;
  stop = torch::where(stopping, stop, torch::full_like(stop, iterations));
  if (allocation_share > 0) {  // no extra draws otherwise: older runs resume exactly
    auto deeper = (torch::rand({batch, 1, ty, tx}) < 0.5).to(torch::kLong) +
                  (torch::rand({batch, 1, ty, tx}) < 0.15).to(torch::kLong);
    auto allocated = (torch::randint(0, iterations, {batch, 1, 1, 1}) + deeper).clamp_max(iterations);
    stop = torch::where(torch::rand({batch, 1, 1, 1}) < allocation_share, allocated, stop);
  }
  stop = stop.repeat_interleave(kTileCodes, 2).repeat_interleave(kTileCodes, 3);
  stop = stop.slice(2, 0, rows).slice(3, 0, cols);
  std::vector<torch::Tensor> keep;
  for (int i = 0; i < iterations; ++i) keep.push_back((stop > i).to(torch::kFloat).to(device));
  return keep;
}

double learning_rate(const TrainOptions& o, int64_t step) {
  if (step < o.warmup) return o.lr * (step + 1) / o.warmup;
  double t = std::min(1.0, double(step - o.warmup) / std::max<int64_t>(1, o.steps - o.warmup));
  return o.lr * (0.05 + 0.95 * 0.5 * (1 + std::cos(M_PI * t)));  // cosine to 5%
}

// Curriculum over iterations: short unrolls (cheaper steps) first, growing
// linearly to the full count over the first `curriculum` of the schedule.
int unrolled_iterations(const TrainOptions& o, int64_t step) {
  if (o.curriculum <= 0) return o.train_iterations;
  const double t = std::clamp(step / std::max(1.0, o.curriculum * o.steps), 0.0, 1.0);
  return std::min(o.train_iterations, 2 + static_cast<int>(t * (o.train_iterations - 1)));
}

// QuantNet temperature: 2 when binarization starts, beta_max after 90% of
// the binary phase.
double annealed_beta(const TrainOptions& o, int64_t step) {
  const double start = o.binarize_at * o.steps, end = start + 0.9 * (o.steps - start);
  double t = std::clamp((step - start) / std::max(1.0, end - start), 0.0, 1.0);
  return 2.0 * std::pow(o.beta_max / 2.0, t);
}

// Progressive binarization: the share of quantized filters grows linearly
// over the first `progressive` part of the binary phase.
double quantized_share(const TrainOptions& o, int64_t step) {
  if (o.progressive <= 0) return 1.0;
  const double start = o.binarize_at * o.steps;
  const double ramp = std::max(1.0, o.progressive * (o.steps - start));
  return std::clamp((step - start + 1) / ramp, 0.0, 1.0);
}

// --layer-bases: each layer's pinned basis count, 0 where none is given.
std::vector<int> pinned_bases(const std::vector<LayerSpec>& specs, const std::vector<std::string>& entries) {
  std::vector<int> pinned(specs.size(), 0);
  for (const std::string& entry : entries) {
    const size_t eq = entry.find('=');
    int k = 0;
    bool valid = eq != std::string::npos;
    if (valid) {
      const char* end = entry.data() + entry.size();
      const auto [stop, error] = std::from_chars(entry.data() + eq + 1, end, k);
      valid = error == std::errc() && stop == end && k >= 1 && k <= kMaxQcmBases;
    }
    if (!valid) {
      throw Error("--layer-bases wants LAYER=K with K in 1.." + std::to_string(kMaxQcmBases) + ", not '" +
                  entry + "'");
    }
    pinned[layer_index(specs, entry.substr(0, eq))] = k;
  }
  return pinned;
}

// The switch from float to binary weights: ALQ bases per layer (pruned to
// the target bitwidth; pinned and edge layers kept) and, for distillation,
// the float network frozen as the teacher (saved in the run so --resume
// finds it).
void start_binarization(const TrainOptions& o, const std::vector<int>& pinned, CodecNet& model,
                        torch::optim::Optimizer& optimizer, const TrainProgress& progress,
                        const std::string& teacher_path) {
  const auto& specs = model->specs();
  const size_t first = layer_index(specs, "enc.conv"), last = layer_index(specs, "dec.out");
  if (o.alq) {
    std::vector<torch::Tensor> weights;
    std::vector<int> bases;
    std::vector<bool> prunable;
    for (size_t i = 0; i < specs.size(); ++i) {
      const bool edge = i == first || i == last;
      weights.push_back(model->latent_weight(i));
      if (pinned[i] > 0) {
        bases.push_back(pinned[i]);
      } else {
        bases.push_back(std::max(model->bases(i), edge ? std::max(o.bases, o.edge_bases) : o.bases));
      }
      prunable.push_back(!edge && pinned[i] == 0);
    }
    if (o.target_bits > 0) bases = prune_bases(weights, bases, prunable, o.target_bits);
    double bits = 0, count = 0;
    std::string list;
    for (size_t i = 0; i < specs.size(); ++i) {
      model->set_bases(i, bases[i]);
      bits += double(weights[i].numel()) * bases[i];
      count += double(weights[i].numel());
      list += " " + specs[i].name + "=" + std::to_string(bases[i]);
    }
    std::fprintf(stderr, "ALQ bases (%.2f bits/weight):%s\n", bits / count, list.c_str());
  }
  if (o.distill > 0) {
    save_checkpoint(teacher_path, model, optimizer, progress);
    std::fprintf(stderr, "float teacher saved to %s\n", teacher_path.c_str());
  }
}

CodecNet load_teacher(const std::string& path, int iterations, const torch::Device& device) {
  CodecNet teacher = load_model(path);
  teacher->extend_iterations(iterations);  // as far as the student (its gains too)
  teacher->quantizer()->set_mode(QuantMode::kFloat);
  teacher->to(device);
  teacher->eval();
  for (auto& p : teacher->parameters()) p.requires_grad_(false);
  return teacher;
}

// Residual gains g_i = rms(x) / rms(residual before iteration i), measured
// on training crops with the network as it is (architecture.h: the encoder
// then sees every iteration's residual at the scale of the image).
std::vector<float> measure_residual_gains(CodecNet& model, TrainingSet& data, int crop,
                                          const torch::Device& device) {
  torch::NoGradGuard no_grad;
  const int iterations = model->config().iterations;
  std::vector<double> energy(iterations, 0.0);
  for (int batch = 0; batch < 8; ++batch) {
    auto x = data.sample(8, crop).to(device);
    auto result = model->forward(x, iterations - 1, {}, Binarization::kDeterministic);
    energy[0] += x.pow(2).mean().item<double>();
    for (int i = 1; i < iterations; ++i) {
      energy[i] += (x - result.reconstructions[i - 1]).pow(2).mean().item<double>();
    }
  }
  std::vector<float> gains;
  for (int i = 0; i < iterations; ++i) {
    gains.push_back(static_cast<float>(std::clamp(std::sqrt(energy[0] / energy[i]), 1.0, 64.0)));
  }
  return gains;
}

constexpr const char* kLogHeader =
    "step,wall_s,loss,beta,val_binary_weights,val_loss,val_msssim_0.25bpp,val_msssim_1bpp,"
    "val_msssim_last,val_psnr_0.25bpp,val_psnr_1bpp,val_psnr_last";

// Logs begun before the PSNR columns get the current header; their old rows
// just lack the last fields (csv readers fill them as empty).
void upgrade_log_header(const std::string& path) {
  if (!file_exists(path)) return;
  std::vector<uint8_t> bytes = read_file(path, size_t{1} << 30);
  std::string text(bytes.begin(), bytes.end());
  const size_t eol = text.find('\n');
  if (eol == std::string::npos || text.compare(0, eol, kLogHeader) == 0) return;
  text = kLogHeader + text.substr(eol);
  write_file_atomic(path, std::vector<uint8_t>(text.begin(), text.end()), Overwrite::kAllow);
}

std::string format_duration(double seconds) {
  char buf[32];
  int s = static_cast<int>(seconds);
  std::snprintf(buf, sizeof(buf), "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60);
  return buf;
}

}  // namespace

std::string resolve_precision(const std::string& precision, const std::string& device) {
  if (precision == "fp32" || precision == "bf16") return precision;
  if (precision != "auto") throw Error("--precision must be auto, fp32 or bf16, not " + precision);
  if (torch::Device(device).is_cuda()) return "bf16";
  return cpu_features().native_bf16() ? "bf16" : "fp32";
}

void train(const TrainOptions& o) {
  if (o.crop % ArchConfig::kStride != 0) throw Error("--crop must be a multiple of 16");
  torch::set_num_threads(o.threads);
  torch::manual_seed(o.seed);
  torch::Device device(o.device);
  std::filesystem::create_directories(o.run_dir);
  const std::string checkpoint = o.run_dir + "/checkpoint.pt";
  const std::string teacher_path = o.run_dir + "/teacher.pt";
  if ((o.target_bits > 0 || !o.layer_bases.empty()) && !o.alq) {
    throw Error("--target-bits and --layer-bases need --alq");
  }

  if (o.resume && !o.grow_from.empty()) throw Error("--grow-from starts a new run: not with --resume");
  CodecNet model = o.resume              ? load_model(checkpoint)
                   : o.grow_from.empty() ? CodecNet(o.arch)
                                         : widen(*load_model(o.grow_from), o.arch);
  model->extend_iterations(o.extend_iterations);
  if (o.freeze_grace >= 0 && !o.freeze_stopped) throw Error("--freeze-grace needs --freeze-stopped");
  if (o.freeze_stopped) {  // a resumed network keeps its grace unless one is given
    model->set_freeze_stopped(true, o.freeze_grace >= 0 ? o.freeze_grace : model->config().freeze_grace);
  }
  const std::vector<int> pinned = pinned_bases(model->specs(), o.layer_bases);
  const int max_iterations = model->config().iterations;
  if (o.train_iterations < 1 || o.train_iterations > max_iterations) {
    throw Error("--train-iterations must be in 1.." + std::to_string(max_iterations));
  }
  if (!o.resume && o.grow_from.empty()) {
    model->set_bases(layer_index(model->specs(), "enc.conv"), o.edge_bases);
    model->set_bases(layer_index(model->specs(), "dec.out"), o.edge_bases);
  }
  model->to(device);
  const std::string precision = resolve_precision(o.precision, o.device);
  const torch::ScalarType compute = precision == "bf16" ? torch::kBFloat16 : torch::kFloat;
  model->set_compute_dtype(compute);
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(o.lr));
  TrainProgress progress;
  if (o.resume) {
    progress = load_training_state(checkpoint, optimizer);
    std::fprintf(stderr, "resuming %s at step %lld (%s of training so far)\n", checkpoint.c_str(),
                 static_cast<long long>(progress.step), format_duration(progress.wall_seconds).c_str());
  }
  CodecNet teacher{nullptr};
  auto open_teacher = [&] {
    teacher = load_teacher(teacher_path, max_iterations, device);
    teacher->set_freeze_stopped(model->config().freeze_stopped,
                                model->config().freeze_grace);  // the student's semantics
    teacher->set_compute_dtype(compute);
  };
  if (o.distill > 0 && progress.binarizing) open_teacher();

  std::fprintf(stderr, "loading images from %s ...\n", o.data_dir.c_str());
  TrainingSet data(o.data_dir, kHoldoutEvery);
  const torch::Tensor validation = data.validation_crops(kValidationSide);
  if (o.residual_gains && model->config().residual_gains.empty()) {
    model->set_residual_gains(measure_residual_gains(model, data, o.crop, device));
    std::fprintf(stderr, "residual gains measured: %s\n", model->config().describe().c_str());
  }
  if (!validation.defined()) {
    std::fprintf(stderr, "no held-out image is %d px or larger: no validation\n", kValidationSide);
  }
  int64_t params = 0;
  for (const auto& p : model->parameters()) params += p.numel();
  std::fprintf(stderr, "%zu training images, %lld validation crops; model %s, %.2f M parameters\n",
               data.train_images(), static_cast<long long>(validation.defined() ? validation.size(0) : 0),
               model->config().describe().c_str(), params / 1e6);
  std::fprintf(stderr, "convolutions in %s on %s (cpu features: %s), %d threads\n", precision.c_str(),
               o.device.c_str(), cpu_features().describe().c_str(), o.threads);

  const std::string log_path = o.run_dir + "/log.csv";
  upgrade_log_header(log_path);
  std::ofstream log(log_path, std::ios::app);
  if (log.tellp() == 0) log << kLogHeader << "\n";
  const auto session_start = Clock::now();
  auto last_checkpoint = session_start, last_report = session_start;
  const double wall_at_start = progress.wall_seconds;
  const int64_t step_at_start = progress.step;
  double loss_sum = 0;
  int loss_count = 0;
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - session_start).count(); };

  int64_t validated_step = -1;
  auto validate_and_log = [&] {
    if (!validation.defined() || validated_step == progress.step) return;
    validated_step = progress.step;
    Validation v =
        validate(model, validation, model->config().iterations, o.ssim_weighted, progress.binarizing, device);
    const int at_025 = std::min<int>(2, v.msssim.size()) - 1, at_1 = std::min<int>(8, v.msssim.size()) - 1;
    std::fprintf(stderr,
                 "validation step %lld (%s weights): loss %.5f msssim %.4f @0.25 %.4f @1 %.4f @%.2f bpp; "
                 "psnr %.2f / %.2f / %.2f dB\n",
                 static_cast<long long>(progress.step), progress.binarizing ? "binary" : "float", v.loss,
                 v.msssim[at_025], v.msssim[at_1], v.msssim.back(), 0.125 * v.msssim.size(), v.psnr[at_025],
                 v.psnr[at_1], v.psnr.back());
    log << progress.step << "," << progress.wall_seconds << "," << loss_sum / std::max(1, loss_count) << ","
        << progress.beta << "," << progress.binarizing << "," << v.loss << "," << v.msssim[at_025] << ","
        << v.msssim[at_1] << "," << v.msssim.back() << "," << v.psnr[at_025] << "," << v.psnr[at_1] << ","
        << v.psnr.back() << "\n";
    log.flush();
    loss_sum = 0;
    loss_count = 0;
  };

  while (progress.step < o.steps) {
    if (o.max_minutes > 0 && elapsed() > o.max_minutes * 60) break;
    if (o.stop_at_step > 0 && progress.step >= o.stop_at_step) break;
    const int64_t step = progress.step;
    for (auto& group : optimizer.param_groups()) {
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(learning_rate(o, step));
    }
    const bool binarizing = step >= o.binarize_at * o.steps;
    if (binarizing && !progress.binarizing) {
      start_binarization(o, pinned, model, optimizer, progress, teacher_path);
      if (o.distill > 0) open_teacher();
    }
    progress.binarizing = binarizing;
    progress.beta = progress.binarizing ? annealed_beta(o, step) : 1.0;
    const QuantMode binary = o.alq ? QuantMode::kAlq : QuantMode::kQuantNet;
    model->quantizer()->set_mode(progress.binarizing ? binary : QuantMode::kFloat);
    model->quantizer()->set_beta(progress.beta);
    model->quantizer()->set_quantized_share(progress.binarizing ? quantized_share(o, step) : 1.0);

    const int iterations = unrolled_iterations(o, step);
    auto x = data.sample(o.batch, o.crop).to(device);
    auto keep = random_keep_masks(o.batch, o.crop / 16, o.crop / 16, iterations, o.mask_probability,
                                  o.allocation_masks, device);
    auto result = model->forward(x, iterations, keep, Binarization::kStochastic);
    std::vector<torch::Tensor> losses;
    for (const auto& x_hat : result.reconstructions) {
      losses.push_back(reconstruction_loss(x, x_hat, o.ssim_weighted));
    }
    auto all = torch::stack(losses);
    auto loss = all.mean();  // reported; the gradient may weight iterations
    // Relative to each iteration's own size, late iterations, whose losses
    // are small, keep learning.
    auto objective = o.relative_iterations ? relative_mean(all, all) : loss;
    auto distillation = torch::zeros({}, x.options());
    if (teacher) {
      CodecNetImpl::Result target;
      {
        torch::NoGradGuard no_grad;
        target = teacher->forward(x, iterations, keep, Binarization::kStochastic);
      }
      distillation =
          distillation_loss(x, result.reconstructions, target.reconstructions, o.relative_distillation);
    }
    auto total = objective + (progress.binarizing ? o.regulariser : 0.0) * result.regulariser +
                 o.distill * distillation;
    optimizer.zero_grad();
    total.backward();
    optimizer.step();
    loss_sum += loss.item<double>();
    ++loss_count;
    ++progress.step;
    progress.wall_seconds = wall_at_start + elapsed();

    const bool last = progress.step == o.steps;
    if (std::chrono::duration<double>(Clock::now() - last_report).count() > 10 || last) {
      double rate = (progress.step - step_at_start) / std::max(1e-9, elapsed());
      std::fprintf(stderr, "step %lld/%lld loss %.5f beta %.1f %.2f steps/s eta %s\n",
                   static_cast<long long>(progress.step), static_cast<long long>(o.steps),
                   loss_sum / loss_count, progress.beta, rate,
                   format_duration((o.steps - progress.step) / std::max(rate, 1e-9)).c_str());
      last_report = Clock::now();
    }
    if (progress.step % o.validate_every == 0 || last) validate_and_log();
    if (std::chrono::duration<double>(Clock::now() - last_checkpoint).count() > o.checkpoint_minutes * 60 ||
        last) {
      save_checkpoint(checkpoint, model, optimizer, progress);
      last_checkpoint = Clock::now();
    }
  }
  validate_and_log();  // an early stop (--max-minutes, --stop-at-step) measures where it stopped
  save_checkpoint(checkpoint, model, optimizer, progress);
  std::fprintf(stderr, "stopped at step %lld after %s of training; checkpoint %s\n",
               static_cast<long long>(progress.step), format_duration(progress.wall_seconds).c_str(),
               checkpoint.c_str());
}

}  // namespace qc
