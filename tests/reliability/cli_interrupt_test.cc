// qcodec interrupted by SIGINT or SIGTERM, or stopped by a write error (a file
// size limit, a full tmpfs where one can be mounted): no output file, no
// temporary file, and the input untouched.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "base/file_io.h"
#include "codec/bitstream.h"
#include "image/image_io.h"
#include "nn/random_model.h"
#include "tests/base/temp_dir.h"
#include "tests/image/image_fixtures.h"
#include "tests/reliability/child_process.h"

namespace qc {
namespace {

using testing::ChildEnd;
using testing::ChildOptions;
using testing::start_program;
using testing::TempDir;
using testing::wait_child;
using Entries = std::vector<std::string>;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A random model of the default architecture, written to dir/model.qcm.
ArchConfig write_model(const TempDir& dir) {
  const QcmModel model = random_qcm_model(ArchConfig{}, 1, 7);
  write_file_atomic(dir.file("model.qcm"), serialize_qcm(model), Overwrite::kRefuse);
  return model.config;
}

void write_png(const std::string& path, int width, int height) {
  write_file_atomic(path, encode_png(testing::random_image(width, height, 3, 5)), Overwrite::kRefuse);
}

// A large .qc of all-zero codes for the model in dir: decoding it takes as
// long as decoding any file of its size.
void write_large_qc(const TempDir& dir, const ArchConfig& config, const std::string& name) {
  const std::vector<uint8_t> model = read_file(dir.file("model.qcm"), kMaxQcmFileBytes);
  QcFile file;
  file.width = file.height = 2000;
  file.channels = 3;
  file.model_fingerprint = qcm_fingerprint(model);
  file.code_channels = config.code_channels;
  const int side = (2000 + kCodeBlock - 1) / kCodeBlock;
  file.map = TileMap(2, side, side, config.iterations);
  file.codes = CodeStack(config.iterations, config.code_channels, side, side);
  write_file_atomic(dir.file(name), write_qc(file), Overwrite::kRefuse);
}

std::vector<std::string> qcodec(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), QCODEC);
  const std::vector<std::string> common = {"--model", dir.file("model.qcm"), "--threads", "1", "--quiet"};
  args.insert(args.end(), common.begin(), common.end());
  return args;
}

// Starts qcodec, lets it work for a while, interrupts it.
ChildEnd interrupt(const std::vector<std::string>& args, int signal_number) {
  const pid_t pid = start_program(args);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ::kill(pid, signal_number);
  return wait_child(pid);
}

class Interrupted : public ::testing::TestWithParam<int> {};

TEST_P(Interrupted, EncodeLeavesNoOutputAndTheInputUntouched) {
  TempDir dir;
  write_model(dir);
  write_png(dir.file("in.png"), 2000, 2000);
  const std::string input = read_text(dir.file("in.png"));
  const ChildEnd end =
      interrupt(qcodec(dir, {"encode", dir.file("in.png"), "-o", dir.file("out.qc"), "--iterations", "16"}),
                GetParam());
  ASSERT_TRUE(end.signaled) << "the encode finished before the signal (exit " << end.code
                            << "): give it a larger image";
  EXPECT_EQ(end.code, GetParam());
  EXPECT_EQ(dir.entries(), (Entries{"in.png", "model.qcm"}));
  EXPECT_EQ(read_text(dir.file("in.png")), input);
}

TEST_P(Interrupted, DecodeLeavesNoOutputAndTheInputUntouched) {
  TempDir dir;
  write_large_qc(dir, write_model(dir), "in.qc");
  const std::string input = read_text(dir.file("in.qc"));
  const ChildEnd end =
      interrupt(qcodec(dir, {"decode", dir.file("in.qc"), "-o", dir.file("out.png")}), GetParam());
  ASSERT_TRUE(end.signaled) << "the decode finished before the signal (exit " << end.code
                            << "): give it a larger image";
  EXPECT_EQ(end.code, GetParam());
  EXPECT_EQ(dir.entries(), (Entries{"in.qc", "model.qcm"}));
  EXPECT_EQ(read_text(dir.file("in.qc")), input);
}

INSTANTIATE_TEST_SUITE_P(BySignal, Interrupted, ::testing::Values(SIGINT, SIGTERM));

