#include "base/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/error.h"
#include "base/pending_file.h"

namespace qc {
namespace {

std::string errno_text() { return std::strerror(errno); }

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

}  // namespace

bool file_exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

std::vector<uint8_t> read_file(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) throw Error(path + ": cannot open: " + errno_text(), ErrorKind::kIo);
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) throw Error(path + ": cannot stat: " + errno_text(), ErrorKind::kIo);
  if (!S_ISREG(st.st_mode)) throw Error(path + ": not a regular file", ErrorKind::kIo);
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    throw Error(path + ": file is " + std::to_string(st.st_size) + " bytes, over the limit of " +
                    std::to_string(max_bytes),
                ErrorKind::kOverLimit);
  }
  std::vector<uint8_t> data(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::read(fd.get(), data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(path + ": read failed: " + errno_text(), ErrorKind::kIo);
    if (n == 0) break;  // the file shrank while we read it
    done += static_cast<size_t>(n);
  }
  data.resize(done);
  return data;
}

void write_file_atomic(const std::string& path, const uint8_t* data, size_t size, Overwrite overwrite) {
  if (overwrite == Overwrite::kRefuse && file_exists(path)) {
    throw Error(path + ": already exists (use -f to overwrite)");
  }
  std::string tmp = path + ".XXXXXX";
  FileDescriptor fd(::mkstemp(tmp.data()));
  if (fd.get() < 0) throw Error(path + ": cannot create temporary file: " + errno_text(), ErrorKind::kIo);
  const PendingFile pending(tmp);  // a SIGINT or SIGTERM from here on removes tmp
  auto fail = [&](const std::string& what) {
    int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    throw Error(path + ": " + what + ": " + errno_text(), ErrorKind::kIo);
  };
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd.get(), data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail("write failed");
    done += static_cast<size_t>(n);
  }
  if (::fchmod(fd.get(), 0644) != 0) fail("chmod failed");
  if (::fsync(fd.get()) != 0) fail("fsync failed");
  if (::close(fd.release()) != 0) fail("close failed");
  if (overwrite == Overwrite::kRefuse) {
    // link() fails if path appeared meanwhile, so a concurrent file is never clobbered.
    if (::link(tmp.c_str(), path.c_str()) != 0) fail("cannot create");
    ::unlink(tmp.c_str());
  } else if (::rename(tmp.c_str(), path.c_str()) != 0) {
    fail("cannot rename into place");
  }
}

}  // namespace qc
