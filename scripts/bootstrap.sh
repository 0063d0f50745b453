#!/usr/bin/env bash
# Installs every Debian package Anima needs. Idempotent: quick and quiet when
# everything is already present. Run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  # LLVM/MLIR 22 toolchain
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools clang-22 lld-22
  libclang-rt-22-dev
  # build
  cmake ninja-build ccache g++ pkg-config python3 zlib1g-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev libopenblas-dev
  # Vulkan: loader, headers, lavapipe, validation layers, shader tools
  libvulkan-dev vulkan-tools mesa-vulkan-drivers vulkan-validationlayers
  glslc spirv-tools
  # aarch64: cross compiler and qemu-user for scripts/test-aarch64.sh
  g++-aarch64-linux-gnu libc6-arm64-cross qemu-user
  # data for the demos
  dataset-fashion-mnist vim-runtime
  # compressors the text demo compares against
  gzip bzip2 xz-utils
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "bootstrap: installing ${#missing[@]} package(s): ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "bootstrap: done"
