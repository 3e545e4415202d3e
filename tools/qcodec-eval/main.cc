// qcodec-eval: rate-distortion evaluation of qcodec and the baseline codecs on
// a folder of images. Thin: parses options, calls eval/, writes the results.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <thread>

#include "base/error.h"
#include "base/file_io.h"
#include "eval/anchors.h"
#include "eval/codec_adapter.h"
#include "eval/curve.h"
#include "eval/dataset.h"
#include "eval/evaluation.h"
#include "eval/qcodec_adapter.h"
#include "eval/rd_plot.h"
#include "eval/report.h"
#include "nn/default_model.h"

namespace {

void write_text(const std::string& path, const std::string& text) {
  qc::write_file_atomic(path, reinterpret_cast<const uint8_t*>(text.data()), text.size(),
                        qc::Overwrite::kAllow);
}

std::string read_text(const std::string& path) {
  std::vector<uint8_t> bytes = qc::read_file(path, size_t{64} << 20);
  return std::string(bytes.begin(), bytes.end());
}

std::string default_name(const std::string& dataset_dir) {
  std::string name = std::filesystem::path(dataset_dir).lexically_normal().filename().string();
  if (name.empty()) name = std::filesystem::path(dataset_dir).parent_path().filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

qc::PlotPanel panel(const std::string& y_label, const std::vector<qc::Curve>& curves,
                    const std::vector<qc::PublishedCurve>& published, bool msssim) {
  qc::PlotPanel p{y_label, {}};
  for (const qc::Curve& c : curves) {
    p.series.push_back({c.label, c.codec == "qcodec" ? qc::SeriesKind::kOurs : qc::SeriesKind::kBaseline,
                        msssim ? c.msssim_db_points() : c.psnr_points()});
  }
  for (const qc::PublishedCurve& c : published) {
    const std::vector<qc::RdPoint>& points = msssim ? c.msssim_db : c.psnr;
    if (!points.empty()) p.series.push_back({c.label + " [published]", qc::SeriesKind::kPublished, points});
  }
  return p;
}

int run(int argc, char** argv) {
  CLI::App app{"qcodec-eval: rate-distortion evaluation against baseline codecs"};
  std::string dataset_dir, name, out_dir = "eval-out", anchors_dir, model_path;
  std::vector<double> rates = {0.0625, 0.125, 0.25, 0.5, 0.75, 1.0, 2.0};
  std::vector<std::string> baselines = qc::baseline_names();
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  app.add_option("--dataset", dataset_dir, "Folder of PNG/JPEG images")->required();
  app.add_option("--name", name, "Dataset name for reports and anchors (default: folder name)");
  app.add_option("--bpp", rates, "qcodec target rates, comma-separated")->delimiter(',');
  app.add_option("--baselines", baselines,
                 "Baselines, comma-separated, or 'none' (default: all of jpeg,webp,jpeg2000,"
                 "avif444,avif420,jxl)")
      ->delimiter(',');
  app.add_option("--out", out_dir, "Output folder (default: eval-out)");
  app.add_option("--threads", threads, "Parallel jobs (default: all cores)")->check(CLI::Range(1, 1024));
  app.add_option("--anchors", anchors_dir, "Folder of published curves to plot (shared/data/anchors)");
  bool skip_qcodec = false;
  app.add_flag("--no-qcodec", skip_qcodec, "Evaluate the baselines only");
  std::string baseline_rows;
  app.add_option("--baseline-rows", baseline_rows,
                 "Take the baselines' rows from an earlier per_image.csv instead of running them");
  qc::MsssimConvention convention = qc::MsssimConvention::kTensorFlow;
  app.add_option("--msssim-convention", convention,
                 "How MS-SSIM pools an odd side: tf (tf.image.ssim_multiscale, the default) or "
                 "pytorch (pytorch_msssim); rows reused by --baseline-rows must have been measured "
                 "the same way")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, qc::MsssimConvention>{{"tf", qc::MsssimConvention::kTensorFlow},
                                                      {"pytorch", qc::MsssimConvention::kPytorch}},
          CLI::ignore_case));
  app.add_option("--model", model_path,
                 "qcodec .qcm model (default: the built-in model, if this build has one)");
  CLI11_PARSE(app, argc, argv);
  if (name.empty()) name = default_name(dataset_dir);
  for (double r : rates) {
    if (!(r > 0)) throw qc::Error("--bpp: rates must be positive");
  }

