#!/usr/bin/env bash
# Installs the build into a temporary prefix, builds examples/roundtrip.c
# against it with pkg-config (shared, then static), and runs both.
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
[[ $("$prefix/roundtrip-static") == "" ]] 2>/dev/null || true
static_out=$("$prefix/roundtrip-static" "$image" 0.5)
[[ $static_out == "$out" ]] || { echo "static build differs: $static_out"; exit 1; }
if ldd "$prefix/roundtrip-static" | grep -q libqcodec; then echo "static build links libqcodec.so"; exit 1; fi
readelf -d "$libdir/libqcodec.so" | grep -q 'SONAME.*libqcodec.so.0' || { echo "no SONAME libqcodec.so.0"; exit 1; }
# Only the C API leaves the shared library.
leaked=$(nm -D --defined-only "$libdir/libqcodec.so" | awk '$2 ~ /[TDBR]/ && $3 !~ /^qc_/' || true)
[[ -z $leaked ]] || { echo "exported beyond the C API: $leaked"; exit 1; }
echo "install test: ok"
