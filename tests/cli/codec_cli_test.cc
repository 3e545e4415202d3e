// End-to-end tests of `qcodec encode`, `decode`, `trim` and `info` on the built
// binary, with a small random model passed by --model.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/file_io.h"
#include "image/image_io.h"
#include "nn/cpu_dispatch.h"
#include "nn/random_model.h"
#include "tests/base/temp_dir.h"
#include "tests/cli/run_program.h"
#include "tests/nn/small_network.h"

namespace qc {
namespace {

using testing::ProgramResult;
using testing::run_program;
using testing::TempDir;

const std::string kImage = std::string(QC_TEST_DATA) + "/rgb_67x45.png";

class CodecCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ArchConfig config = small_config(CellType::kGru, 0);
    config.iterations = 6;
    model_ = dir_.file("model.qcm");
    write_file_atomic(model_, serialize_qcm(random_qcm_model(config, 1, 3)), Overwrite::kRefuse);
  }

  ProgramResult qcodec(std::vector<std::string> args, bool with_model = true) {
    args.insert(args.begin(), QCODEC);
    if (with_model) {
      args.push_back("--model");
      args.push_back(model_);
    }
    return run_program(args);
  }

  std::string copy_of_image(const std::string& name) {
    std::vector<uint8_t> bytes = read_file(kImage, 1 << 20);
    write_file_atomic(dir_.file(name), bytes, Overwrite::kRefuse);
    return dir_.file(name);
  }

  TempDir dir_;
  std::string model_;
};

TEST_F(CodecCli, EncodeThenDecodeWithDefaultNames) {
  std::string input = copy_of_image("photo.png");
  ProgramResult enc = qcodec({"encode", input, "-bpp", "0.1"});  // single-dash -bpp, as users type it
  ASSERT_EQ(enc.exit_code, 0) << enc.err;
  ASSERT_TRUE(file_exists(dir_.file("photo.qc")));
  EXPECT_NE(enc.out.find("bpp"), std::string::npos);

  std::remove(input.c_str());  // decode must not need the original
  ProgramResult dec = qcodec({"decode", dir_.file("photo.qc")});
  ASSERT_EQ(dec.exit_code, 0) << dec.err;
  Image out = read_image(dir_.file("photo.png")).image;
  EXPECT_EQ(out.width, 67);
  EXPECT_EQ(out.height, 45);
  EXPECT_EQ(out.channels, 3);
}

