#include "eval/qcodec_adapter.h"

namespace qc {
namespace {

class QcodecAdapter : public CodecAdapter {
 public:
  QcodecAdapter(Model model, std::vector<double> target_bpps)
      : model_(std::move(model)), rates_(std::move(target_bpps)) {}

  std::string name() const override { return "qcodec"; }
  std::string label() const override { return "qcodec (" + model_.source + ")"; }
  std::string setting_name() const override { return "target_bpp"; }
  std::vector<double> settings() const override { return rates_; }

  // The file is measured as it is, also when rate control could not meet the
  // target (bpp is always the real size).
  std::vector<uint8_t> encode(const Image& rgb, double setting) const override {
    EncodeOptions options;
    options.bpp = setting;
    options.threads = 1;  // the evaluation runs jobs in parallel instead
    return qc::encode(rgb, model_, options).bytes;
  }

  Image decode(const std::vector<uint8_t>& bytes) const override {
    return qc::decode(bytes.data(), bytes.size(), model_, 1, "qcodec stream");
  }

 private:
  Model model_;
  std::vector<double> rates_;
};

}  // namespace

std::unique_ptr<CodecAdapter> make_qcodec_adapter(Model model, std::vector<double> target_bpps) {
  return std::make_unique<QcodecAdapter>(std::move(model), std::move(target_bpps));
}

}  // namespace qc
