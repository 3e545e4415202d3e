#!/usr/bin/env bash
# Installs the build into a temporary prefix, builds examples/roundtrip.c
# against it with pkg-config (shared, then static) and with find_package,
# and runs each; then examples/decode.c against the decoder-only library.
#   install_test.sh BUILD_DIR SOURCE_DIR IMAGE [EXTRA_CFLAGS]
set -euo pipefail
build=$1 source=$2 image=$3 extra=${4:-}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" > "$prefix/install.log"
for f in include/qcodec/qcodec.h bin/qcodec; do
  [[ -e $prefix/$f ]] || { echo "install: $f missing"; exit 1; }
done
pcdir=$(dirname "$(find "$prefix" -name qcodec.pc)")
[[ -f $pcdir/../cmake/qcodec/qcodecConfig.cmake ]] || { echo "install: no CMake package config"; exit 1; }
export PKG_CONFIG_PATH=$pcdir
libdir=$(pkg-config --variable=libdir qcodec)
# shellcheck disable=SC2086
cc $extra "$source/examples/roundtrip.c" $(pkg-config --cflags --libs qcodec libpng) -lm -o "$prefix/roundtrip"
# shellcheck disable=SC2086
cc $extra "$source/examples/roundtrip.c" $(pkg-config --cflags qcodec libpng) "$libdir/libqcodec.a" \
  $(pkg-config --static --libs qcodec libpng | sed 's/-lqcodec//') -lm -o "$prefix/roundtrip-static"
out=$(LD_LIBRARY_PATH=$libdir "$prefix/roundtrip" "$image" 0.5)
echo "$out"
[[ $out =~ bpp,\ [0-9]+\ iterations,\ PSNR\ [0-9.]+\ dB ]] || { echo "unexpected output"; exit 1; }
static_out=$("$prefix/roundtrip-static" "$image" 0.5)
[[ $static_out == "$out" ]] || { echo "static build differs: $static_out"; exit 1; }
if ldd "$prefix/roundtrip-static" | grep -q libqcodec; then echo "static build links libqcodec.so"; exit 1; fi
readelf -d "$libdir/libqcodec.so" | grep -q 'SONAME.*libqcodec.so.0' || { echo "no SONAME libqcodec.so.0"; exit 1; }
readelf -d "$libdir/libqcodec_dec.so" | grep -q 'SONAME.*libqcodec_dec.so.0' || { echo "no SONAME libqcodec_dec.so.0"; exit 1; }
# Only the C API leaves the shared libraries (sanitizer builds add their own
# instrumentation symbols, so the check is for ordinary builds).
[[ -n $extra ]] || leaked=$(nm -D --defined-only "$libdir/libqcodec.so" "$libdir/libqcodec_dec.so" | awk '$2 ~ /[TDBR]/ && $3 !~ /^qc_/' || true)
[[ -z ${leaked:-} ]] || { echo "exported beyond the C API: $leaked"; exit 1; }
# The decoder-only library decodes what the installed tool encodes, to the
# same pixels as the whole library.
"$prefix/bin/qcodec" encode "$image" -bpp 0.5 -o "$prefix/x.qc" --quiet
# shellcheck disable=SC2086
cc $extra "$source/examples/decode.c" $(pkg-config --cflags --libs qcodec_dec) -o "$prefix/decode-dec"
# shellcheck disable=SC2086
cc $extra "$source/examples/decode.c" $(pkg-config --cflags --libs qcodec) -o "$prefix/decode-full"
if ldd "$prefix/decode-dec" | grep -E -q 'libqcodec\.so|libpng|libjpeg'; then echo "decoder links more than libqcodec_dec"; exit 1; fi
dec_out=$(LD_LIBRARY_PATH=$libdir "$prefix/decode-dec" "$prefix/x.qc" "$prefix/x.ppm")
full_out=$(LD_LIBRARY_PATH=$libdir "$prefix/decode-full" "$prefix/x.qc" "$prefix/y.ppm")
echo "$dec_out"
[[ $dec_out == "$full_out" ]] || { echo "libqcodec_dec decodes differently: $full_out"; exit 1; }
cmp -s "$prefix/x.ppm" "$prefix/y.ppm" || { echo "PPM files differ"; exit 1; }
nm -D --defined-only "$libdir/libqcodec_dec.so" | grep -q qc_encode && { echo "libqcodec_dec has qc_encode"; exit 1; }

# find_package(qcodec) from a CMake project.
mkdir "$prefix/consumer"
cat > "$prefix/consumer/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.18)
project(consumer C)
find_package(qcodec 0.1 REQUIRED)
find_package(PNG REQUIRED)
add_executable(roundtrip $source/examples/roundtrip.c)
target_compile_options(roundtrip PRIVATE $extra)
target_link_options(roundtrip PRIVATE $extra)
target_link_libraries(roundtrip PRIVATE qcodec::qcodec_shared PNG::PNG m)
CMAKE
cmake -S "$prefix/consumer" -B "$prefix/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" > "$prefix/consumer.log" 2>&1 ||
  { cat "$prefix/consumer.log"; exit 1; }
cmake --build "$prefix/consumer/build" >> "$prefix/consumer.log" 2>&1 || { cat "$prefix/consumer.log"; exit 1; }
[[ $("$prefix/consumer/build/roundtrip" "$image" 0.5) == "$out" ]] || { echo "find_package build differs"; exit 1; }
echo "install test: ok"
