#!/usr/bin/env bash
# Configures (once) and builds Anima into $ANIMA_BUILD_DIR (default: build/).
# Sourced by test.sh and demo.sh; safe to run alone.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ANIMA_BUILD_DIR:-$root/build}

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=${ANIMA_BUILD_TYPE:-Release} \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    ${ANIMA_CMAKE_ARGS:-} >/dev/null
fi
ninja -C "$build" ${ANIMA_NINJA_ARGS:-} | grep -vE '^\[[0-9]+/[0-9]+\] ' || true
# grep hides ninja's progress lines; the pipeline's status is ninja's.
exit "${PIPESTATUS[0]}"
