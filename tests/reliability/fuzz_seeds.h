// The seed corpora under fuzz/corpus/<target>/: small valid inputs of every
// kind each fuzz target parses. fuzz_corpus_test writes them when
// QC_WRITE_FUZZ_SEEDS names a folder, and otherwise checks that the committed
// ones are still accepted (so the fuzzers start from inputs that get deep).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace qc::testing {

// target -> file name -> bytes
using SeedSet = std::map<std::string, std::map<std::string, std::vector<uint8_t>>>;
SeedSet make_fuzz_seeds();

}  // namespace qc::testing
