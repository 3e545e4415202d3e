// An interrupted or failing write never leaves a partial or temporary file:
// base/pending_file removes write_file_atomic's temporary file when a fatal
// signal arrives mid-write, and a write error (a file size limit standing in
// for a full disk) removes it too.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "base/file_io.h"
#include "base/pending_file.h"
#include "tests/base/temp_dir.h"
#include "tests/reliability/child_process.h"

namespace qc {
namespace {

using testing::ChildEnd;
using testing::ChildOptions;
using testing::start_child;
using testing::TempDir;
using testing::wait_child;
using Entries = std::vector<std::string>;

void touch(const std::string& path) { std::ofstream(path) << "partial"; }

class PendingFileSignal : public ::testing::TestWithParam<int> {};

TEST_P(PendingFileSignal, RemovesThePathAndDiesOfTheSignal) {
  TempDir dir;
  const std::string path = dir.file("out.qc.AbC123");
  const int signal_number = GetParam();
  const ChildEnd end = wait_child(start_child([&] {
    touch(path);
    PendingFile pending(path);
    ::raise(signal_number);
  }));
  EXPECT_TRUE(end.signaled);
  EXPECT_EQ(end.code, signal_number);
  EXPECT_TRUE(dir.entries().empty());
}

INSTANTIATE_TEST_SUITE_P(FatalSignals, PendingFileSignal,
                         ::testing::Values(SIGINT, SIGTERM, SIGHUP, SIGXFSZ));

TEST(PendingFile, ReleasedPathSurvivesASignal) {
  TempDir dir;
  const std::string path = dir.file("kept");
  const ChildEnd end = wait_child(start_child([&] {
    touch(path);
    { PendingFile pending(path); }
    ::raise(SIGTERM);
  }));
  EXPECT_TRUE(end.signaled);
  EXPECT_EQ(dir.entries(), Entries{"kept"});
}

void exit_three(int) { ::_exit(3); }

TEST(PendingFile, LeavesTheProgramsOwnHandlerAlone) {
  TempDir dir;
  const std::string path = dir.file("kept");
  const ChildEnd end = wait_child(start_child([&] {
    ::signal(SIGTERM, exit_three);
    touch(path);
    PendingFile pending(path);
    ::raise(SIGTERM);
  }));
  EXPECT_FALSE(end.signaled);
  EXPECT_EQ(end.code, 3);
  EXPECT_EQ(dir.entries(), Entries{"kept"});
}

// A write over RLIMIT_FSIZE raises SIGXFSZ inside write(): the signal arrives
// while the temporary file is half written, every time.
TEST(WriteFileAtomic, SignalMidWriteLeavesNoTemporaryFile) {
  TempDir dir;
  const std::vector<uint8_t> data(256 * 1024, 1);
  ChildOptions limited;
  limited.file_size_limit = 4096;
  const ChildEnd end =
      wait_child(start_child([&] { write_file_atomic(dir.file("out"), data, Overwrite::kRefuse); }, limited));
  EXPECT_TRUE(end.signaled);
  EXPECT_EQ(end.code, SIGXFSZ);
  EXPECT_TRUE(dir.entries().empty());
}

TEST(WriteFileAtomic, SignalMidOverwriteKeepsTheOldFile) {
  TempDir dir;
  std::ofstream(dir.file("out")) << "old";
  const std::vector<uint8_t> data(256 * 1024, 1);
  ChildOptions limited;
  limited.file_size_limit = 4096;
  const ChildEnd end =
      wait_child(start_child([&] { write_file_atomic(dir.file("out"), data, Overwrite::kAllow); }, limited));
  EXPECT_TRUE(end.signaled);
  EXPECT_EQ(dir.entries(), Entries{"out"});
  std::ifstream in(dir.file("out"));
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "old");
}

}  // namespace
}  // namespace qc
