// End to end: the qcodec-eval binary on the fixtures, baselines only.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int run(const std::string& args, const fs::path& log) {
  std::string command = std::string(QC_EVAL_BINARY) + " " + args + " >" + log.string() + " 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class EvalCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("qc_eval_cli_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(EvalCli, WritesTableJsonAndPlot) {
  fs::path out = dir_ / "out";
  ASSERT_EQ(run(std::string("--dataset ") + QC_TEST_DATA +
                    " --no-qcodec --baselines jpeg,jxl --threads 2 --out " + out.string(),
                dir_ / "log"),
            0)
      << slurp(dir_ / "log");
  std::stringstream csv(slurp(out / "per_image.csv"));
  std::string line;
  int lines = 0;
  while (std::getline(csv, line)) ++lines;
  EXPECT_EQ(lines, 1 + 4 * (16 + 14));  // header + 4 images x (jpeg + jxl settings)
  for (const char* codec : {"jpeg", "jxl"}) {
    nlohmann::json j = nlohmann::json::parse(slurp(out / (std::string(codec) + ".json")));
    EXPECT_EQ(j["codec"], codec);
    EXPECT_EQ(j["dataset"], "data");  // the folder's name
    EXPECT_FALSE(j["curve"].empty());
    EXPECT_EQ(j["curve"][0]["images"], 4);
  }
  EXPECT_FALSE(fs::exists(out / "bd_rate.json"));  // no qcodec in this run
  std::string svg = slurp(out / "rd.svg");
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("JPEG XL"), std::string::npos);
  std::string summary = slurp(out / "summary.txt");
  EXPECT_NE(summary.find("jxl"), std::string::npos);
  EXPECT_NE(slurp(dir_ / "log").find(summary), std::string::npos);  // printed and written alike
}

TEST_F(EvalCli, BadArgumentsFailWithOneLine) {
  EXPECT_EQ(run("--dataset /nonexistent/x --baselines jpeg", dir_ / "log"), 1);
  EXPECT_NE(slurp(dir_ / "log").find("/nonexistent/x: not a folder"), std::string::npos);
  EXPECT_EQ(run(std::string("--dataset ") + QC_TEST_DATA + " --baselines bpg", dir_ / "log"), 1);
  EXPECT_NE(slurp(dir_ / "log").find("unknown baseline 'bpg'"), std::string::npos);
  EXPECT_EQ(run(std::string("--dataset ") + QC_TEST_DATA + " --no-qcodec --baselines none", dir_ / "log"), 1);
  EXPECT_NE(slurp(dir_ / "log").find("nothing to evaluate"), std::string::npos);
  EXPECT_NE(run("--baselines jpeg", dir_ / "log"), 0);  // --dataset is required
}

}  // namespace
