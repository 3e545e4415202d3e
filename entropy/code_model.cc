#include "entropy/code_model.h"

#include <algorithm>

namespace qc::entropy {

CodeModel::CodeModel(int iterations, int channels, const CodePrior* prior)
    : iterations_(iterations),
      channels_(channels),
      own_(static_cast<size_t>(iterations) * channels * 27),
      neighbours_(static_cast<size_t>(iterations) * 243),
      channel_mix_(static_cast<size_t>(channels) * 81),
      mixer_(iterations > 0 ? iterations : 1) {
  if (prior == nullptr || prior->channels != channels) return;
  // The prior's arrays are laid out as these, iteration-major, so a prefix
  // of each covers the iterations both have.
  const int shared = std::min(iterations, prior->iterations);
  const size_t prior_own = static_cast<size_t>(prior->iterations) * channels * 27;
  const size_t prior_neighbours = static_cast<size_t>(prior->iterations) * 243;
  auto load = [&](std::vector<Counter>& counters, size_t from, size_t count) {
    for (size_t i = 0; i < count; ++i) counters[i] = Counter{prior->p[from + i], prior->n[from + i]};
  };
  load(own_, 0, static_cast<size_t>(shared) * channels * 27);
  load(neighbours_, prior_own, static_cast<size_t>(shared) * 243);
  load(channel_mix_, prior_own + prior_neighbours, channel_mix_.size());
  std::copy(prior->mixer.begin(), prior->mixer.begin() + static_cast<size_t>(shared) * kInputs,
            mixer_.weights().begin());
}

void CodeModel::tally(int bit) {
  const size_t at[kInputs - 1] = {
      static_cast<size_t>(active_[0] - own_.data()),
      own_.size() + static_cast<size_t>(active_[1] - neighbours_.data()),
      own_.size() + neighbours_.size() + static_cast<size_t>(active_[2] - channel_mix_.data())};
  for (size_t i : at) {
    tallies_->ones[i] += bit;
    ++tallies_->total[i];
  }
}

CodePrior CodeModel::state() const {
  CodePrior prior;
  prior.iterations = iterations_;
  prior.channels = channels_;
  for (const std::vector<Counter>* counters : {&own_, &neighbours_, &channel_mix_}) {
    for (const Counter& c : *counters) {
      prior.p.push_back(c.p);
      prior.n.push_back(c.n);
    }
  }
  prior.mixer.assign(mixer_.weights().begin(),
                     mixer_.weights().begin() + static_cast<size_t>(iterations_) * kInputs);
  return prior;
}

}  // namespace qc::entropy
