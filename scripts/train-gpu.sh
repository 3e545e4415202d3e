#!/usr/bin/env bash
# Trains qcodec on a machine that has a LibTorch (PyTorch's own, found through
# torch.utils.cmake_prefix_path, or Debian's libtorch-dev) but no network and
# no Debian -dev packages: the device machine of docs/TRAINING.md.
#
#   scripts/train-gpu.sh pack DATA_DIR CARRY_DIR [MEGABYTES]
#       Here (Debian 12, network to its mirror): fills CARRY_DIR with the .deb
#       files the trainer's build needs and a training subset of at most
#       MEGABYTES (default 24) from DATA_DIR, never its held-out images.
#   scripts/train-gpu.sh train CARRY_DIR CHECKPOINT MINUTES OUT_DIR [trainer options...]
#       There: unpacks the .deb files under /tmp (never into /), builds
#       qcodec-train in build-gpu/, resumes the run from CHECKPOINT (a file,
#       left unchanged; TEACHER=file gives a distillation teacher, LOG=file
#       the run's log.csv to append to) for MINUTES (at most 10) and writes
#       checkpoint.pt (in 15 MiB parts when larger), log.csv and train.log
#       to OUT_DIR. The device is cuda
#       when torch sees a GPU, else cpu (DEVICE overrides); options after
#       OUT_DIR go to `qcodec-train train` and must repeat the run's schedule
#       (--steps, --lr, ...; docs/TRAINING.md gives each run's command).
#       THREADS sets the CPU threads (default: every core).
set -euo pipefail
cd "$(dirname "$0")/.."

# Build dependencies of qcodec-train alone (no tests, eval or benchmarks),
# with the runtime libraries the -dev packages link and pkg-config itself.
debs=(libpng-dev libpng16-16 zlib1g-dev libjpeg62-turbo-dev libjpeg62-turbo libzstd-dev libzstd1
      libcli11-dev nlohmann-json3-dev pkgconf-bin libpkgconf3)

die() {
  echo "train-gpu: $*" >&2
  exit 1
}

