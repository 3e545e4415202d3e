// Layout of a serialized prior, integers little-endian:
//   "QCP" | u8 version (1) | u16 iterations | u16 channels
//   | u16 p[counters] | u8 n[counters] | i32 mixer[iterations x 4]
#include "entropy/code_prior.h"

#include <algorithm>

#include "base/error.h"
#include "entropy/code_model.h"

namespace qc {
namespace {

constexpr uint8_t kMagic[3] = {'Q', 'C', 'P'};
constexpr uint8_t kVersion = 1;
constexpr size_t kFixedBytes = 3 + 1 + 2 + 2;

void put_le(std::vector<uint8_t>& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
uint64_t get_le(const uint8_t* p, int bytes) {
  uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

}  // namespace

size_t CodePrior::counters(int iterations, int channels) {
  return static_cast<size_t>(iterations) * channels * 27 + static_cast<size_t>(iterations) * 243 +
         static_cast<size_t>(channels) * 81;
}

size_t CodePrior::mixer_weights(int iterations) {
  return static_cast<size_t>(iterations) * entropy::CodeModel::kInputs;
}

std::vector<uint8_t> serialize_code_prior(const CodePrior& prior) {
  const size_t counters = CodePrior::counters(prior.iterations, prior.channels);
  if (prior.iterations < 1 || prior.iterations > kMaxIterations || prior.channels < 1 ||
      prior.channels > kMaxCodeChannels || prior.p.size() != counters || prior.n.size() != counters ||
      prior.mixer.size() != CodePrior::mixer_weights(prior.iterations))
    throw Error("serialize_code_prior: the prior's arrays do not match its shape");
  std::vector<uint8_t> out(kMagic, kMagic + 3);
  put_le(out, kVersion, 1);
  put_le(out, prior.iterations, 2);
  put_le(out, prior.channels, 2);
  for (uint16_t p : prior.p) put_le(out, p, 2);
  out.insert(out.end(), prior.n.begin(), prior.n.end());
  for (int32_t w : prior.mixer) put_le(out, static_cast<uint32_t>(w), 4);
  return out;
}

CodePrior parse_code_prior(const uint8_t* data, size_t size, int iterations, int channels,
                           const std::string& name) {
  auto fail = [&](const std::string& cause) { throw Error(name + ": code prior: " + cause); };
  if (size < kFixedBytes || data[0] != kMagic[0] || data[1] != kMagic[1] || data[2] != kMagic[2])
    fail("not a code prior");
  if (data[3] != kVersion) fail("unsupported version " + std::to_string(data[3]));
  CodePrior prior;
  prior.iterations = static_cast<int>(get_le(data + 4, 2));
  prior.channels = static_cast<int>(get_le(data + 6, 2));
  if (prior.iterations != iterations || prior.channels != channels)
    fail("made for " + std::to_string(prior.iterations) + " iterations of " +
         std::to_string(prior.channels) + " channels, the model has " + std::to_string(iterations) +
         " of " + std::to_string(channels));
  const size_t counters = CodePrior::counters(iterations, channels);
  const size_t weights = CodePrior::mixer_weights(iterations);
  if (size != kFixedBytes + counters * 3 + weights * 4) fail("wrong size");
  const uint8_t* at = data + kFixedBytes;
  prior.p.resize(counters);
  for (uint16_t& p : prior.p) p = static_cast<uint16_t>(get_le(at, 2)), at += 2;
  prior.n.assign(at, at + counters);
  at += counters;
  prior.mixer.resize(weights);
  for (int32_t& w : prior.mixer) {
    w = static_cast<int32_t>(static_cast<uint32_t>(get_le(at, 4)));
    at += 4;
    if (w < -entropy::Mixer<entropy::CodeModel::kInputs>::kWeightLimit ||
        w > entropy::Mixer<entropy::CodeModel::kInputs>::kWeightLimit)
      fail("mixer weight out of range");
  }
  return prior;
}

CodePrior learn_code_prior(const std::vector<CodedExample>& examples, int iterations, int channels,
                           int confidence) {
  // A traversal that only feeds the model (probabilities are not needed).
  struct Observe {
    void begin_iteration(int) {}
    void at(int, int) {}
    int code(uint8_t& bit, uint32_t) { return bit; }
  };
  const size_t counters = CodePrior::counters(iterations, channels);
  entropy::ContextTallies tallies{std::vector<uint32_t>(counters, 0), std::vector<uint32_t>(counters, 0)};
  for (const CodedExample& e : examples) {
    check_code_stack(e.first, e.second, "learn_code_prior");
    CodeStack work = e.first;
    entropy::CodeModel model(iterations, channels);
    model.tally_into(&tallies);
    Observe io;
    entropy::traverse_codes(work, e.second, model, io);
  }
  CodePrior prior;
  prior.iterations = iterations;
  prior.channels = channels;
  prior.p.resize(counters);
  prior.n.resize(counters);
  const double images = examples.empty() ? 1.0 : static_cast<double>(examples.size());
  for (size_t i = 0; i < counters; ++i) {
    // Krichevsky-Trofimov estimate; a context is as sure as an image's worth
    // of its observations makes it, up to `confidence`.
    const double p1 = (tallies.ones[i] + 0.5) / (tallies.total[i] + 1.0);
    prior.p[i] = static_cast<uint16_t>(std::min(65535.0, std::max(1.0, p1 * 65536)));
    prior.n[i] = static_cast<uint8_t>(std::min<double>(confidence, tallies.total[i] / images));
  }
  prior.mixer = entropy::CodeModel(iterations, channels).state().mixer;  // the flat start
  // The mixer learns on top of those counters, carried from one example
  // to the next.
  for (const CodedExample& e : examples) {
    CodeStack work = e.first;
    entropy::CodeModel model(iterations, channels, &prior);
    Observe io;
    entropy::traverse_codes(work, e.second, model, io);
    prior.mixer = model.state().mixer;
  }
  return prior;
}

}  // namespace qc
