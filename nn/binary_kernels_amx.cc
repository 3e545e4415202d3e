// AMX-INT8 path. TDPBSUD multiplies a tile of 16 output pixels x 64 input
// bytes of int8 activations (A: loaded straight from the tensor, one tile row
// per pixel, the pixel step as stride) by a 16 x 64 byte tile of 0/1 weights
// (B: 16 weight rows x 64 input bytes, expanded once at load) into 16 pixels
// x 16 weight rows of exact int32 sums: 16,384 MACs per instruction. Since a
// kernel row's taps are contiguous in NHWC, A covers kx and channels in one
// run of kernel * groups * 4 bytes; the last chunk of a run reads past it
// into bytes whose weights are zero. Tiles 0-3 accumulate 2 pixel tiles x 2
// weight blocks, 4-5 hold A, 6-7 hold B. Pixels past the last full 16 go
// to the AVX-512 path, which computes the same integers.
#include <cstring>

#include "nn/amx_tiles.h"
#include "nn/binary_kernels.h"

namespace qc {
namespace {

constexpr int kTileBytes = 16 * 64;

int chunks_per_kernel_row(int kernel, int groups) { return (kernel * groups * 4 + 63) / 64; }

}  // namespace

size_t amx_weight_bytes(int blocks, int kernel, int groups) {
  return static_cast<size_t>(blocks) * kernel * chunks_per_kernel_row(kernel, groups) * kTileBytes;
}

void expand_amx_weights(const uint64_t* masks, int blocks, int kernel, int groups, uint8_t* out) {
  const int chunks = chunks_per_kernel_row(kernel, groups);
  const int row_bytes = kernel * groups * 4;
  std::memset(out, 0, amx_weight_bytes(blocks, kernel, groups));
  for (int b = 0; b < blocks; ++b)
    for (int ky = 0; ky < kernel; ++ky)
      for (int c = 0; c < chunks; ++c)
        for (int i = 0; i < 16; ++i) {
          const int byte = 64 * c + 4 * i;  // first input byte of this tile row
          if (byte >= row_bytes) break;
          const int kx = byte / (groups * 4), g = byte % (groups * 4) / 4;
          const uint64_t m =
              masks[(static_cast<size_t>(b) * kernel * kernel + ky * kernel + kx) * groups + g];
          uint8_t* dst = out + ((static_cast<size_t>(b) * kernel + ky) * chunks + c) * kTileBytes + 64 * i;
          for (int bit = 0; bit < 64; ++bit) dst[bit] = (m >> bit) & 1;
        }
}

}  // namespace qc

#if defined(__x86_64__)
#include <immintrin.h>

#define QC_TARGET_AMX __attribute__((target("amx-tile,amx-int8,avx512f,avx512bw,avx512vnni")))

namespace qc {
namespace {

// LDTILECFG's operand (Intel SDM, "TILECFG"), constant-initialised.
struct alignas(64) TileConfig {
  uint8_t palette;
  uint8_t start_row;
  uint8_t reserved[14];
  uint16_t bytes_per_row[16];
  uint8_t rows[16];
};
constexpr TileConfig kTileConfig = {
    1, 0, {}, {64, 64, 64, 64, 64, 64, 64, 64}, {16, 16, 16, 16, 16, 16, 16, 16}};

// Output pixels p0.. (16 * kPixelTiles of them) x weight blocks b0..
// (kBlocks of them). Tile numbers are immediates, hence the templates.
template <int kPixelTiles, int kBlocks>
QC_TARGET_AMX void tile(const BinaryRowArgs& a, int chunks, int p0, int b0) {
  _tile_zero(0);
  if constexpr (kBlocks == 2) _tile_zero(1);
  if constexpr (kPixelTiles == 2) _tile_zero(2);
  if constexpr (kPixelTiles == 2 && kBlocks == 2) _tile_zero(3);
  const size_t pixel_step = static_cast<size_t>(a.pixel_step);
  const int8_t* first = a.in + p0 * pixel_step;
  const int8_t* second = first + 16 * pixel_step;
  const size_t block_bytes = static_cast<size_t>(a.kernel) * chunks * kTileBytes;
  const uint8_t* w0 = a.amx_weights + b0 * block_bytes;
  const uint8_t* w1 = w0 + block_bytes;
  for (int ky = 0; ky < a.kernel; ++ky) {
    for (int c = 0; c < chunks; ++c) {
      const size_t in_offset = ky * a.row_stride + 64 * c;
      const size_t w_offset = static_cast<size_t>(ky * chunks + c) * kTileBytes;
      _tile_loadd(4, first + in_offset, pixel_step);
      _tile_loadd(6, w0 + w_offset, 64);
      _tile_dpbsud(0, 4, 6);
      if constexpr (kBlocks == 2) {
        _tile_loadd(7, w1 + w_offset, 64);
        _tile_dpbsud(1, 4, 7);
      }
      if constexpr (kPixelTiles == 2) {
        _tile_loadd(5, second + in_offset, pixel_step);
        _tile_dpbsud(2, 5, 6);
        if constexpr (kBlocks == 2) _tile_dpbsud(3, 5, 7);
      }
    }
  }
  const size_t out_stride = static_cast<size_t>(a.blocks) * 16;  // int32s between pixels
  int32_t* out = a.out + p0 * out_stride + b0 * 16;
  _tile_stored(0, out, out_stride * 4);
  if constexpr (kBlocks == 2) _tile_stored(1, out + 16, out_stride * 4);
  if constexpr (kPixelTiles == 2) _tile_stored(2, out + 16 * out_stride, out_stride * 4);
  if constexpr (kPixelTiles == 2 && kBlocks == 2) _tile_stored(3, out + 16 * out_stride + 16, out_stride * 4);
}

// Weight blocks outer, pixels inner: a block pair's tiles stay in L1 while
// the row's pixels pass under them.
template <int kBlocks>
QC_TARGET_AMX void block_tiles(const BinaryRowArgs& a, int chunks, int full, int b0) {
  int p = 0;
  for (; p + 32 <= full; p += 32) tile<2, kBlocks>(a, chunks, p, b0);
  if (p < full) tile<1, kBlocks>(a, chunks, p, b0);
}

}  // namespace

QC_TARGET_AMX void load_amx_tile_config() { _tile_loadconfig(&kTileConfig); }

QC_TARGET_AMX void binary_row_amx(const BinaryRowArgs& a) {
  const int full = a.pixels / 16 * 16;
  if (full > 0) {
    load_amx_tile_config();
    const int chunks = chunks_per_kernel_row(a.kernel, a.groups);
    int b = 0;
    for (; b + 2 <= a.blocks; b += 2) block_tiles<2>(a, chunks, full, b);
    if (b < a.blocks) block_tiles<1>(a, chunks, full, b);
    _tile_release();
  }
  if (full == a.pixels) return;
  BinaryRowArgs rest = a;
  rest.in += static_cast<size_t>(full) * a.pixel_step;
  rest.out += static_cast<size_t>(full) * a.blocks * 16;
  rest.pixels -= full;
  binary_row_avx512(rest);
}

}  // namespace qc
#endif  // __x86_64__
