#!/usr/bin/env bash
# One arm of the capacity study (docs/TRAINING.md): a new float run of
# MINUTES wall time from a float checkpoint widened to the given widths
# (--grow-from FLOAT_CHECKPOINT), or from scratch without it, on the common
# schedule below; prints the steps it made and its final validation.
#   train/capacity_study.sh NAME MINUTES [qcodec-train options...]
# Environment: TRAINER (default build/tools/qcodec-train), DATA (training
# images, required), OUT (default runs/capacity), THREADS (default 1),
# PRECISION (default bf16).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 2 || -z ${DATA:-} ]]; then
  echo "usage: DATA=TRAINING_IMAGES $0 NAME MINUTES [qcodec-train options...]" >&2
  exit 2
fi
name=$1 minutes=$2
shift 2
trainer=${TRAINER:-build/tools/qcodec-train}
run=${OUT:-runs/capacity}/$name
rm -rf "$run"
mkdir -p "$run"
# A schedule far longer than the arm: the learning rate stays near its
# peak, so every arm sees the same rate for its whole time.
"$trainer" train --data "$DATA" --run "$run" --max-minutes "$minutes" --steps 200000 \
  --lr 1e-3 --binarize-at 1 --train-iterations 24 --crop 64 --batch 8 \
  --threads "${THREADS:-1}" --precision "${PRECISION:-bf16}" --validate-every 100000 \
  --checkpoint-minutes 30 "$@" >"$run/train.log" 2>&1
echo "$name: $(grep '^stopped' "$run/train.log") | $(grep '^validation' "$run/train.log" | tail -1)"
