// std::vector whose data starts on a 64-byte cache line. The AMX kernel
// loads and stores 64-byte tile rows (inputs, weights, counts): in a buffer
// malloc places 16 bytes past a line, every row spans two lines (the
// kernels took 67 ms per iteration instead of 37, docs/SPEED.md).
#pragma once
#include <cstddef>
#include <new>
#include <vector>

namespace qc {

template <class T>
struct CacheLineAllocator {
  using value_type = T;
  static constexpr std::align_val_t kAlignment{64};

  CacheLineAllocator() = default;
  template <class U>
  CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), kAlignment)); }
  void deallocate(T* p, size_t) { ::operator delete(p, kAlignment); }
  template <class U>
  bool operator==(const CacheLineAllocator<U>&) const { return true; }
  template <class U>
  bool operator!=(const CacheLineAllocator<U>&) const { return false; }
};

template <class T>
using CacheLineVector = std::vector<T, CacheLineAllocator<T>>;

}  // namespace qc
