#!/bin/bash
# How many closed-loop coding passes rate control runs: every image of a
# folder encoded at each rate (one thread), one CSV row per file with the
# passes `qcodec encode` reports and the rate it reached.
#   scripts/rate-passes.sh IMAGE_DIR OUT.csv [QCODEC]
set -euo pipefail
images=${1:?image folder}
out=${2:?output csv}
qcodec=$(realpath "${3:-build/tools/qcodec/qcodec}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "image,target_bpp,passes,bpp" > "$out.tmp"
for rate in 0.125 0.25 0.5 1; do
  for image in "$images"/*.png; do
    line=$("$qcodec" encode "$image" -bpp $rate -o "$work/f.qc" -f --threads 1 | tail -1)
    passes=$(sed -E 's/.* ([0-9]+) coding pass.*/\1/' <<< "$line")
    bpp=$(sed -E 's/.* ([0-9.]+) bpp.*/\1/' <<< "$line")
    echo "$(basename "$image" .png),$rate,$passes,$bpp" | tee -a "$out.tmp"
  done
done
mv "$out.tmp" "$out"