TEST_F(CodecCli, NeverOverwritesWithoutForce) {
  std::string input = copy_of_image("a.png");
  write_file_atomic(dir_.file("a.qc"), std::vector<uint8_t>{'k', 'e', 'e', 'p'}, Overwrite::kRefuse);
  ProgramResult refused = qcodec({"encode", input, "--iterations", "2"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, "qcodec: " + dir_.file("a.qc") + ": already exists (use -f to overwrite)\n");
  EXPECT_EQ(read_file(dir_.file("a.qc"), 100), (std::vector<uint8_t>{'k', 'e', 'e', 'p'}));

  ProgramResult forced = qcodec({"encode", input, "--iterations", "2", "-f"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_GT(read_file(dir_.file("a.qc"), 1 << 20).size(), 4u);
  EXPECT_EQ(dir_.entries(), (std::vector<std::string>{"a.png", "a.qc", "model.qcm"})) << "no temp files";
}

TEST_F(CodecCli, EncodeNeedsExactlyOneTarget) {
  std::string input = copy_of_image("b.png");
  EXPECT_EQ(qcodec({"encode", input}).exit_code, 2);
  EXPECT_EQ(qcodec({"encode", input, "--bpp", "0.5", "--iterations", "2"}).exit_code, 2);
  EXPECT_EQ(qcodec({"encode", input, "--bpp", "-1"}).exit_code, 2);
  EXPECT_EQ(qcodec({"encode", input, "--iterations", "2", "--effort", "0"}).exit_code, 2);
  EXPECT_EQ(qcodec({"encode", input, "--iterations", "2", "--effort", "5"}).exit_code, 2);
  EXPECT_FALSE(file_exists(dir_.file("b.qc")));
}

TEST_F(CodecCli, EveryEffortDecodesWithTheSameDecoder) {
  std::string input = copy_of_image("effort.png");
  for (const char* effort : {"1", "2"}) {
    const std::string qc = dir_.file(std::string("e") + effort + ".qc");
    ProgramResult enc = qcodec({"encode", input, "--iterations", "2", "--effort", effort, "-o", qc});
    ASSERT_EQ(enc.exit_code, 0) << enc.err;
    ProgramResult dec = qcodec({"decode", qc, "-o", dir_.file(std::string("e") + effort + ".png")});
    EXPECT_EQ(dec.exit_code, 0) << dec.err;
  }
}

TEST_F(CodecCli, BadInputsFailWithOneLine) {
  std::string text = dir_.file("notes.png");
  write_file_atomic(text, std::vector<uint8_t>{'h', 'i', '\n'}, Overwrite::kRefuse);
  ProgramResult not_image = qcodec({"encode", text, "--bpp", "0.5", "-o", dir_.file("x.qc")});
  EXPECT_EQ(not_image.exit_code, 1);
  EXPECT_EQ(not_image.err, "qcodec: " + text + ": not a PNG or JPEG file\n");

  ProgramResult missing = qcodec({"decode", dir_.file("missing.qc")});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(std::count(missing.err.begin(), missing.err.end(), '\n'), 1);

  // A corrupt .qc: a valid file with one byte changed.
  std::string input = copy_of_image("c.png");
  ASSERT_EQ(qcodec({"encode", input, "--iterations", "3"}).exit_code, 0);
  std::vector<uint8_t> bytes = read_file(dir_.file("c.qc"), 1 << 20);
  bytes[bytes.size() / 2] ^= 0x40;
  write_file_atomic(dir_.file("c.qc"), bytes, Overwrite::kAllow);
  ProgramResult corrupt = qcodec({"decode", dir_.file("c.qc"), "-o", dir_.file("c2.png")});
  EXPECT_EQ(corrupt.exit_code, 1);
  EXPECT_EQ(corrupt.err.rfind("qcodec: " + dir_.file("c.qc") + ": ", 0), 0u) << corrupt.err;
  EXPECT_EQ(std::count(corrupt.err.begin(), corrupt.err.end(), '\n'), 1);
  EXPECT_FALSE(file_exists(dir_.file("c2.png")));
}

TEST_F(CodecCli, DecodingIsThreadCountFree) {
  std::string input = copy_of_image("d.png");
  ASSERT_EQ(qcodec({"encode", input, "--bpp", "0.1"}).exit_code, 0);
  ASSERT_EQ(qcodec({"decode", dir_.file("d.qc"), "-o", dir_.file("t1.png"), "--threads", "1"}).exit_code, 0);
  ASSERT_EQ(qcodec({"decode", dir_.file("d.qc"), "-o", dir_.file("t2.png"), "--threads", "2"}).exit_code, 0);
  EXPECT_EQ(read_image(dir_.file("t1.png")).image.pixels, read_image(dir_.file("t2.png")).image.pixels);
}

TEST_F(CodecCli, InfoReportsHeaderRateAndMap) {
  std::string input = copy_of_image("e.png");
  ASSERT_EQ(qcodec({"encode", input, "--iterations", "4"}).exit_code, 0);
  ProgramResult info = qcodec({"info", dir_.file("e.qc"), "--json", "--map", dir_.file("map.png")});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  nlohmann::json j = nlohmann::json::parse(info.out);
  EXPECT_EQ(j["width"], 67);
  EXPECT_EQ(j["height"], 45);
  EXPECT_EQ(j["iterations"], 4);
  EXPECT_EQ(j["bytes"]["total"].get<size_t>(), read_file(dir_.file("e.qc"), 1 << 20).size());
  EXPECT_EQ(j["model_bits_per_iteration"].size(), 4u);
  // 67x45 pads to 80x48: 5 x 3 code positions of 8 bits, all present.
  EXPECT_EQ(j["raw_bits_per_iteration"], nlohmann::json({120, 120, 120, 120}));
  EXPECT_EQ(j["tiles_per_iteration_count"][4], 6);  // 3 x 2 tiles of 32 px, all at 4
  Image map = read_image(dir_.file("map.png")).image;
  EXPECT_EQ(map.width, 67);
  EXPECT_EQ(map.height, 45);
}

TEST_F(CodecCli, DecodeChecksTheInputBeforeTheOutput) {
  // "photo.png: already exists" would hide the real problem.
  std::string image = copy_of_image("photo.png");
  ProgramResult r = qcodec({"decode", image});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "qcodec: " + image + ": not a .qc file\n");
}

TEST_F(CodecCli, NeverWritesOverItsOwnInputEvenWithForce) {
  std::string image = copy_of_image("same.png");
  const std::vector<uint8_t> before = read_file(image, 1 << 20);
  ProgramResult r = qcodec({"encode", image, "-o", image, "-f", "--iterations", "2"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "qcodec: " + image + ": is the input file; choose another output name\n");
  // A second name for the same file (a hard link) is the same file.
  ASSERT_EQ(::link(image.c_str(), dir_.file("alias.png").c_str()), 0);
  EXPECT_EQ(qcodec({"encode", image, "-o", dir_.file("alias.png"), "-f", "--iterations", "2"}).exit_code, 1);
  EXPECT_EQ(read_file(image, 1 << 20), before);
}

TEST_F(CodecCli, DashIsStandardInputAndOutput) {
  std::string image = copy_of_image("s.png");
  const std::string shell = std::string(QCODEC) + " ";
  const std::string model = " --model " + model_;
  ProgramResult enc = run_program(
      {"/bin/sh", "-c",
       shell + "encode - -o - --iterations 3" + model + " < " + image + " > " + dir_.file("s.qc")});
  ASSERT_EQ(enc.exit_code, 0) << enc.err;
  EXPECT_NE(enc.err.find("standard input -> -"), std::string::npos) << "the summary goes to stderr";
  ProgramResult dec = run_program(
      {"/bin/sh", "-c",
       shell + "decode - -o -" + model + " < " + dir_.file("s.qc") + " > " + dir_.file("s2.png")});
  ASSERT_EQ(dec.exit_code, 0) << dec.err;
  EXPECT_EQ(read_image(dir_.file("s2.png")).image.width, 67);
  ASSERT_EQ(qcodec({"decode", dir_.file("s.qc"), "-o", dir_.file("s3.png")}).exit_code, 0);
  EXPECT_EQ(read_file(dir_.file("s2.png"), 1 << 20), read_file(dir_.file("s3.png"), 1 << 20));
  // Standard input has no name to derive an output name from.
  ProgramResult unnamed =
      run_program({"/bin/sh", "-c", shell + "decode -" + model + " < " + dir_.file("s.qc")});
  EXPECT_EQ(unnamed.exit_code, 1);
  EXPECT_NE(unnamed.err.find("needs -o"), std::string::npos) << unnamed.err;
}

TEST_F(CodecCli, DecodesAPrefixByIterationsRateOrTruncatedBytes) {
  std::string image = copy_of_image("p.png");
  ASSERT_EQ(qcodec({"encode", image, "--iterations", "5"}).exit_code, 0);
  ProgramResult info = qcodec({"info", dir_.file("p.qc"), "--json"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  const nlohmann::json j = nlohmann::json::parse(info.out);
  ASSERT_EQ(j["bytes_through_iteration"].size(), 5u);
  const size_t two = j["bytes_through_iteration"][1].get<size_t>();

  ProgramResult by_count =
      qcodec({"decode", dir_.file("p.qc"), "--iterations", "2", "-o", dir_.file("a.png")});
  ASSERT_EQ(by_count.exit_code, 0) << by_count.err;
  EXPECT_NE(by_count.out.find("2 of 5 iterations"), std::string::npos) << by_count.out;
  const std::string rate = std::to_string(j["bpp_through_iteration"][1].get<double>() * 1.0001);
  ASSERT_EQ(qcodec({"decode", dir_.file("p.qc"), "--bpp", rate, "-o", dir_.file("b.png")}).exit_code, 0);
  EXPECT_EQ(read_file(dir_.file("a.png"), 1 << 20), read_file(dir_.file("b.png"), 1 << 20));

  // The first bytes of the file, as a cut-off download holds them.
  std::vector<uint8_t> bytes = read_file(dir_.file("p.qc"), 1 << 20);
  bytes.resize(two + 1);
  write_file_atomic(dir_.file("cut.qc"), bytes, Overwrite::kRefuse);
  ProgramResult refused = qcodec({"decode", dir_.file("cut.qc"), "-o", dir_.file("c.png")});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("truncated"), std::string::npos) << refused.err;
  ProgramResult partial = qcodec({"decode", dir_.file("cut.qc"), "--partial", "-o", dir_.file("c.png")});
  ASSERT_EQ(partial.exit_code, 0) << partial.err;
  EXPECT_NE(partial.out.find("2 of 5 iterations"), std::string::npos) << partial.out;
  EXPECT_NE(partial.out.find("truncated"), std::string::npos) << partial.out;
  EXPECT_EQ(read_file(dir_.file("a.png"), 1 << 20), read_file(dir_.file("c.png"), 1 << 20));
  bytes.resize(j["bytes_through_iteration"][0].get<size_t>() - 1);  // short of one iteration
  write_file_atomic(dir_.file("head.qc"), bytes, Overwrite::kRefuse);
  ProgramResult nothing = qcodec({"decode", dir_.file("head.qc"), "--partial", "-o", dir_.file("d.png")});
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_EQ(std::count(nothing.err.begin(), nothing.err.end(), '\n'), 1) << nothing.err;
  EXPECT_FALSE(file_exists(dir_.file("d.png")));
}

TEST_F(CodecCli, TrimLowersTheRateAndRefusesToRaiseIt) {
  std::string image = copy_of_image("t.png");
  ASSERT_EQ(qcodec({"encode", image, "--iterations", "6"}).exit_code, 0);
  const double pixels = 67.0 * 45;
  const double rate = read_file(dir_.file("t.qc"), 1 << 20).size() * 8 / pixels;
  ProgramResult up = qcodec({"trim", dir_.file("t.qc"), "-bpp", std::to_string(rate * 1.5)});
  EXPECT_EQ(up.exit_code, 1);
  EXPECT_NE(up.err.find("trim only lowers a rate"), std::string::npos) << up.err;
  EXPECT_FALSE(file_exists(dir_.file("t.trim.qc")));
  ProgramResult down = qcodec({"trim", dir_.file("t.qc"), "-bpp", std::to_string(rate * 0.6)});
  ASSERT_EQ(down.exit_code, 0) << down.err;
  const std::vector<uint8_t> trimmed = read_file(dir_.file("t.trim.qc"), 1 << 20);
  EXPECT_LE(trimmed.size() * 8 / pixels, rate * 0.6);
  ASSERT_EQ(qcodec({"decode", dir_.file("t.trim.qc")}).exit_code, 0);
  EXPECT_EQ(read_image(dir_.file("t.trim.png")).image.height, 45);
}

TEST_F(CodecCli, AnUnknownKernelChoiceIsAOneLineError) {
  std::string image = copy_of_image("isa.png");
  auto encode_with = [&](const std::string& isa) {
    return run_program(
        {"/bin/sh", "-c",
         "QC_ISA=" + isa + " " + QCODEC + " encode " + image + " --iterations 1 -f --model " + model_});
  };
  ProgramResult r = encode_with("bogus");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "qcodec: QC_ISA=bogus: unknown (use scalar, avx2, avx512 or amx, or leave it unset)\n");
  // Every known path either runs or says, in one line, that this CPU lacks it.
  for (Isa isa : kAllIsas) {
    r = encode_with(isa_name(isa));
    if (cpu_supports(isa)) {
      EXPECT_EQ(r.exit_code, 0) << isa_name(isa) << ": " << r.err;
    } else {
      EXPECT_EQ(r.exit_code, 1) << isa_name(isa);
      EXPECT_EQ(r.err, std::string("qcodec: QC_ISA=") + isa_name(isa) + ": not supported by this CPU\n");
    }
  }
}

}  // namespace
}  // namespace qc
