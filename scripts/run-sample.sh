#!/usr/bin/env bash
# The main job: installs the dependencies, builds qcodec, codes
# samples/coffee.png at 0.25 bpp and back, and prints the real bit rate
# (8 x whole .qc file bytes / pixels) and the quality of the decoded image.
set -euo pipefail
cd "$(dirname "$0")/.."
input=samples/coffee.png
target_bpp=0.25

bash scripts/install-deps.sh
cmake -S . -B build-sample -DCMAKE_BUILD_TYPE=Release -DQC_BUILD_TESTS=OFF -DQC_BUILD_TRAINER=OFF
cmake --build build-sample -j "$(nproc)" --target qcodec
qcodec=build-sample/tools/qcodec/qcodec

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$qcodec" encode "$input" -bpp "$target_bpp" -o "$work/coffee.qc"
"$qcodec" decode "$work/coffee.qc" -o "$work/coffee.png"

# Width and height: big-endian at bytes 16..23 of a PNG (the IHDR chunk).
read -r width height < <(od -An -tu1 -j16 -N8 "$input" |
  awk '{ print $1*16777216 + $2*65536 + $3*256 + $4, $5*16777216 + $6*65536 + $7*256 + $8 }')
bytes=$(stat -c %s "$work/coffee.qc")
echo "input:      $input (${width}x${height})"
echo "target bpp: $target_bpp"
awk -v b="$bytes" -v w="$width" -v h="$height" \
  'BEGIN { printf "real bpp:   %.4f (%d bytes)\n", 8 * b / (w * h), b }'
"$qcodec" metric "$input" "$work/coffee.png"
