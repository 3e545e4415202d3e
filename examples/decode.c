/* Decodes a .qc file with the decoder-only library into a binary PPM (or
 * PGM for gray), and prints its shape and a checksum of the pixels.
 *   cc decode.c $(pkg-config --cflags --libs qcodec_dec) -o decode
 *   ./decode photo.qc photo.ppm */
#include <qcodec/qcodec.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s IN.qc OUT.ppm\n", argv[0]);
    return 2;
  }
  FILE* in = fopen(argv[1], "rb");
  if (in == NULL) {
    perror(argv[1]);
    return 1;
  }
  size_t size = 0, capacity = 1 << 16;
  uint8_t* data = malloc(capacity);
  size_t n;
  while (data != NULL && (n = fread(data + size, 1, capacity - size, in)) > 0) {
    size += n;
    if (size == capacity) data = realloc(data, capacity *= 2);
  }
  fclose(in);
  if (data == NULL) return 1;

  qc_model* model;
  qc_info info;
  if (qc_model_builtin(&model) != QC_OK || qc_get_info(data, size, 0, &info) != QC_OK) {
    fprintf(stderr, "decode: %s\n", qc_last_error());
    return 1;
  }
  /* Colour (and alpha, dropped here) as the file has them. */
  const int channels = (int)info.layout, colour = channels >= 3 ? 3 : 1;
  const size_t stride = (size_t)info.width * channels;
  uint8_t* pixels = malloc(stride * info.height);
  if (pixels == NULL ||
      qc_decode_into(model, data, size, NULL, pixels, stride * info.height, (int)stride) != QC_OK) {
    fprintf(stderr, "decode: %s\n", qc_last_error());
    return 1;
  }
  FILE* out = fopen(argv[2], "wb");
  if (out == NULL) {
    perror(argv[2]);
    return 1;
  }
  fprintf(out, "P%d\n%d %d\n255\n", colour == 3 ? 6 : 5, info.width, info.height);
  unsigned long long checksum = 0;
  for (size_t p = 0; p < (size_t)info.width * info.height; ++p) {
    fwrite(pixels + p * channels, 1, colour, out);
    for (int c = 0; c < channels; ++c) checksum = checksum * 31 + pixels[p * channels + c];
  }
  fclose(out);
  printf("%s: %dx%d, %d channels, %d iterations, checksum %016llx\n", argv[1], info.width, info.height,
         channels, info.iterations, checksum);
  free(pixels);
  free(data);
  qc_model_free(model);
  return 0;
}