pack() {
  local data=$1 carry=$2 budget_mb=${3:-24}
  [[ -d $data ]] || die "$data: no such folder"
  mkdir -p "$carry/debs" "$carry/data"
  (cd "$carry/debs" && apt-get download "${debs[@]}" >/dev/null) ||
    die "apt-get download failed (run 'apt-get update' first)"
  # The trainer holds out every 50th image in sorted order (train/loss.h):
  # those never go. The rest are taken in an order fixed by a hash of their
  # names (a spread over every source, the same each time) until the budget
  # is full.
  local budget=$((budget_mb * 1024 * 1024)) used=0 kept=0 f
  rm -rf "$carry/data"/*
  while IFS= read -r f; do
    local size
    size=$(stat -c %s "$f")
    ((used + size > budget)) && continue
    local rel=${f#"$data"/}
    mkdir -p "$carry/data/$(dirname "$rel")"
    cp "$f" "$carry/data/$rel"
    used=$((used + size))
    kept=$((kept + 1))
  done < <(find "$data" -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \) | LC_ALL=C sort |
    awk 'NR % 50 != 0' | while IFS= read -r f; do
      echo "$(printf '%s' "${f#"$data"/}" | md5sum | cut -c1-12) $f"
    done | LC_ALL=C sort | cut -d' ' -f2-)
  echo "train-gpu: $carry: $(ls "$carry/debs" | wc -l) .deb files, $kept training images ($((used / 1024 / 1024)) MB)"
}

train() {
  local carry=$1 checkpoint=$2 minutes=$3 out=$4
  shift 4
  [[ -f $checkpoint ]] || die "$checkpoint: no such checkpoint"
  [[ -z ${TEACHER:-} || -f $TEACHER ]] || die "$TEACHER: no such teacher"
  [[ -z ${LOG:-} || -f $LOG ]] || die "$LOG: no such log"
  awk -v m="$minutes" 'BEGIN { exit !(m > 0 && m <= 10) }' || die "MINUTES must be in (0, 10]"
  local root=/tmp/qcodec-deps
  rm -rf "$root"
  mkdir -p "$root" "$out"
  shopt -s nullglob
  local f
  for f in "$carry"/debs/*.deb; do dpkg-deb -x "$f" "$root"; done
  shopt -u nullglob
  local lib=$root/usr/lib/x86_64-linux-gnu
  export PATH=$root/usr/bin:$PATH
  export LD_LIBRARY_PATH=$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  # Only the unpacked .pc files, whose /usr paths the sysroot re-roots.
  export PKG_CONFIG_LIBDIR=$lib/pkgconfig:$root/usr/share/pkgconfig
  export PKG_CONFIG_SYSROOT_DIR=$root
  local torch_prefix
  torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null || true)
  local device=${DEVICE:-}
  if [[ -z $device ]]; then
    device=$(python3 -c 'import torch; print("cuda" if torch.cuda.is_available() else "cpu")' 2>/dev/null || echo cpu)
  fi
  # LibTorch 2.13 and later need C++20 (their headers refuse C++17).
  local standard
  standard=$(python3 -c 'import torch; v = tuple(int(p) for p in torch.__version__.split("+")[0].split(".")[:2]); print(20 if v >= (2, 13) else 17)' 2>/dev/null || echo 17)
  echo "train-gpu: LibTorch from ${torch_prefix:-the system}; device $device; C++$standard"
  cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DQC_BUILD_TESTS=OFF -DQC_BUILD_EVAL=OFF \
    -DQC_BUILD_BENCH=OFF -DQC_CXX_STANDARD="$standard" -DCMAKE_PREFIX_PATH="${torch_prefix:+$torch_prefix;}$root/usr" \
    -DPKG_CONFIG_EXECUTABLE="$root/usr/bin/pkgconf" >"$out/configure.log" 2>&1 ||
    { tail -20 "$out/configure.log" >&2; die "configure failed (log: $out/configure.log)"; }
  grep -q "building qcodec-train" "$out/configure.log" || die "CMake found no LibTorch"
  cmake --build build-gpu -j "$(nproc)" --target qcodec-train >"$out/build.log" 2>&1 ||
    { tail -20 "$out/build.log" >&2; die "build failed (log: $out/build.log)"; }
  local run=/tmp/qcodec-gpu-run
  rm -rf "$run"
  mkdir -p "$run"
  cp "$checkpoint" "$run/checkpoint.pt"
  if [[ -n ${TEACHER:-} ]]; then cp "$TEACHER" "$run/teacher.pt"; fi
  if [[ -n ${LOG:-} ]]; then cp "$LOG" "$run/log.csv"; fi
  build-gpu/tools/qcodec-train train --data "$carry/data" --run "$run" --resume \
    --device "$device" --precision auto --threads "${THREADS:-$(nproc)}" --max-minutes "$minutes" "$@" \
    >"$out/train.log" 2>&1 || { tail -20 "$out/train.log" >&2; die "training failed (log: $out/train.log)"; }
  grep -E '^(resuming|convolutions|validation|stopped)' "$out/train.log" || true
  cp "$run/log.csv" "$out/"
  # The device tool brings back files of at most 16 MiB: a larger checkpoint
  # comes back in parts (join them with cat, in name order).
  if (($(stat -c %s "$run/checkpoint.pt") > 15 * 1024 * 1024)); then
    split -b 15M -d -a 2 "$run/checkpoint.pt" "$out/checkpoint.pt.part"
    echo "train-gpu: $out/checkpoint.pt.part* (cat $out/checkpoint.pt.part* > checkpoint.pt), $out/log.csv"
  else
    cp "$run/checkpoint.pt" "$out/"
    echo "train-gpu: $out/checkpoint.pt, $out/log.csv"
  fi
}

case ${1:-} in
  pack) shift; [[ $# -ge 2 ]] || die "usage: $0 pack DATA_DIR CARRY_DIR [MEGABYTES]"; pack "$@" ;;
  train) shift; [[ $# -ge 4 ]] || die "usage: $0 train CARRY_DIR CHECKPOINT MINUTES OUT_DIR [options]"; train "$@" ;;
  *) die "usage: $0 pack DATA_DIR CARRY_DIR [MEGABYTES] | train CARRY_DIR CHECKPOINT MINUTES OUT_DIR [options]" ;;
esac
