#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>

#include "base/cpu_features.h"
#include "base/error.h"
#include "metrics/tile_ssim.h"
#include "nn/runtime_graph.h"
#include "tests/base/temp_dir.h"
#include "tests/nn/small_network.h"
#include "train/checkpoint.h"
#include "train/export.h"
#include "train/loss.h"
#include "train/train_model.h"
#include "train/train_quantizer.h"
#include "train/trainer.h"

namespace qc {
namespace {

ArchConfig tiny_config() {
  ArchConfig c = small_config(CellType::kGru, 0);
  c.iterations = 4;
  return c;
}

// The training loss's SSIM map (LibTorch) is the one the encoder allocates
// with (metrics/tile_ssim): with 1-pixel tiles tile_ssim is that map.
TEST(Loss, LocalSsimAgreesWithTileSsim) {
  torch::manual_seed(5);
  const int w = 37, h = 29;
  auto a = torch::rand({1, 3, h, w});
  auto b = (a + 0.2 * torch::randn({1, 3, h, w})).clamp(0, 1);
  const torch::Tensor map = local_ssim(a, b).contiguous();
  auto planar = [](const torch::Tensor& t) {
    torch::Tensor p = (t - 0.5).contiguous();
    return std::vector<float>(p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
  };
  const std::vector<float> per_pixel = tile_ssim(TileGrid{w, h, w, h, 1}, planar(a), planar(b));
  ASSERT_EQ(per_pixel.size(), static_cast<size_t>(w) * h);
  double worst = 0, spread = 0;
  for (int i = 0; i < w * h; ++i) {
    worst = std::max(worst, static_cast<double>(std::abs(per_pixel[i] - map.data_ptr<float>()[i])));
    spread = std::max(spread, 1.0 - per_pixel[i]);
  }
  EXPECT_LT(worst, 1e-4);
  EXPECT_GT(spread, 0.1) << "the images should differ";
}

// Two iterations the student misses the teacher by as much (0.04), where
// the teacher's own error is 0.4 and 0.1: the plain distance weighs them
// alike, the relative one weighs the second (the later, finer) four times
// as much and scales the whole back by the mean error.
TEST(Loss, RelativeMeanKeepsTheScaleAndWeighsEachTermByItsSize) {
  auto sizes = torch::tensor({0.4, 0.1}, torch::kDouble).requires_grad_();
  auto values = (sizes * 1.0).detach().requires_grad_();
  auto mean = relative_mean(values, sizes);
  EXPECT_NEAR(mean.item<double>(), 0.25, 1e-12);  // values == sizes: the plain mean
  mean.backward();
  EXPECT_NEAR(values.grad()[0].item<double>(), 0.25 / (2 * 0.4), 1e-12);
  EXPECT_NEAR(values.grad()[1].item<double>(), 0.25 / (2 * 0.1), 1e-12);
  EXPECT_FALSE(sizes.grad().defined());  // no gradient through the sizes
}

TEST(Loss, RelativeDistillationWeighsEachIterationByTheTeachersError) {
  auto x = torch::zeros({1, 3, 4, 4});
  std::vector<torch::Tensor> teacher = {x + 0.4, x + 0.1};
  auto s0 = (teacher[0] + 0.04).requires_grad_(), s1 = (teacher[1] + 0.04).requires_grad_();
  EXPECT_NEAR(distillation_loss(x, {s0, s1}, teacher, false).item<double>(), 0.04, 1e-6);
  auto relative = distillation_loss(x, {s0, s1}, teacher, true);
  EXPECT_NEAR(relative.item<double>(), (0.04 / 0.4 + 0.04 / 0.1) / 2 * 0.25, 1e-6);
  relative.backward();
  EXPECT_NEAR((s1.grad().abs().sum() / s0.grad().abs().sum()).item<double>(), 4.0, 1e-4);
  std::vector<torch::Tensor> equal_errors = {x + 0.2, x - 0.2};
  EXPECT_NEAR(distillation_loss(x, {x + 0.25, x - 0.1}, equal_errors, true).item<double>(),
              distillation_loss(x, {x + 0.25, x - 0.1}, equal_errors, false).item<double>(), 1e-6);
}

TEST(Quantizer, AlqErrorShrinksWithEveryBasis) {
  torch::manual_seed(1);
  auto w = torch::randn({6, 5, 3, 3});
  double previous = 1e9;
  for (int bases = 1; bases <= 4; ++bases) {
    BinaryBases b = alq_approximate(w, bases);
    EXPECT_TRUE(((b.signs == 1) | (b.signs == -1)).all().item<bool>());
    EXPECT_TRUE((b.alpha >= 0).all().item<bool>());
    auto approx = (b.alpha.view({bases, -1, 1, 1, 1}) * b.signs).sum(0);
    const double error = (approx - w).pow(2).sum().item<double>();
    EXPECT_LT(error, previous) << bases << " bases";
    previous = error;
  }
}

TEST(Quantizer, QuantNetAnnealsTowardsTheExportedSigns) {
  torch::manual_seed(2);
  WeightQuantizer q;
  q->set_mode(QuantMode::kQuantNet);
  auto w = torch::randn({4, 3, 3, 3});
  BinaryBases b = q->binarize(w, 1);
  auto binary = (b.alpha.view({1, -1, 1, 1, 1}) * b.signs).sum(0);
  q->set_beta(2);
  auto soft = q->quantize(w, 1);
  q->set_beta(500);
  auto hard = q->quantize(w, 1);
  EXPECT_LT((hard.effective - binary).abs().max().item<double>(), 0.02);
  EXPECT_GT((soft.effective - binary).abs().max().item<double>(), 0.02);
  EXPECT_LT(hard.regulariser.item<double>(), soft.regulariser.item<double>());
  // The gradient reaches the latent weights without a straight-through estimator.
  auto latent = w.clone().requires_grad_(true);
  q->set_beta(4);
  q->quantize(latent, 1).effective.sum().backward();
  EXPECT_GT(latent.grad().abs().sum().item<double>(), 0);
}

// In binary mode every quantized weight is exactly +-alpha of its filter.
TEST(Quantizer, AlqModeGivesSignTimesAlphaPerFilter) {
  torch::manual_seed(4);
  WeightQuantizer q;
  q->set_mode(QuantMode::kAlq);
  auto w = torch::randn({5, 4, 3, 3});
  auto effective = q->quantize(w, 1).effective;
  BinaryBases b = q->binarize(w, 1);
  auto alpha = w.abs().flatten(1).mean(1);
  EXPECT_TRUE(torch::allclose(b.alpha[0], alpha));
  EXPECT_TRUE(torch::equal(b.signs[0], torch::where(w >= 0, 1.0, -1.0)));
  EXPECT_TRUE(torch::allclose(effective.abs(), alpha.view({-1, 1, 1, 1}).expand_as(w)));
  EXPECT_TRUE(torch::equal(effective.sign(), w.sign()));
}

TEST(Quantizer, ProgressiveShareQuantizesThatManyFilters) {
  torch::manual_seed(5);
  WeightQuantizer q;
  q->set_mode(QuantMode::kAlq);
  auto w = torch::randn({8, 3, 3, 3});
  auto full = q->quantize(w, 2).effective;
  for (double share : {0.0, 0.25, 0.5, 1.0}) {
    q->set_quantized_share(share);
    auto mixed = q->quantize(w, 2).effective;
    int quantized = 0, floating = 0;
    for (int64_t f = 0; f < 8; ++f) {
      quantized += torch::equal(mixed[f], full[f]);
      floating += torch::equal(mixed[f], w[f]);
    }
    EXPECT_EQ(quantized, static_cast<int>(share * 8)) << share;
    EXPECT_EQ(floating, 8 - quantized) << share;
  }
}

TEST(Quantizer, PruneBasesReachesTheTargetWhereItCostsLeast) {
  torch::manual_seed(6);
  // Layer 0 is exactly one basis (+-0.5): its extra bases are free to prune.
  auto exact = torch::where(torch::randn({8, 8, 3, 3}) >= 0, 0.5, -0.5);
  auto noisy = torch::randn({8, 8, 3, 3});
  auto edge = torch::randn({4, 3, 3, 3});
  std::vector<int> bases =
      prune_bases({exact, noisy, edge}, {3, 3, 3}, {true, true, false}, /*target_bits=*/2.2);
  EXPECT_EQ(bases[0], 1);
  EXPECT_EQ(bases[1], 3);
  EXPECT_EQ(bases[2], 3) << "a layer that is not prunable keeps its bases";
  bases = prune_bases({exact, noisy, edge}, {3, 3, 3}, {true, true, false}, 1.0);
  EXPECT_EQ(bases, (std::vector<int>{1, 1, 3})) << "stops when nothing is left to prune";
}

TEST(Trainer, LossFallsOverAFewStepsOnOneBatch) {
  torch::manual_seed(7);
  CodecNet model(tiny_config());
  torch::optim::Adam optimizer(model->parameters(), torch::optim::AdamOptions(3e-3));
  // Smooth structure the code can describe (noise would have no better
  // answer than its mean).
  auto rows = torch::arange(32, torch::kFloat).view({1, 1, 32, 1});
  auto cols = torch::arange(32, torch::kFloat).view({1, 1, 1, 32});
  auto phase = torch::arange(6, torch::kFloat).view({2, 3, 1, 1});
  auto x = 0.4 * torch::sin(rows / 5 + phase) * torch::cos(cols / 7 - phase);
  auto loss_of = [&](Binarization binarization) {
    auto result = model->forward(x, 2, {}, binarization);
    return reconstruction_loss(x, result.reconstructions[0], false) +
           reconstruction_loss(x, result.reconstructions[1], false);
  };
  const double first = loss_of(Binarization::kDeterministic).item<double>();
  for (int step = 0; step < 100; ++step) {
    auto loss = loss_of(Binarization::kStochastic);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
  }
  EXPECT_LT(loss_of(Binarization::kDeterministic).item<double>(), 0.75 * first);
}

// One training step's loss and flattened gradient for a smooth batch.
struct StepResult {
  double loss;
  torch::Tensor gradient;
};

StepResult one_step(torch::ScalarType compute) {
  torch::manual_seed(11);
  CodecNet model(tiny_config());
  model->set_compute_dtype(compute);
  auto rows = torch::arange(32, torch::kFloat).view({1, 1, 32, 1});
  auto cols = torch::arange(48, torch::kFloat).view({1, 1, 1, 48});
  auto phase = torch::arange(6, torch::kFloat).view({2, 3, 1, 1});
  auto x = 0.4 * torch::sin(rows / 5 + phase) * torch::cos(cols / 7 - phase);
  auto result = model->forward(x, 3, {}, Binarization::kDeterministic);
  auto loss = reconstruction_loss(x, result.reconstructions[0], true) +
              reconstruction_loss(x, result.reconstructions[2], true);
  loss.backward();
  std::vector<torch::Tensor> grads;
  for (const auto& p : model->parameters()) {
    if (p.grad().defined()) grads.push_back(p.grad().flatten());
  }
  return {loss.item<double>(), torch::cat(grads)};
}

// Mixed precision changes only the convolutions' rounding: a bf16 step and
// an fp32 step on the same batch agree to bf16's precision (8-bit mantissa,
// relative error ~0.4% per product, averaged over the sums).
TEST(MixedPrecision, Bf16StepAgreesWithFp32) {
  const StepResult fp32 = one_step(torch::kFloat);
  const StepResult bf16 = one_step(torch::kBFloat16);
  EXPECT_NE(fp32.loss, bf16.loss) << "the convolutions did not run in bf16";
  EXPECT_NEAR(bf16.loss, fp32.loss, 0.01 * fp32.loss);
  const double cosine = torch::cosine_similarity(fp32.gradient, bf16.gradient, 0).item<double>();
  EXPECT_GT(cosine, 0.99) << "gradient direction";
  const double norm_ratio = (bf16.gradient.norm() / fp32.gradient.norm()).item<double>();
  EXPECT_NEAR(norm_ratio, 1.0, 0.05) << "gradient size";
}

TEST(TrainModel, WideningPreservesTheFunction) {
  torch::manual_seed(5);
  CodecNet narrow(tiny_config());
  {
    torch::NoGradGuard no_grad;  // sizeable outputs: a trivial match proves nothing
    narrow->latent_weight(layer_index(narrow->specs(), "dec.out")).mul_(10);
  }
  ArchConfig widths = tiny_config();
  widths.enc_conv += 4;
  for (int& c : widths.enc_cells) c += 8;
  widths.dec_conv += 4;
  for (int& c : widths.dec_cells) c += 8;
  CodecNet wide = widen(*narrow, widths);
  EXPECT_EQ(wide->config().dec_cells[3], widths.dec_cells[3]);
  EXPECT_GT(wide->parameters().size(), 0u);
  auto x = torch::rand({2, 3, 32, 48}) - 0.5;
  auto a = narrow->forward(x, 3, {}, Binarization::kDeterministic);
  auto b = wide->forward(x, 3, {}, Binarization::kDeterministic);
  for (int i = 0; i < 3; ++i) {
    EXPECT_GT(a.reconstructions[i].abs().max().item<double>(), 0.01);
    EXPECT_LT((a.reconstructions[i] - b.reconstructions[i]).abs().max().item<double>(), 1e-5)
        << "iteration " << i;
  }
  // The new units are live: the zero weights from them get gradients.
  reconstruction_loss(x, b.reconstructions[2], false).backward();
  const size_t out = layer_index(wide->specs(), "dec.out");
  const int old_inputs = narrow->specs()[out].in_channels;
  EXPECT_GT(wide->latent_weight(out).grad().slice(1, old_inputs).abs().sum().item<double>(), 0.0);
  ArchConfig narrower = tiny_config();
  narrower.dec_cells[0] -= 4;
  EXPECT_THROW(widen(*narrow, narrower), Error);
  ArchConfig more_bits = widths;
  more_bits.code_channels += 1;
  EXPECT_THROW(widen(*narrow, more_bits), Error);
}

TEST(MixedPrecision, AutoPicksBf16OnlyWhereTheCpuHasIt) {
  EXPECT_EQ(resolve_precision("auto", "cpu"), cpu_features().native_bf16() ? "bf16" : "fp32");
  EXPECT_EQ(resolve_precision("auto", "cuda"), "bf16");
  EXPECT_EQ(resolve_precision("fp32", "cpu"), "fp32");
  EXPECT_EQ(resolve_precision("bf16", "cpu"), "bf16");
  EXPECT_THROW(resolve_precision("fp16", "cpu"), Error);
}

// The exported binary network on the runtime kernels (float activations)
// reproduces the training model with the same binary weights, with every
// third code position stopped after the first iteration.
void expect_runtime_graph_matches_training_model(bool one_shot, const std::vector<float>& residual_gains,
                                                 bool freeze_stopped = false, int freeze_grace = 0) {
  torch::manual_seed(3);
  ArchConfig config = tiny_config();
  config.one_shot = one_shot;
  config.residual_gains = residual_gains;
  config.freeze_stopped = freeze_stopped;
  config.freeze_grace = freeze_grace;
  CodecNet model(config);
  model->set_bases(layer_index(model->specs(), "enc.conv"), 2);
  model->eval();
  model->quantizer()->set_hard(true);
  {
    // Undo the small start of the output layer so the outputs are sizeable.
    torch::NoGradGuard no_grad;
    model->latent_weight(layer_index(model->specs(), "dec.out")).mul_(10);
  }
  const int h = 32, w = 48, iterations = 3;
  auto x = torch::rand({1, 3, h, w}) - 0.5;
  const int positions = (h / 16) * (w / 16);
  auto coding = [](int p, int i) { return i == 0 || p % 3 != 0; };
  std::vector<torch::Tensor> keep(iterations);
  for (int i = 0; i < iterations; ++i) {
    keep[i] = torch::zeros({1, 1, h / 16, w / 16});
    for (int p = 0; p < positions; ++p) keep[i].view(-1)[p] = coding(p, i) ? 1.0 : 0.0;
  }
  CodecNetImpl::Result expected;
  {
    torch::NoGradGuard no_grad;
    expected = model->forward(x, iterations, keep, Binarization::kDeterministic);
  }
  QcmModel qcm = to_qcm(model, std::vector<float>(model->specs().size(), 1.0f));
  RuntimeNetwork net(qcm, RuntimeOptions{1, ActivationMode::kFloat});
  EncoderState enc(net, h, w);
  DecoderState dec(net, h, w);
  std::vector<float> planes(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
  std::vector<float> x_hat(planes.size(), 0.0f), residual(planes.size());
  std::vector<int8_t> bits(8 * positions);
  std::vector<uint8_t> coding_now(positions);
  for (int i = 0; i < iterations; ++i) {
    for (size_t p = 0; p < planes.size(); ++p) residual[p] = planes[p] - x_hat[p];
    for (int p = 0; p < positions; ++p) coding_now[p] = coding(p, i);
    enc.step(residual.data(), bits.data(), nullptr, coding_now.data());
    for (size_t b = 0; b < bits.size(); ++b) {
      if (!coding_now[b % positions]) bits[b] = 0;
    }
    dec.step(bits.data(), x_hat.data());
    auto ref = expected.reconstructions[i].contiguous();
    double worst = 0;
    for (size_t p = 0; p < x_hat.size(); ++p) {
      worst = std::max(worst, std::abs(double(x_hat[p]) - double(ref.data_ptr<float>()[p])));
    }
    // Float sums in another order; a sign flip of a near-zero binarizer
    // output would show as an error of order 0.1.
    EXPECT_LT(worst, 1e-3) << "iteration " << i;
    EXPECT_GT(ref.abs().max().item<double>(), 0.01) << "a trivial output would prove nothing";
  }
}

TEST(TrainModel, RuntimeGraphMatchesTheTrainingModel) {
  expect_runtime_graph_matches_training_model(false, {});
}

TEST(TrainModel, RuntimeGraphMatchesTheTrainingModelFreezingStoppedTiles) {
  expect_runtime_graph_matches_training_model(false, {1.0f, 3.0f, 5.5f, 8.0f}, true);
  expect_runtime_graph_matches_training_model(true, {}, true);
  // A grace of 1: the stopped positions are computed in iteration 1, frozen in 2.
  expect_runtime_graph_matches_training_model(false, {1.0f, 3.0f, 5.5f, 8.0f}, true, 1);
}

TEST(TrainModel, RuntimeGraphMatchesTheTrainingModelWithResidualGains) {
  expect_runtime_graph_matches_training_model(false, {1.0f, 3.0f, 5.5f, 8.0f});
}

TEST(TrainModel, RuntimeGraphMatchesTheTrainingModelOneShot) {
  expect_runtime_graph_matches_training_model(true, {});
}

TEST(TrainModel, ResidualGainsMustCoverEveryIterationWithinLimits) {
  CodecNet model(tiny_config());  // 4 iterations
  EXPECT_THROW(model->set_residual_gains({1.0f, 2.0f}), Error);
  EXPECT_THROW(model->set_residual_gains({1.0f, 2.0f, 0.0f, 2.0f}), Error);
  EXPECT_THROW(model->set_residual_gains({1.0f, 2.0f, NAN, 2.0f}), Error);
  model->set_residual_gains({1.0f, 2.0f, 3.0f, 4.0f});
  EXPECT_EQ(model->config().gain(3), 4.0f);
  ArchConfig one_shot = tiny_config();
  one_shot.one_shot = true;
  one_shot.residual_gains = {1.0f, 2.0f, 3.0f, 4.0f};
  EXPECT_THROW(one_shot.validate(), Error) << "gains belong to additive reconstruction";
}

// A few-step run of the tiny network on the test images, one thread.
TrainOptions tiny_run(int steps, int train_iterations) {
  TrainOptions o;
  o.data_dir = QC_TEST_DATA;
  o.arch = tiny_config();
  o.train_iterations = train_iterations;
  o.batch = 2;
  o.crop = 32;
  o.steps = steps;
  o.warmup = 1;
  o.threads = 1;
  o.validate_every = 1000;
  return o;
}

// Trains 6 steps straight and 4 + 2 with a kill between: binarization (with
// the given options) starts at step 3, so the resumed half has to reload
// what it set up (bases, mode, teacher).
void expect_resume_continues_exactly(const std::function<void(TrainOptions&)>& configure) {
  testing::TempDir dir;
  TrainOptions o = tiny_run(6, 2);
  o.warmup = 2;
  o.binarize_at = 0.5;
  configure(o);

  o.run_dir = dir.file("straight");
  train(o);
  o.run_dir = dir.file("resumed");
  o.stop_at_step = 4;
  train(o);
  o.stop_at_step = 0;
  o.resume = true;
  train(o);

  CodecNet a = load_model(dir.file("straight") + "/checkpoint.pt");
  CodecNet b = load_model(dir.file("resumed") + "/checkpoint.pt");
  EXPECT_EQ(a->quantizer()->mode(), o.alq ? QuantMode::kAlq : QuantMode::kQuantNet);
  EXPECT_EQ(a->quantizer()->mode(), b->quantizer()->mode());
  EXPECT_EQ(a->config().residual_gains, b->config().residual_gains);
  EXPECT_EQ(a->config().one_shot, o.arch.one_shot);
  EXPECT_EQ(b->config().one_shot, o.arch.one_shot);
  EXPECT_EQ(a->config().residual_gains.empty(), !o.residual_gains);
  EXPECT_EQ(a->config().freeze_stopped, o.freeze_stopped);
  EXPECT_EQ(b->config().freeze_stopped, o.freeze_stopped);
  EXPECT_EQ(a->config().freeze_grace, std::max(o.freeze_grace, 0));
  EXPECT_EQ(b->config().freeze_grace, std::max(o.freeze_grace, 0));
  for (size_t i = 0; i < a->specs().size(); ++i) EXPECT_EQ(a->bases(i), b->bases(i));
  auto pa = a->named_parameters(), pb = b->named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& item : pa) {
    EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key();
  }
}

TEST(Trainer, ResumeContinuesExactly) {
  expect_resume_continues_exactly([](TrainOptions& o) { o.precision = "fp32"; });
}

// bf16 on any CPU (emulated where it is not native): exact for a given
// precision on a given machine.
TEST(Trainer, ResumeContinuesExactlyInBf16) {
  expect_resume_continues_exactly([](TrainOptions& o) {
    o.precision = "bf16";
    o.alq = true;
    o.distill = 1.0;
  });
}

// --extend-iterations: a resumed run trains more iterations than the
// network was built with, the new ones at the last residual gain.
TEST(Trainer, ExtendIterationsOnResumeRepeatsTheLastGain) {
  testing::TempDir dir;
  TrainOptions o = tiny_run(2, 4);  // a 4-iteration network
  o.run_dir = dir.file("run");
  o.binarize_at = 1;
  o.residual_gains = true;
  train(o);
  const std::vector<float> gains = load_model(o.run_dir + "/checkpoint.pt")->config().residual_gains;
  ASSERT_EQ(gains.size(), 4u);

  o.resume = true;
  o.steps = 3;
  o.train_iterations = 6;
  EXPECT_THROW(train(o), Error) << "6 unrolled iterations of a 4-iteration network";
  o.extend_iterations = 6;
  train(o);
  CodecNet extended = load_model(o.run_dir + "/checkpoint.pt");
  EXPECT_EQ(extended->config().iterations, 6);
  std::vector<float> expected = gains;
  expected.resize(6, gains.back());
  EXPECT_EQ(extended->config().residual_gains, expected);
}

// The committed form: smaller, resumable, the same weights and progress,
// Adam's second moment to bf16 precision and its momentum gone.
TEST(Trainer, CompactCheckpointResumesWithTheSameWeights) {
  testing::TempDir dir;
  TrainOptions o = tiny_run(3, 2);
  o.run_dir = dir.file("run");
  o.binarize_at = 1;
  train(o);
  const std::string full = o.run_dir + "/checkpoint.pt", compact = dir.file("compact.pt");
  compact_checkpoint(full, compact, false);
  EXPECT_THROW(compact_checkpoint(full, compact, false), Error) << "refuses to overwrite";
  EXPECT_LT(std::filesystem::file_size(compact), 0.7 * std::filesystem::file_size(full));

  auto state_of = [](const std::string& path, CodecNet& model) {
    model = load_model(path);
    auto optimizer = std::make_unique<torch::optim::Adam>(model->parameters());
    TrainProgress progress = load_training_state(path, *optimizer);
    return std::make_pair(std::move(optimizer), progress);
  };
  CodecNet a{nullptr}, b{nullptr};
  auto [adam_a, progress_a] = state_of(full, a);
  auto [adam_b, progress_b] = state_of(compact, b);
  EXPECT_EQ(progress_a.step, progress_b.step);
  auto pa = a->parameters(), pb = b->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  size_t with_state = 0;
  for (size_t i = 0; i < pa.size(); ++i) {
    EXPECT_TRUE(torch::equal(pa[i], pb[i]));
    // Adam keeps state only for parameters that have had a gradient.
    auto key = [](const torch::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); };
    auto ia = adam_a->state().find(key(pa[i])), ib = adam_b->state().find(key(pb[i]));
    ASSERT_EQ(ia == adam_a->state().end(), ib == adam_b->state().end());
    if (ia == adam_a->state().end()) continue;
    ++with_state;
    auto& sa = static_cast<torch::optim::AdamParamState&>(*ia->second);
    auto& sb = static_cast<torch::optim::AdamParamState&>(*ib->second);
    EXPECT_EQ(sb.exp_avg_sq().scalar_type(), torch::kFloat);
    EXPECT_TRUE(torch::allclose(sb.exp_avg_sq(), sa.exp_avg_sq(), /*rtol=*/1.0 / 128, /*atol=*/0));
    EXPECT_EQ(sb.exp_avg().count_nonzero().item<int64_t>(), 0) << "momentum restarts";
    EXPECT_EQ(sb.exp_avg().sizes(), pb[i].sizes());
  }
  EXPECT_GT(with_state, pa.size() / 2);
  // It trains on from there.
  std::filesystem::create_directories(dir.file("resumed"));
  std::filesystem::copy_file(compact, dir.file("resumed") + "/checkpoint.pt");
  o.run_dir = dir.file("resumed");
  o.resume = true;
  o.steps = 5;
  train(o);
  EXPECT_EQ(load_model(o.run_dir + "/checkpoint.pt")->parameters().size(), pb.size());
}

// --layer-bases: a pinned layer keeps its bases while pruning takes every
// other prunable layer down to one; malformed entries fail before training.
TEST(Trainer, LayerBasesPinALayerThroughPruning) {
  testing::TempDir dir;
  TrainOptions o = tiny_run(2, 2);
  o.run_dir = dir.file("run");
  o.binarize_at = 0.5;
  o.alq = true;
  o.bases = 2;
  o.target_bits = 1.0;
  o.layer_bases = {"dec.cell0.hidden=3"};
  train(o);
  CodecNet model = load_model(o.run_dir + "/checkpoint.pt");
  const auto& specs = model->specs();
  EXPECT_EQ(model->bases(layer_index(specs, "dec.cell0.hidden")), 3);
  EXPECT_EQ(model->bases(layer_index(specs, "dec.cell0.input")), 1) << "pruned to make room";

  for (const char* bad : {"nope=2", "dec.out", "dec.out=0", "dec.out=9", "dec.out=2x", "=2"}) {
    o.layer_bases = {bad};
    o.run_dir = dir.file("bad");
    EXPECT_THROW(train(o), Error) << bad;
  }
  o.layer_bases = {"dec.out=2"};
  o.alq = false;
  o.target_bits = 0;
  EXPECT_THROW(train(o), Error) << "needs --alq";
}

// --freeze-stopped on --resume without --freeze-grace keeps the network's
// grace; a given one replaces it.
TEST(Trainer, ResumeKeepsTheFreezeGraceUnlessGiven) {
  testing::TempDir dir;
  TrainOptions o = tiny_run(1, 2);
  o.run_dir = dir.file("run");
  o.binarize_at = 1;
  o.freeze_grace = 2;
  EXPECT_THROW(train(o), Error) << "a grace without --freeze-stopped";
  o.freeze_stopped = true;
  train(o);
  const auto grace = [&] { return load_model(o.run_dir + "/checkpoint.pt")->config().freeze_grace; };
  ASSERT_EQ(grace(), 2);

  o.resume = true;
  o.freeze_grace = -1;
  o.steps = 2;
  train(o);
  EXPECT_EQ(grace(), 2);
  o.freeze_grace = 1;
  o.steps = 3;
  train(o);
  EXPECT_EQ(grace(), 1);
}

TEST(Trainer, ResumeContinuesExactlyOneShotWithCurriculum) {
  expect_resume_continues_exactly([](TrainOptions& o) {
    o.arch.one_shot = true;
    o.train_iterations = 3;
    o.curriculum = 0.5;
  });
}

TEST(Trainer, ResumeContinuesExactlyWithEveryBinaryPhaseOption) {
  expect_resume_continues_exactly([](TrainOptions& o) {
    o.alq = true;
    o.bases = 2;
    o.target_bits = 1.5;
    o.progressive = 0.5;
    o.distill = 1.0;
    o.relative_distillation = true;
    o.relative_iterations = true;
    o.allocation_masks = 0.5;
    o.residual_gains = true;
    o.freeze_stopped = true;
    o.freeze_grace = 1;
  });
}

}  // namespace
}  // namespace qc
