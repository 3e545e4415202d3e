#include "eval/qcodec_adapter.h"

#include "base/error.h"
#include "codec/codec.h"

namespace qc {
namespace {

class QcodecAdapter : public CodecAdapter {
 public:
  QcodecAdapter(Model model, std::string model_name, std::vector<double> target_bpps)
      : model_(std::move(model)), model_name_(std::move(model_name)), rates_(std::move(target_bpps)) {}

  std::string name() const override { return "qcodec"; }
  std::string label() const override { return "qcodec (" + model_name_ + ")"; }
  std::string setting_name() const override { return "target_bpp"; }
  std::vector<double> settings() const override { return rates_; }

  std::vector<uint8_t> encode(const Image& rgb, double setting) const override {
    EncodeOptions options;
    options.bpp = setting;
    options.threads = 1;  // the evaluation runs jobs in parallel instead
    return qc::encode(rgb, model_, options).bytes;
  }

  Image decode(const std::vector<uint8_t>& bytes) const override {
    return qc::decode(bytes.data(), bytes.size(), model_, 1, model_name_);
  }

 private:
  Model model_;
  std::string model_name_;
  std::vector<double> rates_;
};

}  // namespace

std::unique_ptr<CodecAdapter> make_qcodec_adapter(const std::string& model_path,
                                                  std::vector<double> target_bpps) {
  Model model = model_from_file(model_path);
  std::string file_name = model_path.substr(model_path.find_last_of('/') + 1);
  return std::make_unique<QcodecAdapter>(std::move(model), file_name, std::move(target_bpps));
}

}  // namespace qc
