// The body of every fuzz target as a plain function: fuzz/libfuzzer_main.cc
// wraps one per libFuzzer binary, and tests/reliability replays the seed
// corpora and every input that once crashed through the same functions in
// the ordinary (and the sanitizer) build. Each function accepts any bytes:
// qc::Error is the expected outcome of bad input; a crash, a sanitizer report,
// a hang or a broken invariant (reported by abort()) is a bug.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "codec/codec.h"

namespace qc::fuzz {

// fuzz/corpus/<name>/ holds each target's seeds.
void fuzz_qc(const uint8_t* data, size_t size);      // "qc": container + entropy decoders
void fuzz_qcm(const uint8_t* data, size_t size);     // "qcm": the .qcm model loader
void fuzz_png(const uint8_t* data, size_t size);     // "png": the PNG reader
void fuzz_jpeg(const uint8_t* data, size_t size);    // "jpeg": the JPEG reader
void fuzz_decode(const uint8_t* data, size_t size);  // "decode": .qc bytes to pixels

// Decoded images up to this size are also written back and read again.
constexpr uint64_t kMaxRoundTripPixels = 1 << 16;

// The fingerprint of the "qc" target's seed files (they were written with it
// and no model).
constexpr uint64_t kQcSeedFingerprint = 0x0123456789ABCDEFull;

// The small random model the "decode" target decodes with; its seeds are
// encoded with it.
const Model& fuzz_model();

// Rewrites the model fingerprint, the size field and the CRCs (format 2: the
// head's too) of a would-be .qc file so that the reader's integrity checks pass and the mutation
// reaches the fields and sections behind them. Shorter inputs come back as
// they are.
std::vector<uint8_t> seal_qc(const uint8_t* data, size_t size, uint64_t fingerprint);

// .qcm inputs start with a mode byte: kQcmBody, then a model body that is
// wrapped in a valid header, zstd frame and checksum first (a mutation of a
// whole file almost never survives its checksum); any other value (kQcmFile),
// then a whole .qcm file.
enum QcmMode : uint8_t { kQcmFile = 0, kQcmBody = 1 };
std::vector<uint8_t> wrap_qcm_body(const uint8_t* body, size_t size);

}  // namespace qc::fuzz
