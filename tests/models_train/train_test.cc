#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "models/checkpoint.h"
#include "models/export.h"
#include "models/runtime_graph.h"
#include "models/train_model.h"
#include "models/trainer.h"
#include "quant/train_quantizer.h"
#include "tests/base/temp_dir.h"
#include "tests/models_runtime/small_network.h"

namespace qc {
namespace {

ArchConfig tiny_config() {
  ArchConfig c = small_config(CellType::kGru, 0);
  c.iterations = 4;
  return c;
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

// The exported binary network on the runtime kernels (float activations)
// reproduces the training model with the same binary weights.
TEST(TrainModel, RuntimeGraphMatchesTheTrainingModel) {
  torch::manual_seed(3);
  CodecNet model(tiny_config());
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
  CodecNetImpl::Result expected;
  {
    torch::NoGradGuard no_grad;
    expected = model->forward(x, iterations, {}, Binarization::kDeterministic);
  }
  QcmModel qcm = to_qcm(model, std::vector<float>(model->specs().size(), 1.0f));
  RuntimeNetwork net(qcm, RuntimeOptions{1, ActivationMode::kFloat});
  EncoderState enc(net, h, w);
  DecoderState dec(net, h, w);
  std::vector<float> planes(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
  std::vector<float> x_hat(planes.size(), 0.0f), residual(planes.size());
  std::vector<int8_t> bits(8 * (h / 16) * (w / 16));
  for (int i = 0; i < iterations; ++i) {
    for (size_t p = 0; p < planes.size(); ++p) residual[p] = planes[p] - x_hat[p];
    enc.step(residual.data(), bits.data());
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

TEST(Trainer, ResumeContinuesExactly) {
  testing::TempDir dir;
  TrainOptions o;
  o.data_dir = QC_TEST_DATA;
  o.arch = tiny_config();
  o.train_iterations = 2;
  o.batch = 2;
  o.crop = 32;
  o.steps = 6;
  o.warmup = 2;
  o.binarize_at = 0.5;  // the resumed half crosses into binarization
  o.threads = 1;
  o.validate_every = 1000;

  o.run_dir = dir.file("straight");
  train(o);
  o.run_dir = dir.file("resumed");
  o.stop_at_step = 3;
  train(o);
  o.stop_at_step = 0;
  o.resume = true;
  train(o);

  CodecNet a = load_model(dir.file("straight") + "/checkpoint.pt");
  CodecNet b = load_model(dir.file("resumed") + "/checkpoint.pt");
  auto pa = a->named_parameters(), pb = b->named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& item : pa) {
    EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key();
  }
}

}  // namespace
}  // namespace qc
