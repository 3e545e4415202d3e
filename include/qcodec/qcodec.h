/* qcodec: a learned lossy image codec. The C API of libqcodec.
 *
 * Every function returns a qc_status (QC_OK on success) and never lets a C++
 * exception out; on failure qc_last_error() gives a one-line message for the
 * calling thread. Buffers the library allocates are released with qc_free().
 * Pixels are 8-bit, interleaved, rows `stride` bytes apart.
 *
 *   qc_model* model;
 *   qc_model_builtin(&model);
 *   qc_encode_options options;
 *   qc_encode_options_init(&options);
 *   options.bpp = 0.25;
 *   uint8_t* file; size_t file_size;
 *   qc_encode(model, rgb, width, height, width * 3, QC_RGB, &options, &file, &file_size);
 *   ...
 *   qc_image image;
 *   qc_decode(model, file, file_size, NULL, &image);
 *   qc_free(image.pixels); qc_free(file); qc_model_free(model);
 *
 * The file format is docs/FORMAT.md. */
#ifndef QCODEC_QCODEC_H_
#define QCODEC_QCODEC_H_

#include <stddef.h>
#include <stdint.h>

#if defined(QC_BUILDING_LIBRARY) && defined(__GNUC__)
#define QC_API __attribute__((visibility("default")))
#else
#define QC_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define QC_VERSION_MAJOR 0
#define QC_VERSION_MINOR 1
#define QC_VERSION_PATCH 0

/* (major << 16) | (minor << 8) | patch of the library actually linked. */
QC_API int qc_version(void);

typedef enum {
  QC_OK = 0,
  QC_INVALID_ARGUMENT = 1,    /* a null pointer, a bad size, no target, ... */
  QC_CORRUPT = 2,             /* the bytes are not a valid .qc (or .qcm) file */
  QC_TRUNCATED = 3,           /* the file ends early */
  QC_WRONG_MODEL = 4,         /* the file was made by another model */
  QC_UNSUPPORTED_VERSION = 5, /* a newer file format than this library reads */
  QC_OVER_LIMIT = 6,          /* beyond a size limit */
  QC_OUT_OF_MEMORY = 7,
  QC_IO_ERROR = 8,        /* a file could not be read */
  QC_BUFFER_TOO_SMALL = 9 /* qc_decode_into: the caller's buffer */
} qc_status;

/* The last failure's message on this thread ("" if none). Valid until the
 * thread's next qcodec call. */
QC_API const char* qc_last_error(void);

typedef enum { QC_GRAY = 1, QC_GRAY_ALPHA = 2, QC_RGB = 3, QC_RGBA = 4 } qc_layout;

/* A model: the network and the fingerprint its files carry. One model may be
 * used by many threads at once. */
typedef struct qc_model qc_model;
QC_API qc_status qc_model_builtin(qc_model** model);
QC_API qc_status qc_model_from_memory(const uint8_t* data, size_t size, qc_model** model);
QC_API qc_status qc_model_from_file(const char* path, qc_model** model);
QC_API void qc_model_free(qc_model* model);

/* Called with the share of the work done, 0..1. */
typedef void (*qc_progress_fn)(double done, void* user);

typedef struct {
  /* Exactly one target: bpp > 0 (the whole file, rate control), quality > 0
   * (the smallest file whose MS-SSIM reaches it, below 1), or iterations > 0
   * (every tile that many). */
  double bpp;
  double quality;
  int iterations;
  int threads; /* 0: all cores */
  qc_progress_fn progress;
  void* progress_user;
  /* 1 (fast; 0 reads as 1) .. 4: above 1 the encoder searches each
   * iteration's bits for ones that decode better, at the same rate and for
   * the same decoder, taking longer. */
  int effort;
} qc_encode_options;

/* No target, all cores, no progress callback, effort 1. */
QC_API void qc_encode_options_init(qc_encode_options* options);

/* Encodes width x height pixels to a .qc file in *out (qc_free it). */
QC_API qc_status qc_encode(const qc_model* model, const uint8_t* pixels, int width, int height, int stride,
                           qc_layout layout, const qc_encode_options* options, uint8_t** out,
                           size_t* out_size);

typedef struct {
  int threads;        /* 0: all cores */
  int max_iterations; /* decode only the first N iterations of every tile (0: all) */
  double max_bpp;     /* the most iterations whose bytes fit this rate (0: no limit) */
  int accept_prefix;  /* nonzero: the bytes may be the start of a longer file */
} qc_decode_options;

QC_API void qc_decode_options_init(qc_decode_options* options);

typedef struct {
  uint8_t* pixels; /* width x height x layout bytes, stride width x layout (qc_free it) */
  int width, height;
  qc_layout layout;
  int iterations;      /* decoded */
  int file_iterations; /* held by the file */
} qc_image;

/* options may be NULL (the whole file, all cores). */
QC_API qc_status qc_decode(const qc_model* model, const uint8_t* data, size_t size,
                           const qc_decode_options* options, qc_image* image);

/* Decodes into the caller's buffer of buffer_size bytes, rows `stride`
 * apart; the layout is the file's (qc_get_info). QC_BUFFER_TOO_SMALL, with
 * nothing written, when it does not fit. */
QC_API qc_status qc_decode_into(const qc_model* model, const uint8_t* data, size_t size,
                                const qc_decode_options* options, uint8_t* buffer, size_t buffer_size,
                                int stride);

typedef struct {
  int format_version;
  int width, height;
  qc_layout layout;
  int iterations; /* the largest tile count */
  uint64_t model_fingerprint;
  size_t file_bytes;       /* the whole file (a prefix may have fewer) */
  int complete_iterations; /* of the bytes given (accept_prefix) */
} qc_info;

/* Reads the header only (no model needed). accept_prefix as for decoding. */
QC_API qc_status qc_get_info(const uint8_t* data, size_t size, int accept_prefix, qc_info* info);

QC_API void qc_free(void* pointer);

#ifdef __cplusplus
}
#endif

#endif /* QCODEC_QCODEC_H_ */
