#!/usr/bin/env bash
# Installs qcodec's build and test dependencies from Debian 12 packages.
# Idempotent: apt-get skips what is already installed. Needs root (or sudo).
set -euo pipefail
packages=(
  build-essential cmake pkg-config ccache
  libpng-dev libjpeg62-turbo-dev libzstd-dev libcli11-dev libgtest-dev
  libtorch-dev libopenblas0-openmp libbenchmark-dev
  libhwy-dev nlohmann-json3-dev
  libwebp-dev libopenjp2-7-dev libavif-dev libjxl-dev
  clang libfuzzer-14-dev libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
