#include "tools/qcodec-bench/bench.h"

#include <sys/resource.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <random>
#include <sstream>

#include "nn/cpu_dispatch.h"
#include "nn/packed_conv.h"
#include "nn/runtime_graph.h"
#include "nn/thread_pool.h"
#include "tools/qcodec-bench/int8_peak.h"
#include "train/torch_reference.h"

namespace qc {
namespace {

// The machine is shared (a training run uses both cores), so single-thread
// runs are timed by the CPU time of the calling thread, which does all of
// their work and is not charged for time spent descheduled; multi-thread runs
// can only be timed by the wall clock (best of the repeats).
double seconds_of(int threads, const std::function<void()>& fn) {
  if (threads == 1) {
    const double start = thread_cpu_seconds();
    fn();
    return thread_cpu_seconds() - start;
  }
  auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Best of `repeats` after one warm-up run.
double best_seconds(int repeats, int threads, const std::function<void()>& fn) {
  fn();
  double best = 1e30;
  for (int r = 0; r < repeats; ++r) best = std::min(best, seconds_of(threads, fn));
  return best;
}

struct Timing {
  int threads;
  double ours, torch;  // seconds
  double kernel = 0;   // layers only: the binary kernel alone (PackedConv::count_row), seconds
};

struct LayerResult {
  std::string name;
  int in_h, in_w, out_h, out_w;
  double macs;  // binary MACs, bases counted
  std::vector<Timing> timings;
};

struct NetworkResult {
  std::string label;
  double macs;  // per coding iteration
  std::vector<Timing> timings;
  std::vector<std::pair<std::string, double>> isa_seconds;  // 1 thread, isa_size image
  int isa_size;
  double isa_macs;
};

// Input height/width of every layer for an image of height x width.
std::map<std::string, std::pair<int, int>> layer_inputs(const RuntimeNetwork& net, int height, int width) {
  std::map<std::string, std::pair<int, int>> in;
  auto next = [&](const std::string& name, std::pair<int, int> s) {
    const PackedConv& conv = net.conv(name);
    return std::make_pair(conv.out_size(s.first), conv.out_size(s.second));
  };
  std::pair<int, int> s{height, width};
  in["enc.conv"] = s;
  s = next("enc.conv", s);
  for (int k = 0; k < 3; ++k) {
    in[enc_cell_name(k) + ".input"] = s;
    s = next(enc_cell_name(k) + ".input", s);
    in[enc_cell_name(k) + ".hidden"] = s;
  }
  in["binarizer"] = s;
  in["dec.conv"] = s;
  for (int k = 0; k < 4; ++k) {
    in[dec_cell_name(k) + ".input"] = s;
    in[dec_cell_name(k) + ".hidden"] = s;
    s = {s.first * 2, s.second * 2};
  }
  in["dec.out"] = s;
  return in;
}

std::vector<float> smooth_image(int height, int width) {
  std::vector<float> x(3 * static_cast<size_t>(height) * width);
  for (size_t i = 0; i < x.size(); ++i)
    x[i] = 0.4f * static_cast<float>((i * 2654435761u) % 1000) / 1000 - 0.2f;
  return x;
}

LayerResult bench_layer(const PackedConv& conv, const LayerSpec& spec, const QuantLayer& layer,
                        std::pair<int, int> in_size, const BenchOptions& o) {
  LayerResult r{spec.name,
                in_size.first,
                in_size.second,
                conv.out_size(in_size.first),
                conv.out_size(in_size.second),
                0,
                {}};
  r.macs = static_cast<double>(conv.macs_per_pixel()) * r.out_h * r.out_w;
  QuantizedTensor in;
  in.reset(r.in_h, r.in_w, spec.in_channels, conv.pad());
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> pixel(spec.in_channels);
  for (int y = 0; y < r.in_h; ++y)
    for (int x = 0; x < r.in_w; ++x) {
      for (float& v : pixel) v = u(rng);
      in.store(y, x, pixel.data(), 1, conv.input_scale());
    }
  torch::Tensor xt = torch::rand({1, spec.in_channels, r.in_h, r.in_w}) * 2 - 1;
  torch::Tensor w = dequantized_weight(spec, layer);
  torch::Tensor b = layer.bias.empty() ? torch::Tensor() : torch::ones({spec.out_channels});
  for (int threads : o.threads) {
    ThreadPool pool(threads);
    std::vector<std::vector<float>> out(pool.size(), std::vector<float>(size_t(r.out_w) * spec.out_channels));
    std::vector<KernelScratch> scratch(pool.size());
    double ours = best_seconds(o.repeats, threads, [&] {
      pool.parallel_for(r.out_h,
                        [&](int worker, int y) { conv.run_row(in, y, out[worker].data(), scratch[worker]); });
    });
    double kernel = best_seconds(o.repeats, threads, [&] {
      pool.parallel_for(r.out_h, [&](int worker, int y) { conv.count_row(in, y, scratch[worker]); });
    });
    torch::set_num_threads(threads);
    double ref =
        best_seconds(o.repeats, threads, [&] { torch::conv2d(xt, w, b, spec.stride, spec.kernel / 2); });
    r.timings.push_back({threads, ours, ref, kernel});
  }
  return r;
}

// Seconds per coding iteration (encode + decode), after the first.
double runtime_iteration_seconds(const RuntimeNetwork& net, int height, int width, int repeats, int threads) {
  EncoderState enc(net, height, width);
  DecoderState dec(net, height, width);
  std::vector<float> x = smooth_image(height, width), x_hat(x.size(), 0.0f), residual(x.size());
  std::vector<int8_t> bits(static_cast<size_t>(net.config().code_channels) * (height / 16) * (width / 16));
  auto iteration = [&] {
    for (size_t i = 0; i < x.size(); ++i) residual[i] = x[i] - x_hat[i];
    enc.step(residual.data(), bits.data());
    dec.step(bits.data(), x_hat.data());
  };
  return best_seconds(repeats, threads, iteration);
}

double torch_iteration_seconds(const QcmModel& model, int height, int width, int repeats, int threads) {
  TorchReference ref(model, false);
  std::vector<float> xv = smooth_image(height, width);
  torch::Tensor x = torch::from_blob(xv.data(), {1, 3, height, width}).clone();
  torch::Tensor x_hat = torch::zeros_like(x);
  auto iteration = [&] { x_hat = x_hat + ref.decode_step(ref.encode_step(x - x_hat)); };
  return best_seconds(repeats, threads, iteration);
}

template <class... Args>
std::string fmt(const char* f, Args... args) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

std::string run_bench(const std::vector<BenchModel>& models, const BenchOptions& o, bool json) {
  torch::NoGradGuard no_grad;
  const Isa isa_in_use = active_isa();  // the best, or QC_ISA
  const double mhz = cpuinfo_mhz();
  std::map<int, double> peak;
  for (int t : o.threads) peak[t] = measured_int8_peak(isa_in_use, t);

  std::vector<std::pair<std::string, std::vector<LayerResult>>> layer_results;
  std::vector<NetworkResult> network_results;
  for (const BenchModel& m : models) {
    force_isa(isa_in_use);
    RuntimeNetwork net(m.model, {1, ActivationMode::kInt8});
    auto inputs = layer_inputs(net, o.height, o.width);
    std::vector<LayerResult> per_layer;
    NetworkResult nr{m.label, 0, {}, {}, 128, 0};
    for (size_t i = 0; i < net.specs().size(); ++i) {
      const LayerSpec& spec = net.specs()[i];
      per_layer.push_back(bench_layer(net.convs()[i], spec, m.model.layers[i], inputs[spec.name], o));
      nr.macs += per_layer.back().macs;
    }
    layer_results.emplace_back(m.label, per_layer);
    for (int threads : o.threads) {
      RuntimeNetwork threaded(m.model, {threads, ActivationMode::kInt8});
      torch::set_num_threads(threads);
      nr.timings.push_back({threads,
                            runtime_iteration_seconds(threaded, o.height, o.width, o.repeats, threads),
                            torch_iteration_seconds(m.model, o.height, o.width, o.repeats, threads)});
    }
    nr.isa_macs = nr.macs * nr.isa_size * nr.isa_size / (double(o.height) * o.width);
    for (Isa isa : supported_isas()) {
      force_isa(isa);
      nr.isa_seconds.emplace_back(isa_name(isa),
                                  runtime_iteration_seconds(net, nr.isa_size, nr.isa_size, 1, 1));
    }
    force_isa(isa_in_use);
    network_results.push_back(nr);
  }

  std::ostringstream s;
  auto frac = [&](double macs, double sec, int threads) {
    return peak[threads] > 0 ? macs / sec / peak[threads] : 0.0;
  };
  if (json) {
    s << "{\"isa\": " << quoted(isa_name(isa_in_use))
      << ", \"peak_instruction\": " << quoted(peak_instruction(isa_in_use)) << ", \"image\": [" << o.width
      << ", " << o.height << "], \"cpu_mhz\": " << mhz << ", \"int8_peak_gmacs\": {";
    bool first = true;
    for (auto& [t, p] : peak)
      s << (first ? "" : ", ") << quoted(std::to_string(t)) << ": " << p / 1e9, first = false;
    s << "}, \"models\": [";
    for (size_t m = 0; m < network_results.size(); ++m) {
      const NetworkResult& nr = network_results[m];
      s << (m ? ", " : "") << "{\"label\": " << quoted(nr.label)
        << ", \"gmac_per_iteration\": " << nr.macs / 1e9 << ", \"network\": [";
      for (size_t i = 0; i < nr.timings.size(); ++i) {
        const Timing& t = nr.timings[i];
        s << (i ? ", " : "") << "{\"threads\": " << t.threads << ", \"ours_s\": " << t.ours
          << ", \"torch_s\": " << t.torch << ", \"ours_gmacs\": " << nr.macs / t.ours / 1e9
          << ", \"fraction_of_int8_peak\": " << frac(nr.macs, t.ours, t.threads) << "}";
      }
      s << "], \"isa_1thread_" << nr.isa_size << "px\": {";
      for (size_t i = 0; i < nr.isa_seconds.size(); ++i)
        s << (i ? ", " : "") << quoted(nr.isa_seconds[i].first) << ": " << nr.isa_seconds[i].second;
      s << "}, \"layers\": [";
      const auto& layers = layer_results[m].second;
      for (size_t l = 0; l < layers.size(); ++l) {
        const LayerResult& r = layers[l];
        s << (l ? ", " : "") << "{\"name\": " << quoted(r.name) << ", \"out\": [" << r.out_w << ", "
          << r.out_h << "], \"gmac\": " << r.macs / 1e9 << ", \"timings\": [";
        for (size_t i = 0; i < r.timings.size(); ++i) {
          const Timing& t = r.timings[i];
          s << (i ? ", " : "") << "{\"threads\": " << t.threads << ", \"ours_s\": " << t.ours
            << ", \"torch_s\": " << t.torch << ", \"ours_gmacs\": " << r.macs / t.ours / 1e9
            << ", \"fraction_of_int8_peak\": " << frac(r.macs, t.ours, t.threads)
            << ", \"kernel_s\": " << t.kernel
            << ", \"kernel_fraction_of_int8_peak\": " << frac(r.macs, t.kernel, t.threads) << "}";
        }
        s << "]}";
      }
      s << "]}";
    }
    s << "]}\n";
    return s.str();
  }

  s << "qcodec-bench: packed int8 runtime (" << isa_name(isa_in_use) << ") vs LibTorch float (oneDNN), image "
    << o.width << "x" << o.height << ", best of " << o.repeats
    << "; 1 thread: CPU time of the thread, more threads: wall time (the machine is shared)\n";
  s << "int8 peak, measured (" << peak_instruction(isa_in_use) << " stream): ";
  for (auto& [t, p] : peak)
    s << t << " thread" << (t > 1 ? "s " : " ") << fmt("%.1f", p / 1e9) << " GMAC/s  ";
  if (mhz > 0 && peak.count(1))
    s << "(= " << fmt("%.1f", peak[1] / (mhz * 1e6)) << " MAC/cycle/core at " << fmt("%.0f", mhz)
      << " MHz from /proc/cpuinfo)";
  s << "\n";
  for (size_t m = 0; m < network_results.size(); ++m) {
    const NetworkResult& nr = network_results[m];
    s << "\nmodel: " << nr.label << "  (" << fmt("%.2f", nr.macs / 1e9) << " GMAC per coding iteration)\n";
    s << fmt("%-20s", "layer") << fmt("%12s", "out") << fmt("%9s", "GMAC");
    for (int t : o.threads)
      s << fmt("   | %dT", t) << fmt("%8s", "ms") << fmt("%8s", "GMAC/s") << fmt("%7s", "peak")
        << fmt("%10s", "kernel ms") << fmt("%7s", "peak") << fmt("%10s", "torch ms");
    s << "\n";
    for (const LayerResult& r : layer_results[m].second) {
      s << r.name << std::string(std::max<int>(1, 20 - r.name.size()), ' ')
        << fmt("%12s", (std::to_string(r.out_w) + "x" + std::to_string(r.out_h)).c_str())
        << fmt("%9.3f", r.macs / 1e9);
      for (const Timing& t : r.timings)
        s << "   |   " << fmt("%8.2f", t.ours * 1e3) << fmt("%8.1f", r.macs / t.ours / 1e9)
          << fmt("%6.0f%%", 100 * frac(r.macs, t.ours, t.threads)) << fmt("%10.2f", t.kernel * 1e3)
          << fmt("%6.0f%%", 100 * frac(r.macs, t.kernel, t.threads)) << fmt("%10.2f", t.torch * 1e3);
      s << "\n";
    }
    for (size_t i = 0; i < o.threads.size(); ++i) {
      double kernel_seconds = 0;
      for (const LayerResult& r : layer_results[m].second) kernel_seconds += r.timings[i].kernel;
      s << "kernels alone, " << o.threads[i] << " thread(s): " << fmt("%.1f", kernel_seconds * 1e3)
        << " ms/iteration (" << fmt("%.0f", 100 * frac(nr.macs, kernel_seconds, o.threads[i]))
        << "% of int8 peak)\n";
    }
    for (const Timing& t : nr.timings)
      s << "network, " << t.threads << " thread(s): ours " << fmt("%.1f", t.ours * 1e3) << " ms/iteration ("
        << fmt("%.1f", nr.macs / t.ours / 1e9) << " GMAC/s, "
        << fmt("%.0f", 100 * frac(nr.macs, t.ours, t.threads)) << "% of int8 peak), torch float "
        << fmt("%.1f", t.torch * 1e3) << " ms/iteration, speed-up " << fmt("%.2f", t.torch / t.ours) << "x\n";
    s << "network per ISA, 1 thread, " << nr.isa_size << "x" << nr.isa_size << ":";
    for (auto& [isa, sec] : nr.isa_seconds)
      s << "  " << isa << " " << fmt("%.1f", sec * 1e3) << " ms (" << fmt("%.1f", nr.isa_macs / sec / 1e9)
        << " GMAC/s)";
    s << "\n";
  }
  return s.str();
}

std::string run_memory_bench(const BenchModel& m, const BenchOptions& o, bool json) {
  const int h = o.memory_height, w = o.memory_width;
  auto peak_rss_mb = [] {
    rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024.0;
  };
  const int threads = o.threads.back();
  RuntimeNetwork net(m.model, {threads, ActivationMode::kInt8});
  const double rss_before = peak_rss_mb();
  std::vector<float> x = smooth_image(h, w), x_hat(x.size(), 0.0f), residual(x.size());
  std::vector<int8_t> bits(static_cast<size_t>(net.config().code_channels) * (h / 16) * (w / 16));
  EncoderState enc(net, h, w);
  DecoderState dec(net, h, w);
  const double seconds = seconds_of(0, [&] {
    for (size_t i = 0; i < x.size(); ++i) residual[i] = x[i] - x_hat[i];
    enc.step(residual.data(), bits.data());
    dec.step(bits.data(), x_hat.data());
  });
  const double image_mb = 3.0 * x.size() * sizeof(float) / 1048576.0;
  std::ostringstream s;
  if (json) {
    s << "{\"model\": " << quoted(m.label) << ", \"image\": [" << w << ", " << h
      << "], \"threads\": " << threads << ", \"iteration_s\": " << seconds
      << ", \"encoder_state_mb\": " << enc.state_bytes() / 1048576.0
      << ", \"decoder_state_mb\": " << dec.state_bytes() / 1048576.0 << ", \"image_buffers_mb\": " << image_mb
      << ", \"peak_rss_mb_before\": " << rss_before << ", \"peak_rss_mb\": " << peak_rss_mb() << "}\n";
  } else {
    s << "memory run, " << m.label << ", " << w << "x" << h << ", " << threads
      << " thread(s): one coding iteration " << fmt("%.1f", seconds) << " s; encoder state "
      << fmt("%.0f", enc.state_bytes() / 1048576.0) << " MiB, decoder state "
      << fmt("%.0f", dec.state_bytes() / 1048576.0) << " MiB, x/x_hat/residual " << fmt("%.0f", image_mb)
      << " MiB; peak RSS " << fmt("%.0f", rss_before) << " MiB before, " << fmt("%.0f", peak_rss_mb())
      << " MiB after\n";
  }
  return s.str();
}

}  // namespace qc
