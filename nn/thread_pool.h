// A fixed set of worker threads for the runtime's data-parallel loops. Work
// items are independent and each is computed the same way whichever thread
// takes it, so results never depend on the thread count.
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace qc {

class ThreadPool {
 public:
  explicit ThreadPool(int threads);  // 0 = all cores
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }
  // Runs fn(worker, i) for every i in [0, n); worker is in [0, size()).
  // The calling thread takes part; returns when all items are done.
  void parallel_for(int n, const std::function<void(int worker, int index)>& fn);

 private:
  void work(int worker);
  void run_items(int worker);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(int, int)>* fn_ = nullptr;
  int items_ = 0, next_ = 0, busy_ = 0;
  unsigned generation_ = 0;
  bool stop_ = false;
};

}  // namespace qc
