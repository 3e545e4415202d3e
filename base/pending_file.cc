#include "base/pending_file.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace qc {
namespace {

// A fixed table, so that the signal handler touches no allocator and no lock:
// it reads a slot's path only after seeing the slot marked kActive.
constexpr int kSlots = 16;
constexpr size_t kMaxPath = 4096;
enum SlotState : int { kFree, kFilling, kActive };

struct Slot {
  std::atomic<int> state{kFree};
  char path[kMaxPath];
};
Slot slots[kSlots];
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

constexpr int kFatalSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGXFSZ};

void remove_pending_files(int signal_number) {
  for (Slot& slot : slots) {
    if (slot.state.load() == kActive) ::unlink(slot.path);
  }
  // SA_RESETHAND has restored the default action; the signal is blocked until
  // this handler returns, and then ends the process as it would have.
  ::raise(signal_number);
}

void install_handlers() {
  for (int signal_number : kFatalSignals) {
    struct sigaction current;
    if (::sigaction(signal_number, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) {
      continue;
    }
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = remove_pending_files;
    action.sa_flags = SA_RESETHAND;
    sigfillset(&action.sa_mask);  // no other handler runs while files are removed
    ::sigaction(signal_number, &action, nullptr);
  }
}

}  // namespace

PendingFile::PendingFile(const std::string& path) : slot_(-1) {
  static std::once_flag installed;
  std::call_once(installed, install_handlers);
  if (path.size() >= kMaxPath) return;
  for (int i = 0; i < kSlots; ++i) {
    int expected = kFree;
    if (slots[i].state.compare_exchange_strong(expected, kFilling)) {
      std::memcpy(slots[i].path, path.c_str(), path.size() + 1);
      slots[i].state.store(kActive);
      slot_ = i;
      return;
    }
  }
}

PendingFile::~PendingFile() {
  if (slot_ >= 0) slots[slot_].state.store(kFree);
}

}  // namespace qc