  std::vector<std::unique_ptr<qc::CodecAdapter>> codecs;
  const qc::EmbeddedBytes embedded = qc::default_model_bytes();
  if (!skip_qcodec && !model_path.empty()) {
    codecs.push_back(qc::make_qcodec_adapter(qc::model_from_file(model_path), rates));
  } else if (!skip_qcodec && embedded.size > 0) {
    codecs.push_back(
        qc::make_qcodec_adapter(qc::model_from_bytes(embedded.data, embedded.size, "built-in model"), rates));
  } else if (!skip_qcodec) {
    std::fprintf(stderr, "qcodec-eval: no --model and no built-in model: baselines only\n");
  }
  if (!(baselines.size() == 1 && baselines[0] == "none")) {
    for (const std::string& b : baselines) codecs.push_back(qc::make_baseline(b));
  }
  if (codecs.empty()) throw qc::Error("qcodec-eval: nothing to evaluate");
  std::vector<const qc::CodecAdapter*> codec_list;
  for (const auto& c : codecs) codec_list.push_back(c.get());

  std::vector<qc::DatasetImage> images = qc::load_dataset(dataset_dir);
  std::vector<qc::PublishedCurve> published;
  if (!anchors_dir.empty()) published = qc::load_published_curves(anchors_dir, name);
  std::filesystem::create_directories(out_dir);
  std::fprintf(stderr, "qcodec-eval: %zu images, %zu codecs, %d threads\n", images.size(), codecs.size(),
               threads);

  // Codecs whose rows come from an earlier run are measured no more.
  std::vector<qc::Measurement> reused;
  std::vector<const qc::CodecAdapter*> to_run = codec_list;
  if (!baseline_rows.empty()) {
    for (const qc::Measurement& m : qc::measurements_from_csv(read_text(baseline_rows), baseline_rows)) {
      if (m.codec != "qcodec") reused.push_back(m);
    }
    to_run.erase(std::remove_if(to_run.begin(), to_run.end(),
                                [&](const qc::CodecAdapter* c) {
                                  return std::any_of(
                                      reused.begin(), reused.end(),
                                      [&](const qc::Measurement& m) { return m.codec == c->name(); });
                                }),
                 to_run.end());
  }
  std::vector<qc::Measurement> rows =
      qc::evaluate(images, to_run, {threads, isatty(STDERR_FILENO) == 1, convention});
  rows.insert(rows.end(), reused.begin(), reused.end());
  write_text(out_dir + "/per_image.csv", qc::measurements_csv(rows));

  std::vector<qc::Curve> curves;
  for (const qc::CodecAdapter* c : codec_list) {
    curves.push_back(qc::average_curve(*c, rows));
    write_text(out_dir + "/" + c->name() + ".json", qc::curve_json(curves.back(), name).dump(2) + "\n");
  }
  if (curves.front().codec == "qcodec" && curves.size() > 1) {
    std::vector<qc::Curve> others(curves.begin() + 1, curves.end());
    write_text(out_dir + "/bd_rate.json", qc::bd_rate_json(curves.front(), others).dump(2) + "\n");
  }
  double max_bpp = *std::max_element(rates.begin(), rates.end()) * 1.25;
  write_text(out_dir + "/rd.svg",
             qc::rd_plot_svg(name + ": rate-distortion (" + std::to_string(images.size()) + " images)",
                             {panel("MS-SSIM (dB)", curves, published, true),
                              panel("PSNR (dB)", curves, published, false)},
                             max_bpp));
  const std::string summary =
      std::string("MS-SSIM convention: ") + qc::convention_name(convention) + "\n" + qc::summary_text(curves);
  write_text(out_dir + "/summary.txt", summary);
  std::printf("%s", summary.c_str());
  std::fprintf(stderr, "qcodec-eval: results in %s\n", out_dir.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