// RLIMIT_FSIZE makes the output's write() fail part-way, as a full disk does:
// with SIGXFSZ ignored write() returns EFBIG, otherwise SIGXFSZ kills qcodec
// in the middle of the write.
struct WriteLimitCase {
  bool ignore_sigxfsz;
  bool decode;
};

class WriteLimit : public ::testing::TestWithParam<WriteLimitCase> {};

TEST_P(WriteLimit, LeavesNoOutputAndKeepsAnOldOne) {
  TempDir dir;
  write_model(dir);
  write_png(dir.file("in.png"), 256, 192);
  std::string input_name = "in.png", output_name = "out.qc";
  std::vector<std::string> args = {"encode", dir.file("in.png"), "--iterations", "4"};
  if (GetParam().decode) {
    ASSERT_EQ(wait_child(start_program(qcodec(dir, {"encode", dir.file("in.png"), "-o", dir.file("in.qc"),
                                                    "--iterations", "4"})))
                  .code,
              0);
    ASSERT_EQ(::unlink(dir.file("in.png").c_str()), 0);
    input_name = "in.qc";
    output_name = "out.png";
    args = {"decode", dir.file("in.qc")};
  }
  std::ofstream(dir.file(output_name)) << "old";
  const std::string input = read_text(dir.file(input_name));
  for (const char* more : {"-f", "-o"}) args.push_back(more);
  args.push_back(dir.file(output_name));
  ChildOptions limited;
  // Under the output's size, over what qcodec prints on stderr (also a file).
  limited.file_size_limit = 1024;
  limited.ignore_sigxfsz = GetParam().ignore_sigxfsz;
  limited.stderr_path = dir.path() + ".err";
  const ChildEnd end = wait_child(start_program(qcodec(dir, args), limited));
  const std::string err = read_text(limited.stderr_path);
  ::unlink(limited.stderr_path.c_str());
  if (GetParam().ignore_sigxfsz) {
    EXPECT_FALSE(end.signaled);
    EXPECT_EQ(end.code, 1);
    EXPECT_EQ(err, "qcodec: " + dir.file(output_name) + ": write failed: File too large\n");
  } else {
    EXPECT_TRUE(end.signaled);
    EXPECT_EQ(end.code, SIGXFSZ);
  }
  EXPECT_EQ(dir.entries(), (Entries{input_name, "model.qcm", output_name}));
  EXPECT_EQ(read_text(dir.file(output_name)), "old");
  EXPECT_EQ(read_text(dir.file(input_name)), input);
}

INSTANTIATE_TEST_SUITE_P(EncodeAndDecode, WriteLimit,
                         ::testing::Values(WriteLimitCase{true, false}, WriteLimitCase{false, false},
                                           WriteLimitCase{true, true}, WriteLimitCase{false, true}));

// A real full disk: a 64 KiB tmpfs filled to the last byte. Needs the right
// to mount (root outside a restricted container); skipped otherwise.
TEST(FullDisk, EncodeFailsCleanly) {
  TempDir dir;
  write_model(dir);
  write_png(dir.file("in.png"), 64, 48);
  const std::string full = dir.file("full");
  ASSERT_EQ(::mkdir(full.c_str(), 0755), 0);
  if (::mount("qc-test", full.c_str(), "tmpfs", 0, "size=64k") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here: " << std::strerror(errno);
  }
  {
    std::ofstream filler(full + "/filler", std::ios::binary);
    const std::string block(4096, 'x');
    for (int i = 0; i < 64 && filler; ++i) filler.write(block.data(), block.size());
  }
  ChildOptions options;
  options.stderr_path = dir.file("err");
  const ChildEnd end = wait_child(start_program(
      qcodec(dir, {"encode", dir.file("in.png"), "-o", full + "/out.qc", "--iterations", "4"}), options));
  std::vector<std::string> left;
  for (const auto& entry : std::filesystem::directory_iterator(full))
    left.push_back(entry.path().filename().string());
  ::umount2(full.c_str(), MNT_DETACH);
  EXPECT_EQ(end.code, 1);
  EXPECT_NE(read_text(dir.file("err")).find("No space left on device"), std::string::npos)
      << read_text(dir.file("err"));
  EXPECT_EQ(left, Entries{"filler"});
}

}  // namespace
}  // namespace qc
