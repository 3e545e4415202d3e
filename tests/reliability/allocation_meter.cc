#include "tests/reliability/allocation_meter.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<size_t> held{0};
std::atomic<size_t> most_held{0};

// Each block carries its size in a header of kHeader bytes (enough for any
// fundamental alignment).
constexpr size_t kHeader = alignof(std::max_align_t);

void* allocate(size_t size) {
  void* block = std::malloc(size + kHeader);
  if (!block) return nullptr;
  *static_cast<size_t*>(block) = size;
  const size_t now = held.fetch_add(size) + size;
  size_t most = most_held.load();
  while (now > most && !most_held.compare_exchange_weak(most, now)) {
  }
  return static_cast<char*>(block) + kHeader;
}

void release(void* p) {
  if (!p) return;
  void* block = static_cast<char*>(p) - kHeader;
  held.fetch_sub(*static_cast<size_t*>(block));
  std::free(block);
}

void* allocate_or_throw(size_t size) {
  if (void* p = allocate(size)) return p;
  throw std::bad_alloc();
}

}  // namespace

void* operator new(size_t size) { return allocate_or_throw(size); }
void* operator new[](size_t size) { return allocate_or_throw(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void* operator new[](size_t size, const std::nothrow_t&) noexcept { return allocate(size); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, size_t) noexcept { release(p); }
void operator delete[](void* p, size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }

namespace qc::testing {

AllocationMeter::AllocationMeter() : start_(held.load()) { most_held.store(start_); }

size_t AllocationMeter::peak() const { return most_held.load() - start_; }

}  // namespace qc::testing
