// End-to-end tests of `qcodec metric` and of qcodec's exit statuses, run on
// the built binary.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "base/file_io.h"
#include "image/image_io.h"
#include "metrics/metrics.h"
#include "tests/base/temp_dir.h"
#include "tests/cli/run_program.h"

namespace qc {
namespace {

using testing::ProgramResult;
using testing::run_program;
using testing::TempDir;

const std::string kQcodec = QCODEC;
const std::string kReference = std::string(QC_TEST_DATA) + "/rgb_64x64.png";

ProgramResult qcodec(std::vector<std::string> args) {
  args.insert(args.begin(), kQcodec);
  return run_program(args);
}

// Errors are exactly one line: "qcodec: <message>".
void expect_error_line(const ProgramResult& result, const std::string& message) {
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "qcodec: " + message + "\n");
  EXPECT_EQ(result.out, "");
}

void write_png(const std::string& path, const Image& image) {
  write_file_atomic(path, encode_png(image), Overwrite::kRefuse);
}

Image with_noise(Image image, int amplitude) {
  std::mt19937 rng(5);
  for (uint8_t& v : image.pixels) {
    int noisy = v + static_cast<int>(rng() % (2 * amplitude + 1)) - amplitude;
    v = static_cast<uint8_t>(std::clamp(noisy, 0, 255));
  }
  return image;
}

TEST(QcodecCli, HelpExplainsWithExamples) {
  ProgramResult result = qcodec({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("metric"), std::string::npos);
  const size_t examples = result.out.find("Examples:\n  qcodec ");
  ASSERT_NE(examples, std::string::npos) << result.out;
  for (const char* command : {"encode", "decode", "info", "metric"}) {
    EXPECT_NE(result.out.find(std::string("\n  qcodec ") + command + " ", examples), std::string::npos)
        << command;
  }
  EXPECT_NE(result.out.find("Exit status"), std::string::npos);
}

TEST(QcodecCli, UsageErrorsExitWithTwo) {
  for (std::vector<std::string> args : {std::vector<std::string>{},
                                        {"no-such-command"},
                                        {"metric"},
                                        {"metric", kReference},
                                        {"metric", kReference, kReference, "--no-such-flag"}}) {
    ProgramResult result = qcodec(args);
    EXPECT_EQ(result.exit_code, 2) << ::testing::PrintToString(args);
    EXPECT_NE(result.err, "");
  }
}

TEST(MetricCli, IdenticalImagesGiveInfinity) {
  ProgramResult text = qcodec({"metric", kReference, kReference});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out, "msssim    1.000000\nmsssim_db inf dB\npsnr      inf dB\nmsssim convention: tf\n");
  ProgramResult json = qcodec({"metric", kReference, kReference, "--json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(json.out,
            "{\"msssim\": 1, \"msssim_db\": \"inf\", \"psnr\": \"inf\", \"msssim_convention\": \"tf\"}\n");
}

TEST(MetricCli, PrintsTheLibraryValues) {
  TempDir dir;
  Image reference = read_image(kReference).image;
  Image noisy = with_noise(reference, 20);
  write_png(dir.file("noisy.png"), noisy);
  double msssim = ms_ssim(reference, noisy);
  double psnr_db = psnr(reference, noisy);
  ASSERT_LT(msssim, 0.999);

  ProgramResult json = qcodec({"metric", kReference, dir.file("noisy.png"), "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  double printed[3];
  int length = 0;
  ASSERT_EQ(std::sscanf(json.out.c_str(), "{\"msssim\": %lf, \"msssim_db\": %lf, \"psnr\": %lf%n",
                        &printed[0], &printed[1], &printed[2], &length),
            3)
      << json.out;
  EXPECT_EQ(json.out.substr(length), ", \"msssim_convention\": \"tf\"}\n");
  // JSON numbers read back exactly.
  EXPECT_EQ(printed[0], msssim);
  EXPECT_EQ(printed[1], msssim_db(msssim));
  EXPECT_EQ(printed[2], psnr_db);

  ProgramResult text = qcodec({"metric", kReference, dir.file("noisy.png")});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  ASSERT_EQ(std::sscanf(text.out.c_str(), "msssim    %lf\nmsssim_db %lf dB\npsnr      %lf dB%n", &printed[0],
                        &printed[1], &printed[2], &length),
            3)
      << text.out;
  EXPECT_EQ(text.out.substr(length), "\nmsssim convention: tf\n");
  EXPECT_NEAR(printed[0], msssim, 5e-7);
  EXPECT_NEAR(printed[1], msssim_db(msssim), 5e-5);
  EXPECT_NEAR(printed[2], psnr_db, 5e-5);
}

TEST(MetricCli, AlphaIsIgnored) {
  TempDir dir;
  Image rgb = read_image(kReference).image;
  Image rgba(rgb.width, rgb.height, 4);
  for (int y = 0; y < rgb.height; ++y) {
    for (int x = 0; x < rgb.width; ++x) {
      for (int c = 0; c < 3; ++c) rgba.at(x, y, c) = rgb.at(x, y, c);
      rgba.at(x, y, 3) = static_cast<uint8_t>(x);
    }
  }
  write_png(dir.file("rgba.png"), rgba);
  ProgramResult result = qcodec({"metric", kReference, dir.file("rgba.png"), "--json"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "{\"msssim\": 1, \"msssim_db\": \"inf\", \"psnr\": \"inf\", \"msssim_convention\": \"tf\"}\n");
}

TEST(MetricCli, DifferentSizesFailClearly) {
  std::string other = std::string(QC_TEST_DATA) + "/rgb_67x45.png";
  expect_error_line(qcodec({"metric", kReference, other}),
                    "images differ in size: " + kReference + " is 64x64, " + other + " is 67x45");
}

TEST(MetricCli, GrayAgainstColourFailsClearly) {
  TempDir dir;
  write_png(dir.file("gray.png"), Image(64, 64, 1));
  expect_error_line(
      qcodec({"metric", dir.file("gray.png"), kReference}),
      "cannot compare gray with colour: " + dir.file("gray.png") + " is gray, " + kReference + " is colour");
}

TEST(MetricCli, UnreadableInputsFailClearly) {
  TempDir dir;
  std::ofstream(dir.file("notes.png")) << "not an image\n";
  expect_error_line(qcodec({"metric", kReference, dir.file("notes.png")}),
                    dir.file("notes.png") + ": not a PNG or JPEG file");
  expect_error_line(qcodec({"metric", dir.file("missing.png"), kReference}),
                    dir.file("missing.png") + ": cannot open: No such file or directory");
}

TEST(MetricCli, FailedOutputIsAnError) {
  if (!file_exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  ProgramResult result = run_program({kQcodec, "metric", kReference, kReference}, "/dev/full");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "qcodec: cannot write to standard output\n");
}

TEST(MetricCli, OffersThePytorchConventionAndNamesIt) {
  TempDir dir;
  Image odd = read_image(std::string(QC_TEST_DATA) + "/rgb_67x45.png").image;
  Image changed = odd;
  for (size_t i = 0; i < changed.pixels.size(); i += 7)
    changed.pixels[i] = static_cast<uint8_t>(changed.pixels[i] ^ 0x1F);
  write_file_atomic(dir.file("a.png"), encode_png(odd), Overwrite::kRefuse);
  write_file_atomic(dir.file("b.png"), encode_png(changed), Overwrite::kRefuse);
  ProgramResult tf = qcodec({"metric", dir.file("a.png"), dir.file("b.png")});
  ProgramResult pytorch = qcodec({"metric", dir.file("a.png"), dir.file("b.png"), "--convention", "pytorch"});
  ASSERT_EQ(pytorch.exit_code, 0) << pytorch.err;
  EXPECT_NE(pytorch.out.find("msssim convention: pytorch"), std::string::npos) << pytorch.out;
  double a = 0, b = 0;
  ASSERT_EQ(std::sscanf(tf.out.c_str(), "msssim    %lf", &a), 1);
  ASSERT_EQ(std::sscanf(pytorch.out.c_str(), "msssim    %lf", &b), 1);
  EXPECT_NEAR(a, ms_ssim(odd, changed), 5e-7);
  EXPECT_NEAR(b, ms_ssim(odd, changed, MsssimConvention::kPytorch), 5e-7);
  EXPECT_EQ(qcodec({"metric", dir.file("a.png"), dir.file("b.png"), "--convention", "keras"}).exit_code, 2);
}

}  // namespace
}  // namespace qc
