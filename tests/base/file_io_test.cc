#include "base/file_io.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <string>
#include <vector>

#include "base/error.h"
#include "tests/base/error_of.h"
#include "tests/base/temp_dir.h"

namespace qc {
namespace {

using testing::TempDir;
using Entries = std::vector<std::string>;

void write_plain(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string read_plain(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }

using testing::error_of;

TEST(ReadFile, ReadsWholeFile) {
  TempDir dir;
  write_plain(dir.file("a"), std::string("x\0y", 3));
  EXPECT_EQ(read_file(dir.file("a"), 100), bytes(std::string("x\0y", 3)));
}

TEST(ReadFile, EmptyFileGivesNoBytes) {
  TempDir dir;
  write_plain(dir.file("empty"), "");
  EXPECT_TRUE(read_file(dir.file("empty"), 100).empty());
}

TEST(ReadFile, MissingFileNamesPathAndCause) {
  TempDir dir;
  std::string path = dir.file("missing");
  EXPECT_EQ(error_of([&] { read_file(path, 100); }), path + ": cannot open: No such file or directory");
  EXPECT_EQ(testing::kind_of([&] { read_file(path, 100); }), ErrorKind::kIo);
}

TEST(ReadFile, RefusesFileOverLimit) {
  TempDir dir;
  write_plain(dir.file("big"), "0123456789");
  EXPECT_EQ(read_file(dir.file("big"), 10).size(), 10u);
  EXPECT_EQ(error_of([&] { read_file(dir.file("big"), 9); }),
            dir.file("big") + ": file is 10 bytes, over the limit of 9");
  EXPECT_EQ(testing::kind_of([&] { read_file(dir.file("big"), 9); }), ErrorKind::kOverLimit);
}

TEST(ReadFile, RefusesDirectory) {
  TempDir dir;
  EXPECT_EQ(error_of([&] { read_file(dir.path(), 100); }), dir.path() + ": not a regular file");
}

TEST(ReadFile, RefusesFifoWithoutWaitingForWriter) {
  TempDir dir;
  ASSERT_EQ(::mkfifo(dir.file("fifo").c_str(), 0600), 0);
  EXPECT_EQ(error_of([&] { read_file(dir.file("fifo"), 100); }), dir.file("fifo") + ": not a regular file");
}

TEST(WriteFileAtomic, WritesContentAndLeavesNoTemporaryFile) {
  TempDir dir;
  write_file_atomic(dir.file("out"), bytes("hello"), Overwrite::kRefuse);
  EXPECT_EQ(read_plain(dir.file("out")), "hello");
  EXPECT_EQ(dir.entries(), Entries{"out"});
  struct stat st;
  ASSERT_EQ(::stat(dir.file("out").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(WriteFileAtomic, WritesEmptyFile) {
  TempDir dir;
  write_file_atomic(dir.file("out"), std::vector<uint8_t>(), Overwrite::kRefuse);
  EXPECT_TRUE(file_exists(dir.file("out")));
  EXPECT_EQ(read_plain(dir.file("out")), "");
}

TEST(WriteFileAtomic, RefusesToOverwriteWithoutPermission) {
  TempDir dir;
  write_plain(dir.file("out"), "old");
  EXPECT_EQ(error_of([&] { write_file_atomic(dir.file("out"), bytes("new"), Overwrite::kRefuse); }),
            dir.file("out") + ": already exists (use -f to overwrite)");
  EXPECT_EQ(read_plain(dir.file("out")), "old");
  EXPECT_EQ(dir.entries(), Entries{"out"});
}

TEST(WriteFileAtomic, RefusesDanglingSymlinkWithoutPermission) {
  TempDir dir;
  ASSERT_EQ(::symlink(dir.file("nowhere").c_str(), dir.file("link").c_str()), 0);
  EXPECT_NE(error_of([&] { write_file_atomic(dir.file("link"), bytes("x"), Overwrite::kRefuse); }), "");
  EXPECT_EQ(dir.entries(), Entries{"link"});
}

TEST(WriteFileAtomic, OverwritesWithPermission) {
  TempDir dir;
  write_plain(dir.file("out"), "old contents");
  write_file_atomic(dir.file("out"), bytes("new"), Overwrite::kAllow);
  EXPECT_EQ(read_plain(dir.file("out")), "new");
  EXPECT_EQ(dir.entries(), Entries{"out"});
}

TEST(WriteFileAtomic, MissingDirectoryFailsCleanly) {
  TempDir dir;
  std::string path = dir.file("no/such/dir/out");
  std::string message = error_of([&] { write_file_atomic(path, bytes("x"), Overwrite::kAllow); });
  EXPECT_EQ(message.rfind(path + ": cannot create temporary file: ", 0), 0u) << message;
  EXPECT_TRUE(dir.entries().empty());
}

TEST(WriteFileAtomic, TargetThatIsADirectoryFailsCleanly) {
  TempDir dir;
  ASSERT_EQ(::mkdir(dir.file("sub").c_str(), 0755), 0);
  write_plain(dir.file("sub/keep"), "k");
  EXPECT_NE(error_of([&] { write_file_atomic(dir.file("sub"), bytes("x"), Overwrite::kAllow); }), "");
  EXPECT_EQ(dir.entries(), Entries{"sub"});
  EXPECT_EQ(read_plain(dir.file("sub/keep")), "k");
}

// A file size limit makes write() fail part-way (EFBIG), like a full disk.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &old_);
    rlimit limited = old_;
    limited.rlim_cur = bytes;
    ok_ = ::setrlimit(RLIMIT_FSIZE, &limited) == 0;
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &old_);
    std::signal(SIGXFSZ, old_handler_);
  }
  bool ok() const { return ok_; }

 private:
  rlimit old_;
  void (*old_handler_)(int);
  bool ok_;
};

TEST(WriteFileAtomic, FailedWriteLeavesNothingBehind) {
  TempDir dir;
  std::vector<uint8_t> big(64 * 1024, 7);
  std::string message;
  {
    FileSizeLimit limit(1024);
    ASSERT_TRUE(limit.ok());
    message = error_of([&] { write_file_atomic(dir.file("out"), big, Overwrite::kAllow); });
  }
  EXPECT_EQ(message, dir.file("out") + ": write failed: File too large");
  EXPECT_TRUE(dir.entries().empty());
}

TEST(WriteFileAtomic, FailedWriteKeepsOldFile) {
  TempDir dir;
  write_plain(dir.file("out"), "old");
  std::vector<uint8_t> big(64 * 1024, 7);
  {
    FileSizeLimit limit(1024);
    ASSERT_TRUE(limit.ok());
    EXPECT_NE(error_of([&] { write_file_atomic(dir.file("out"), big, Overwrite::kAllow); }), "");
  }
  EXPECT_EQ(read_plain(dir.file("out")), "old");
  EXPECT_EQ(dir.entries(), Entries{"out"});
}

TEST(FileExists, SeesFilesAndDanglingLinks) {
  TempDir dir;
  EXPECT_FALSE(file_exists(dir.file("a")));
  write_plain(dir.file("a"), "");
  EXPECT_TRUE(file_exists(dir.file("a")));
  ASSERT_EQ(::symlink(dir.file("nowhere").c_str(), dir.file("link").c_str()), 0);
  EXPECT_TRUE(file_exists(dir.file("link")));
}

}  // namespace
}  // namespace qc
