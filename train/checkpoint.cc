#include "train/checkpoint.h"

#include <vector>

#include "base/error.h"
#include "base/file_io.h"
#include "train/trainer.h"

namespace qc {
namespace {

torch::Tensor encode_arch(CodecNet& model) {
  const ArchConfig& c = model->config();
  std::vector<int64_t> v = {static_cast<int64_t>(c.cell),
                            c.enc_conv,
                            c.code_channels,
                            c.dec_conv,
                            c.input_kernel,
                            c.hidden_kernel,
                            c.iterations,
                            c.priming};
  v.insert(v.end(), std::begin(c.enc_cells), std::end(c.enc_cells));
  v.insert(v.end(), std::begin(c.dec_cells), std::end(c.dec_cells));
  for (size_t i = 0; i < model->specs().size(); ++i) v.push_back(model->bases(i));
  v.push_back(static_cast<int64_t>(model->quantizer()->mode()));  // how export binarizes
  return torch::tensor(v, torch::kInt64);
}

// `reconstruction` holds the optional one_shot, freeze_stopped, freeze_grace
// and residual_gains entries.
CodecNet decode_arch(const torch::Tensor& t, const ArchConfig& reconstruction, const std::string& path) {
  auto v = t.to(torch::kInt64).contiguous();
  const int64_t* p = v.data_ptr<int64_t>();
  const int64_t fixed = 8 + 3 + 4;
  if (v.numel() < fixed) throw Error(path + ": checkpoint has no valid architecture");
  ArchConfig c;
  c.cell = static_cast<CellType>(p[0]);
  c.enc_conv = p[1];
  c.code_channels = p[2];
  c.dec_conv = p[3];
  c.input_kernel = p[4];
  c.hidden_kernel = p[5];
  c.iterations = p[6];
  c.priming = p[7];
  for (int k = 0; k < 3; ++k) c.enc_cells[k] = p[8 + k];
  for (int k = 0; k < 4; ++k) c.dec_cells[k] = p[11 + k];
  c.one_shot = reconstruction.one_shot;
  c.freeze_stopped = reconstruction.freeze_stopped;
  c.freeze_grace = reconstruction.freeze_grace;
  c.residual_gains = reconstruction.residual_gains;
  CodecNet model{nullptr};
  try {
    model = CodecNet(c);  // validates c
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  const int64_t layers = static_cast<int64_t>(model->specs().size());
  // Checkpoints written before the quantizer mode was stored end after the bases.
  if (v.numel() != fixed + layers && v.numel() != fixed + layers + 1) {
    throw Error(path + ": checkpoint architecture does not match its layer list");
  }
  for (int64_t i = 0; i < layers; ++i) model->set_bases(i, p[fixed + i]);
  if (v.numel() == fixed + layers + 1) {
    const int64_t mode = p[fixed + layers];
    if (mode < 0 || mode > static_cast<int64_t>(QuantMode::kAlq)) {
      throw Error(path + ": checkpoint has an unknown quantizer mode");
    }
    model->quantizer()->set_mode(static_cast<QuantMode>(mode));
  }
  return model;
}

// Adam's state of every parameter that has one (none before the first step).
template <typename F>
void for_each_adam_state(torch::optim::Optimizer& optimizer, F f) {
  for (auto& group : optimizer.param_groups()) {
    for (auto& p : group.params()) {
      auto it = optimizer.state().find(c10::guts::to_string(p.unsafeGetTensorImpl()));
      if (it == optimizer.state().end()) continue;
      auto* adam = dynamic_cast<torch::optim::AdamParamState*>(it->second.get());
      if (adam == nullptr) throw Error("checkpoint optimizer state is not Adam's");
      f(p, *adam);
    }
  }
}

torch::serialize::InputArchive open_archive(const std::string& path) {
  if (!file_exists(path)) throw Error(path + ": no such checkpoint");
  torch::serialize::InputArchive archive;
  archive.load_from(path);
  return archive;
}

// Serialized to memory, then written atomically (temporary file, fsync,
// rename; removed on SIGINT/SIGTERM): a kill never leaves a torn file.
void write_checkpoint(const std::string& path, CodecNet& model, torch::optim::Optimizer& optimizer,
                      const TrainProgress& progress, Overwrite overwrite) {
  torch::serialize::OutputArchive archive;
  archive.write("arch", encode_arch(model));
  // Reconstruction fields, absent from checkpoints written before them.
  const std::vector<float>& gains = model->config().residual_gains;
  if (!gains.empty()) archive.write("residual_gains", torch::tensor(gains, torch::kFloat32));
  if (model->config().one_shot) archive.write("one_shot", torch::tensor(int64_t{1}, torch::kInt64));
  if (model->config().freeze_stopped) {
    archive.write("freeze_stopped", torch::tensor(int64_t{1}, torch::kInt64));
  }
  if (model->config().freeze_grace) {
    archive.write("freeze_grace", torch::tensor(int64_t{model->config().freeze_grace}, torch::kInt64));
  }
  torch::serialize::OutputArchive model_archive, optimizer_archive;
  model->save(model_archive);
  optimizer.save(optimizer_archive);
  archive.write("model", model_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("step", torch::tensor(progress.step, torch::kInt64));
  archive.write("wall_seconds", torch::tensor(progress.wall_seconds, torch::kFloat64));
  archive.write("beta", torch::tensor(progress.beta, torch::kFloat64));
  archive.write("binarizing", torch::tensor(int64_t{progress.binarizing}, torch::kInt64));
  archive.write("rng", at::detail::getDefaultCPUGenerator().get_state());
  std::vector<uint8_t> bytes;
  archive.save_to([&bytes](const void* data, size_t size) {
    const auto* p = static_cast<const uint8_t*>(data);
    bytes.insert(bytes.end(), p, p + size);
    return size;
  });
  write_file_atomic(path, bytes, overwrite);
}

}  // namespace

void save_checkpoint(const std::string& path, CodecNet& model, torch::optim::Optimizer& optimizer,
                     const TrainProgress& progress) {
  write_checkpoint(path, model, optimizer, progress, Overwrite::kAllow);
}

void compact_checkpoint(const std::string& in, const std::string& out, bool overwrite) {
  // Loading sets the global RNG to the file's (it is saved again as is);
  // the caller's is put back afterwards.
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  const torch::Tensor rng = generator.get_state();
  CodecNet model = load_model(in);
  torch::optim::Adam optimizer(model->parameters());
  const TrainProgress progress = load_training_state(in, optimizer);
  for_each_adam_state(optimizer, [](const torch::Tensor&, torch::optim::AdamParamState& s) {
    s.exp_avg(torch::empty({0}));
    s.exp_avg_sq(s.exp_avg_sq().to(torch::kBFloat16));
  });
  write_checkpoint(out, model, optimizer, progress, overwrite ? Overwrite::kAllow : Overwrite::kRefuse);
  generator.set_state(rng);
}

CodecNet load_model(const std::string& path) {
  torch::serialize::InputArchive archive = open_archive(path);
  torch::Tensor arch;
  archive.read("arch", arch);
  // Building the model draws initial weights that the file then replaces:
  // keep the global RNG where it was, so loading (e.g. a distillation
  // teacher mid-run) never changes what a resumed run samples.
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  const torch::Tensor rng = generator.get_state();
  ArchConfig reconstruction;
  torch::Tensor gains, one_shot, freeze_stopped, freeze_grace;
  if (archive.try_read("residual_gains", gains)) {
    gains = gains.to(torch::kFloat32).contiguous();
    reconstruction.residual_gains.assign(gains.data_ptr<float>(), gains.data_ptr<float>() + gains.numel());
  }
  if (archive.try_read("one_shot", one_shot)) reconstruction.one_shot = one_shot.item<int64_t>() != 0;
  if (archive.try_read("freeze_stopped", freeze_stopped)) {
    reconstruction.freeze_stopped = freeze_stopped.item<int64_t>() != 0;
  }
  if (archive.try_read("freeze_grace", freeze_grace)) {
    reconstruction.freeze_grace = static_cast<int>(freeze_grace.item<int64_t>());
  }
  CodecNet model = decode_arch(arch, reconstruction, path);
  generator.set_state(rng);
  torch::serialize::InputArchive model_archive;
  archive.read("model", model_archive);
  model->load(model_archive);
  return model;
}

TrainProgress load_training_state(const std::string& path, torch::optim::Optimizer& optimizer) {
  torch::serialize::InputArchive archive = open_archive(path);
  torch::serialize::InputArchive optimizer_archive;
  archive.read("optimizer", optimizer_archive);
  optimizer.load(optimizer_archive);
  // A compact checkpoint's Adam state, back to the fp32 moments Adam steps with.
  for_each_adam_state(optimizer, [](const torch::Tensor& p, torch::optim::AdamParamState& s) {
    if (s.exp_avg().numel() != p.numel()) s.exp_avg(torch::zeros_like(p));
    if (s.exp_avg_sq().scalar_type() != p.scalar_type()) s.exp_avg_sq(s.exp_avg_sq().to(p.scalar_type()));
  });
  torch::Tensor step, wall, beta, binarizing, rng;
  archive.read("step", step);
  archive.read("wall_seconds", wall);
  archive.read("beta", beta);
  archive.read("binarizing", binarizing);
  archive.read("rng", rng);
  at::Generator generator = at::detail::getDefaultCPUGenerator();
  generator.set_state(rng);
  return {step.item<int64_t>(), wall.item<double>(), beta.item<double>(), binarizing.item<int64_t>() != 0};
}

}  // namespace qc
