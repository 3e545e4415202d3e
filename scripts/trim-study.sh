#!/bin/bash
# Trim against fresh encodes: every image is encoded at 1 bpp, trimmed to each
# lower rate, and encoded afresh at that rate; MS-SSIM (RGB, TF convention)
# and the wall time of trim and of the fresh encode (one thread, the whole
# command) are written one row per (image, rate).
#   scripts/trim-study.sh IMAGE_DIR OUT.csv [QCODEC]
set -euo pipefail
images=${1:?image folder}
out=${2:?output csv}
qcodec=$(realpath "${3:-build/tools/qcodec/qcodec}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bpp_of() { "$qcodec" info "$1" --json | python3 -c 'import json,sys; print("%.5f" % json.load(sys.stdin)["bpp"])'; }
msssim_of() { "$qcodec" decode "$2" -o "$work/d.png" -f --quiet --threads 1 && "$qcodec" metric "$1" "$work/d.png" | awk '/^msssim /{print $2}'; }
seconds() { local t0=$EPOCHREALTIME; "$@"; awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'; }
echo "image,target_bpp,trim_bpp,trim_msssim,trim_s,fresh_bpp,fresh_msssim,fresh_s" > "$out.tmp"
for image in "$images"/*.png; do
  name=$(basename "$image" .png)
  "$qcodec" encode "$image" -bpp 1 -o "$work/full.qc" -f --quiet --threads 1
  for rate in 0.5 0.25 0.125; do
    trim_s=$(seconds "$qcodec" trim "$work/full.qc" -bpp $rate -o "$work/t.qc" -f --quiet --threads 1)
    fresh_s=$(seconds "$qcodec" encode "$image" -bpp $rate -o "$work/f.qc" -f --quiet --threads 1)
    echo "$name,$rate,$(bpp_of "$work/t.qc"),$(msssim_of "$image" "$work/t.qc"),$trim_s,$(bpp_of "$work/f.qc"),$(msssim_of "$image" "$work/f.qc"),$fresh_s" | tee -a "$out.tmp"
  done
done
mv "$out.tmp" "$out"
python3 - "$out" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("target  trim bpp  fresh bpp  trim MS-SSIM  fresh MS-SSIM  diff     trim s  fresh s  speed-up")
for rate in ("0.5", "0.25", "0.125"):
    r = [x for x in rows if x["target_bpp"] == rate]
    m = lambda k: sum(float(x[k]) for x in r) / len(r)
    print(f"{rate:6}  {m('trim_bpp'):.4f}    {m('fresh_bpp'):.4f}     {m('trim_msssim'):.4f}       {m('fresh_msssim'):.4f}         "
          f"{m('trim_msssim') - m('fresh_msssim'):+.4f}  {m('trim_s'):.2f}    {m('fresh_s'):.2f}     {m('fresh_s') / m('trim_s'):.1f}x")
PY
