// Whole-file reads with a size bound, and atomic writes (temporary file in the
// same directory, fsync, rename) so that a reader never sees a partial file.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace qc {

// Reads the whole file; throws qc::Error if it is missing, unreadable or
// larger than max_bytes.
std::vector<uint8_t> read_file(const std::string& path, size_t max_bytes);

enum class Overwrite { kRefuse, kAllow };

// Writes data to path atomically. With Overwrite::kRefuse an existing path is
// an error and is left untouched. On any failure no file is left behind.
void write_file_atomic(const std::string& path, const uint8_t* data, size_t size, Overwrite overwrite);
inline void write_file_atomic(const std::string& path, const std::vector<uint8_t>& data,
                              Overwrite overwrite) {
  write_file_atomic(path, data.data(), data.size(), overwrite);
}

bool file_exists(const std::string& path);

}  // namespace qc
