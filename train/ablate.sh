#!/usr/bin/env bash
# One ablation run (docs/TRAINING.md): continue a float checkpoint for LEN
# steps with the given options, then print the final validation. PHASE=binary
# (default) binarizes from the first step and validates the exact binary
# network that export writes; PHASE=float keeps float weights.
#   train/ablate.sh FLOAT_CHECKPOINT NAME [qcodec-train options...]
# Environment: DATA (required: the training images, README "Data"), TRAINER
# (default build/tools/qcodec-train), LEN (default 300), OUT (default
# runs/ablation), PHASE (binary or float).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 2 ]]; then
  echo "usage: $0 FLOAT_CHECKPOINT NAME [qcodec-train options...]" >&2
  exit 2
fi
float=$1 name=$2
shift 2
trainer=${TRAINER:-build/tools/qcodec-train}
data=${DATA:?set DATA to the training images (README, "Data")}
len=${LEN:-300}
run=${OUT:-runs/ablation}/$name
mkdir -p "$run"
cp "$float" "$run/checkpoint.pt"
# The checkpoint's step: a resume that stops at once prints it.
start=$("$trainer" train --data "$data" --run "$run" --resume --stop-at-step 1 --threads 1 2>&1 |
  sed -n 's/^resuming .* at step \([0-9]*\).*/\1/p')
steps=$((start + len))
case ${PHASE:-binary} in
  binary) at=$(python3 -c "print(($start + 0.5) / $steps)") ;;
  float) at=1 ;;
  *) echo "PHASE must be binary or float" >&2; exit 2 ;;
esac
t0=$(date +%s)
"$trainer" train --data "$data" --run "$run" --resume --steps "$steps" --binarize-at "$at" \
  --lr 2e-3 --train-iterations 16 --threads 1 --validate-every 100000 --checkpoint-minutes 30 \
  "$@" >"$run/train.log" 2>&1
echo "$name $(($(date +%s) - t0))s: $(grep '^validation' "$run/train.log" | tail -1)"
