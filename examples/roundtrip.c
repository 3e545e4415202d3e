/* Encodes a PNG's pixels with libqcodec at a target rate, decodes them back
 * and prints the rate and the PSNR: the C API end to end.
 *   cc roundtrip.c $(pkg-config --cflags --libs qcodec libpng) -o roundtrip
 *   ./roundtrip photo.png 0.25 */
#include <math.h>
#include <png.h>
#include <qcodec/qcodec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char* what) {
  fprintf(stderr, "roundtrip: %s: %s\n", what, qc_last_error());
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s IN.png BPP\n", argv[0]);
    return 2;
  }
  png_image png;
  memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&png, argv[1])) {
    fprintf(stderr, "roundtrip: %s: %s\n", argv[1], png.message);
    return 1;
  }
  png.format = PNG_FORMAT_RGB;
  uint8_t* rgb = malloc(PNG_IMAGE_SIZE(png));
  if (rgb == NULL || !png_image_finish_read(&png, NULL, rgb, 0, NULL)) {
    fprintf(stderr, "roundtrip: %s: cannot read the pixels\n", argv[1]);
    return 1;
  }
  const int width = (int)png.width, height = (int)png.height;

  qc_model* model;
  if (qc_model_builtin(&model) != QC_OK) return fail("built-in model");
  qc_encode_options options;
  qc_encode_options_init(&options);
  options.bpp = atof(argv[2]);
  uint8_t* file;
  size_t file_size;
  if (qc_encode(model, rgb, width, height, width * 3, QC_RGB, &options, &file, &file_size) != QC_OK)
    return fail("encode");
  qc_image decoded;
  if (qc_decode(model, file, file_size, NULL, &decoded) != QC_OK) return fail("decode");
  if (decoded.width != width || decoded.height != height || decoded.layout != QC_RGB) {
    fprintf(stderr, "roundtrip: decoded %dx%d, layout %d\n", decoded.width, decoded.height, decoded.layout);
    return 1;
  }
  double squared = 0;
  for (size_t i = 0; i < (size_t)width * height * 3; ++i) {
    const double d = (double)rgb[i] - decoded.pixels[i];
    squared += d * d;
  }
  const double mse = squared / ((double)width * height * 3);
  printf("%s: %dx%d, %zu bytes = %.4f bpp, %d iterations, PSNR %.2f dB (libqcodec %d.%d.%d)\n", argv[1],
         width, height, file_size, file_size * 8.0 / ((double)width * height), decoded.iterations,
         mse > 0 ? 10 * log10(255.0 * 255.0 / mse) : INFINITY, qc_version() >> 16, (qc_version() >> 8) & 255,
         qc_version() & 255);
  qc_free(decoded.pixels);
  qc_free(file);
  qc_model_free(model);
  free(rgb);
  return 0;
}
