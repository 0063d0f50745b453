#!/usr/bin/env bash
# Cross-builds the runtime, the CPU microkernels, the reference kernels and
# their tests for aarch64 (Debian's g++-aarch64-linux-gnu; no MLIR needed)
# and runs the tests under qemu-user (qemu-aarch64 -L /usr/aarch64-linux-gnu):
# the NEON and portable microkernel paths against the reference, the journal
# and guard contract, the runtime's C API with a cross-compiled toy model.
#
#   scripts/test-aarch64.sh            build in $ANIMA_AARCH64_BUILD_DIR
#                                      (default build-aarch64/) and run ctest
#
# Needs (Debian): g++-aarch64-linux-gnu libc6-arm64-cross qemu-user
# (scripts/bootstrap.sh installs them) and libgtest-dev's sources in
# /usr/src/googletest, cross-built here once.
#
# Tests that start another aarch64 program through /bin/sh (anima-run from
# anima-runtime-tests) need the kernel to run aarch64 binaries itself
# (binfmt_misc, Debian qemu-user-binfmt); without it they are filtered out
# and the script says so.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ANIMA_AARCH64_BUILD_DIR:-$root/build-aarch64}
sysroot=/usr/aarch64-linux-gnu
jobs=${ANIMA_JOBS:-$(nproc)}
start=$(date +%s)

for tool in aarch64-linux-gnu-gcc aarch64-linux-gnu-g++ qemu-aarch64 cmake ninja; do
  if ! command -v "$tool" >/dev/null; then
    echo "test-aarch64.sh: $tool not found (Debian: g++-aarch64-linux-gnu qemu-user" \
         "libc6-arm64-cross cmake ninja-build)" >&2
    exit 2
  fi
done
if [ ! -f /usr/src/googletest/CMakeLists.txt ]; then
  echo "test-aarch64.sh: /usr/src/googletest missing (Debian: libgtest-dev)" >&2
  exit 2
fi

mkdir -p "$build"
toolchain="$build/aarch64-linux-gnu.cmake"
cat >"$toolchain" <<EOF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_FIND_ROOT_PATH $sysroot $build/gtest)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# add_test() commands of cross-built programs run under qemu-user.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L $sysroot)
EOF

# GoogleTest for aarch64, from Debian's sources (once).
if [ ! -f "$build/gtest/lib/cmake/GTest/GTestConfig.cmake" ]; then
  echo "== GoogleTest for aarch64"
  cmake -G Ninja -S /usr/src/googletest -B "$build/gtest-build" \
    -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$build/gtest" >/dev/null
  ninja -C "$build/gtest-build" -j"$jobs" install >/dev/null
fi

# The Vulkan headers are architecture-independent, but the cross toolchain
# only searches the aarch64 sysroot: give the runtime a private copy (never
# -I/usr/include, whose host headers would shadow the sysroot's).
vkinc="$build/vulkan-include"
if [ -f /usr/include/vulkan/vulkan.h ] && [ ! -f "$vkinc/vulkan/vulkan.h" ]; then
  mkdir -p "$vkinc"
  cp -r /usr/include/vulkan "$vkinc/"
  [ -d /usr/include/vk_video ] && cp -r /usr/include/vk_video "$vkinc/"
fi

echo "== configure (aarch64, no MLIR)"
cmake -G Ninja -S "$root" -B "$build/anima" \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release \
  -DANIMA_ENABLE_MLIR=OFF -DGTest_DIR="$build/gtest/lib/cmake/GTest" \
  -DANIMA_VULKAN_INCLUDE_DIR="$vkinc" \
  -DCMAKE_PREFIX_PATH="$build/gtest" >/dev/null

echo "== build"
targets=(AnimaRuntime AnimaCpuKernels AnimaReferenceKernels anima-run
         anima-reference-tests anima-kernel-tests anima-kernel-tests-noscratch
         anima-runtime-tests anima-ukernels anima-ukernels-linkcheck)
ninja -C "$build/anima" -j"$jobs" "${targets[@]}" | grep -vE '^\[[0-9]+/[0-9]+\] ' || true
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "test-aarch64.sh: build failed" >&2; exit 1; }
built=$(date +%s)

echo "== tests under qemu-aarch64"
file "$build/anima/bin/anima-kernel-tests" 2>/dev/null | sed 's/^/   /' || true
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  echo "   no binfmt_misc entry for aarch64: skipping AnimaRunTest.* (it runs" \
       "anima-run through /bin/sh)"
  export GTEST_FILTER='-AnimaRunTest.*'
fi
status=0
ctest --test-dir "$build/anima" --output-on-failure -j"$jobs" --timeout 1800 \
  -R '^anima-(reference-tests|kernel-tests|kernel-tests-noscratch|kernel-tests-isa-.*|runtime-tests|runtime-no-llvm|ukernels-.*)$' \
  || status=$?
end=$(date +%s)
echo "test-aarch64.sh: build $((built - start)) s, tests $((end - built)) s," \
     "total $((end - start)) s; status $status"
exit "$status"
