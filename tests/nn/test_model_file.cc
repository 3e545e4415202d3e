#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "base/error.h"
#include "base/file_io.h"
#include "nn/default_model.h"
#include "nn/model_file.h"
#include "nn/random_model.h"
#include "tests/nn/small_network.h"

namespace qc {
namespace {

// The shared small network, with LSTM cells and priming so that every config field is written.
ArchConfig lstm_config() { return small_config(CellType::kLstm, 2); }

std::string error_of(const std::vector<uint8_t>& bytes) {
  try {
    parse_qcm(bytes.data(), bytes.size(), "m.qcm");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(PackSignRows, SetsBitsOfPositiveValuesLsbFirst) {
  std::vector<float> v(2 * 70, -1.0f);
  v[0] = 1.0f;
  v[69] = 0.5f;
  v[70 + 64] = 2.0f;
  v[1] = 0.0f;  // zero is not positive
  std::vector<uint64_t> bits = pack_sign_rows(v.data(), 2, 70);
  ASSERT_EQ(bits.size(), 4u);
  EXPECT_EQ(bits[0], 1u);
  EXPECT_EQ(bits[1], uint64_t{1} << 5);
  EXPECT_EQ(bits[2], 0u);
  EXPECT_EQ(bits[3], 1u);
}

TEST(ModelFile, RoundTripKeepsEverything) {
  QcmModel model = random_qcm_model(lstm_config(), 2, 7);
  std::vector<uint8_t> bytes = serialize_qcm(model);
  QcmModel back = parse_qcm(bytes.data(), bytes.size(), "m.qcm");
  EXPECT_EQ(back.config.describe(), model.config.describe());
  ASSERT_EQ(back.layers.size(), model.layers.size());
  for (size_t i = 0; i < model.layers.size(); ++i) {
    EXPECT_EQ(back.layers[i].name, model.layers[i].name);
    EXPECT_EQ(back.layers[i].bases, 2);
    EXPECT_EQ(back.layers[i].bits, model.layers[i].bits);
    EXPECT_EQ(back.layers[i].alpha, model.layers[i].alpha);
    EXPECT_EQ(back.layers[i].bias, model.layers[i].bias);
    EXPECT_EQ(back.layers[i].input_scale, model.layers[i].input_scale);
  }
  EXPECT_EQ(serialize_qcm(back), bytes);
  EXPECT_EQ(qcm_fingerprint(bytes), qcm_fingerprint(serialize_qcm(back)));
  EXPECT_NE(qcm_fingerprint(bytes), qcm_fingerprint(serialize_qcm(random_qcm_model(lstm_config(), 2, 8))));
}

TEST(ModelFile, ReconstructionFieldsRoundTripAsVersion2) {
  QcmModel plain = random_qcm_model(lstm_config(), 1, 5);
  QcmModel gained = plain;
  for (int i = 0; i < gained.config.iterations; ++i) gained.config.residual_gains.push_back(1.0f + 0.5f * i);
  std::vector<uint8_t> plain_bytes = serialize_qcm(plain), gained_bytes = serialize_qcm(gained);
  EXPECT_EQ(plain_bytes[4], 1) << "a model without gains keeps version 1 (and its fingerprint)";
  EXPECT_EQ(gained_bytes[4], 2);
  QcmModel back = parse_qcm(gained_bytes.data(), gained_bytes.size(), "m.qcm");
  EXPECT_EQ(back.config.residual_gains, gained.config.residual_gains);
  EXPECT_TRUE(parse_qcm(plain_bytes.data(), plain_bytes.size(), "m.qcm").config.residual_gains.empty());
  EXPECT_EQ(serialize_qcm(back), gained_bytes);
  gained.config.residual_gains.pop_back();
  EXPECT_THROW(serialize_qcm(gained), Error);

  QcmModel one_shot = plain;
  one_shot.config.one_shot = true;
  std::vector<uint8_t> one_shot_bytes = serialize_qcm(one_shot);
  EXPECT_EQ(one_shot_bytes[4], 2);
  EXPECT_TRUE(parse_qcm(one_shot_bytes.data(), one_shot_bytes.size(), "m.qcm").config.one_shot);

  QcmModel frozen = plain;
  frozen.config.freeze_stopped = true;
  std::vector<uint8_t> frozen_bytes = serialize_qcm(frozen);
  EXPECT_EQ(frozen_bytes[4], 2);
  const ArchConfig frozen_back = parse_qcm(frozen_bytes.data(), frozen_bytes.size(), "m.qcm").config;
  EXPECT_TRUE(frozen_back.freeze_stopped);
  EXPECT_FALSE(frozen_back.one_shot);
  EXPECT_NE(frozen_back.describe(), plain.config.describe());
  EXPECT_EQ(frozen_back.freeze_grace, 0);

  QcmModel graced = frozen;
  graced.config.freeze_grace = 2;
  std::vector<uint8_t> graced_bytes = serialize_qcm(graced);
  EXPECT_EQ(graced_bytes[4], 3);
  EXPECT_EQ(parse_qcm(graced_bytes.data(), graced_bytes.size(), "m.qcm").config.freeze_grace, 2);
  graced.config.freeze_stopped = false;  // a grace without the freeze
  EXPECT_THROW(serialize_qcm(graced), Error);
}

TEST(ModelFile, EveryTruncationIsRejected) {
  std::vector<uint8_t> bytes = serialize_qcm(random_qcm_model(lstm_config(), 1, 3));
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + n);
    EXPECT_NE(error_of(cut), "") << n;
  }
}

TEST(ModelFile, EveryFlippedByteIsRejected) {
  std::vector<uint8_t> bytes = serialize_qcm(random_qcm_model(lstm_config(), 1, 4));
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::vector<uint8_t> bad = bytes;
    bad[i] ^= 0x41;
    std::string error = error_of(bad);
    EXPECT_EQ(error.rfind("m.qcm: ", 0), 0u) << i << ": " << error;
  }
}

TEST(ModelFile, ErrorsSayWhatIsWrong) {
  std::vector<uint8_t> bytes = serialize_qcm(random_qcm_model(lstm_config(), 1, 5));
  EXPECT_EQ(error_of({'P', 'N', 'G'}), "m.qcm: not a qcodec model (.qcm) file");
  std::vector<uint8_t> bad = bytes;
  bad[4] = 9;
  EXPECT_EQ(error_of(bad), "m.qcm: unsupported model version 9");
  bad = bytes;
  bad[bad.size() / 2] ^= 1;
  EXPECT_EQ(error_of(bad), "m.qcm: model checksum mismatch (corrupt file)");
  bad = bytes;
  bad.push_back(0);
  EXPECT_EQ(error_of(bad), "m.qcm: truncated or oversized model file");
  std::vector<uint8_t> huge(kMaxQcmFileBytes + 1, 0);
  EXPECT_NE(error_of(huge).find("larger than"), std::string::npos);
}

TEST(ModelFile, SerializeRefusesShapesThatDisagreeWithTheConfig) {
  QcmModel model = random_qcm_model(lstm_config(), 1, 6);
  QcmModel bad = model;
  bad.layers[3].bits.pop_back();
  EXPECT_THROW(serialize_qcm(bad), Error);
  bad = model;
  bad.layers.pop_back();
  EXPECT_THROW(serialize_qcm(bad), Error);
  bad = model;
  bad.layers[0].name = "other";
  EXPECT_THROW(serialize_qcm(bad), Error);
  for (size_t i = 0; i < bad.layers.size(); ++i)
    if (!model.layers[i].bias.empty()) {
      bad = model;
      bad.layers[i].bias.pop_back();
      EXPECT_THROW(serialize_qcm(bad), Error) << i;
    }
}

TEST(ModelFile, LoadsFromDisk) {
  std::vector<uint8_t> bytes = serialize_qcm(random_qcm_model(lstm_config(), 1, 9));
  std::string path = testing::TempDir() + "qc_model_file_test.qcm";
  write_file_atomic(path, bytes, Overwrite::kAllow);
  EXPECT_EQ(serialize_qcm(load_qcm_file(path)), bytes);
  EXPECT_THROW(load_qcm_file(path + ".missing"), Error);
}

// This test binary embeds tests/data/rgb_64x64.png through qc_embed_model:
// the mechanism is byte-exact for any file.
TEST(EmbedModel, EmbedsTheFileBytes) {
  std::vector<uint8_t> file = read_file(std::string(QC_TEST_DATA) + "/rgb_64x64.png", 1 << 20);
  EmbeddedBytes embedded = default_model_bytes();
  ASSERT_EQ(embedded.size, file.size());
  EXPECT_EQ(std::memcmp(embedded.data, file.data(), file.size()), 0);
}

}  // namespace
}  // namespace qc
