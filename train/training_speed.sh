#!/usr/bin/env bash
# Training steps per second of one network at fp32 and bf16, 1 and 2
# threads (docs: TRAINING.md, capacity study): STEPS steps of the capacity
# study's step (batch 8 of 64 px crops, 24 unrolled iterations, float
# weights) from a fresh network of the given widths, each in a scratch run.
#   train/training_speed.sh NAME [qcodec-train architecture options...]
# Environment: TRAINER (default build/tools/qcodec-train), DATA (training
# images, required), STEPS (default 40). Prints one markdown table row.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 1 || -z ${DATA:-} ]]; then
  echo "usage: DATA=TRAINING_IMAGES $0 NAME [architecture options...]" >&2
  exit 2
fi
name=$1
shift
trainer=${TRAINER:-build/tools/qcodec-train}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# 20 images load quickly and hold none out (the trainer holds out every 50th):
# no validation pass at the stop.
mkdir -p "$scratch/data"
find "$DATA" -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \) | LC_ALL=C sort | head -20 |
  while IFS= read -r f; do cp "$f" "$scratch/data/"; done
row="| $name |"
for threads in 1 2; do
  for precision in fp32 bf16; do
    rm -rf "$scratch/run"
    # The last progress line's rate counts training steps only (after loading).
    rate=$("$trainer" train --data "$scratch/data" --run "$scratch/run" --stop-at-step "${STEPS:-40}" \
      --steps 200000 --binarize-at 1 --train-iterations 24 --iterations 24 --crop 64 --batch 8 \
      --threads "$threads" --precision "$precision" --validate-every 100000 \
      --checkpoint-minutes 30 "$@" 2>&1 | sed -n 's/.* \([0-9.]*\) steps\/s .*/\1/p' | tail -1)
    row="$row $rate |"
  done
done
echo "$row"
