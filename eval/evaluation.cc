#include "eval/evaluation.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

#include "base/error.h"
#include "eval/progress.h"
#include "metrics/metrics.h"

namespace qc {
namespace {

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

struct Job {
  const CodecAdapter* codec;
  double setting;
  const DatasetImage* image;
};

std::string describe(const Job& job) {
  return job.codec->name() + " " + job.codec->setting_name() + " " + std::to_string(job.setting) + " on " +
         job.image->name;
}

}  // namespace

Measurement measure(const CodecAdapter& codec, double setting, const DatasetImage& image,
                    MsssimConvention convention) {
  Measurement m;
  m.codec = codec.name();
  m.setting = setting;
  m.image = image.name;
  auto start = std::chrono::steady_clock::now();
  std::vector<uint8_t> bytes = codec.encode(image.rgb, setting);
  m.encode_ms = milliseconds_since(start);
  start = std::chrono::steady_clock::now();
  Image decoded = codec.decode(bytes);
  m.decode_ms = milliseconds_since(start);
  m.bytes = bytes.size();
  m.bpp = 8.0 * static_cast<double>(bytes.size()) / (static_cast<double>(image.rgb.width) * image.rgb.height);
  m.msssim = ms_ssim(image.rgb, decoded, convention);
  m.msssim_db = msssim_db(m.msssim);
  m.psnr = psnr(image.rgb, decoded);
  return m;
}

std::vector<Measurement> evaluate(const std::vector<DatasetImage>& images,
                                  const std::vector<const CodecAdapter*>& codecs,
                                  const EvaluationOptions& options) {
  std::vector<Job> jobs;
  for (const CodecAdapter* codec : codecs) {
    for (double setting : codec->settings()) {
      for (const DatasetImage& image : images) jobs.push_back({codec, setting, &image});
    }
  }
  std::vector<Measurement> results(jobs.size());
  ProgressBar progress(jobs.size(), options.show_progress);
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;
  auto worker = [&] {
    for (size_t i; !failed && (i = next++) < jobs.size();) {
      try {
        results[i] = measure(*jobs[i].codec, jobs[i].setting, *jobs[i].image, options.convention);
        progress.advance(describe(jobs[i]));
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(error_mutex);
        if (!failed.exchange(true)) {
          first_error = std::make_exception_ptr(Error(describe(jobs[i]) + ": " + e.what()));
        }
      }
    }
  };
  int threads = std::max(1, std::min<int>(options.threads, static_cast<int>(jobs.size())));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  progress.finish();
  if (first_error) std::rethrow_exception(first_error);
  return results;
}

}  // namespace qc
