// qcodec as an evaluated codec, with a small random model: the adapter codes
// at the target rates and round-trips; the BD-rate table names every baseline.
#include "eval/qcodec_adapter.h"

#include <gtest/gtest.h>

#include "eval/curve.h"
#include "eval/evaluation.h"
#include "eval/report.h"
#include "nn/random_model.h"
#include "tests/nn/small_network.h"

namespace qc {
namespace {

Model small_random_model() {
  ArchConfig config = small_config(CellType::kGru, 0);
  config.iterations = 6;
  std::vector<uint8_t> bytes = serialize_qcm(random_qcm_model(config, 1, 3));
  return model_from_bytes(bytes.data(), bytes.size(), "random test model");
}

TEST(QcodecAdapter, EvaluatesAtTheTargetRates) {
  auto qcodec = make_qcodec_adapter(small_random_model(), {0.25, 0.5});
  EXPECT_EQ(qcodec->name(), "qcodec");
  EXPECT_EQ(qcodec->settings(), (std::vector<double>{0.25, 0.5}));
  EXPECT_NE(qcodec->label().find("random test model"), std::string::npos);
  auto jpeg = make_baseline("jpeg");
  std::vector<DatasetImage> images = load_dataset(QC_TEST_DATA);
  std::vector<Measurement> rows = evaluate(images, {qcodec.get(), jpeg.get()}, {2, false});
  ASSERT_EQ(rows.size(), images.size() * (2 + jpeg->settings().size()));
  for (size_t i = 0; i < 2 * images.size(); ++i) {
    EXPECT_EQ(rows[i].codec, "qcodec");
    EXPECT_GT(rows[i].bytes, 0u);
    EXPECT_GE(rows[i].msssim, 0.0);
  }
  Curve ours = average_curve(*qcodec, rows);
  ASSERT_EQ(ours.points.size(), 2u);
  nlohmann::json table = bd_rate_json(ours, {average_curve(*jpeg, rows)});
  EXPECT_EQ(table["reference"], "qcodec");
  EXPECT_EQ(table["rows"][0]["codec"], "jpeg");
}

}  // namespace
}  // namespace qc
