#!/usr/bin/env bash
# Runs the Vulkan tests and the Vulkan benchmarks on a real GPU, where one
# exists (lavapipe is the fallback, so the script also runs in CI-like
# machines).
#
#   scripts/vulkan-gpu-check.sh [OUT_DIR]
#
# Device: ANIMA_VULKAN_DEVICE (index or name substring) if set, else the
# first device that is not a CPU (llvmpipe). Prints and writes to OUT_DIR
# (default build/vulkan-gpu-check): the device, the conformance tests under
# the validation layer (messages counted), kernel benchmarks (time per
# step, GB/s) and Fashion-MNIST steps/s on Vulkan next to the CPU.
# ANIMA_GPU_CHECK_TRAIN (default 10000) sets the Fashion-MNIST stream length
# and ANIMA_GPU_CHECK_BENCH (default '/(vulkan|compiled)/') the benchmark
# filter; keep both small on lavapipe.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ANIMA_BUILD_DIR:-$root/build}
out=${1:-$build/vulkan-gpu-check}
mkdir -p "$out"
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$build/.cache}

if [ ! -x "$build/bin/anima-e2e-tests" ] || [ ! -x "$build/bin/anima-bench-plastic" ]; then
  bash "$root/scripts/build.sh" || { echo "vulkan-gpu-check: build failed"; exit 1; }
fi

summary="$out/summary.txt"
: > "$summary"
say() { echo "$@" | tee -a "$summary"; }

# Pick the device: the first non-CPU one unless the caller chose.
if [ -z "${ANIMA_VULKAN_DEVICE:-}" ]; then
  gpu=$(vulkaninfo --summary 2>/dev/null | awk -F'= ' '/deviceName/ {print $2}' \
        | grep -vi llvmpipe | head -1)
  if [ -n "$gpu" ]; then
    export ANIMA_VULKAN_DEVICE="$gpu"
  else
    say "vulkan-gpu-check: no GPU found; using lavapipe"
    export VK_DRIVER_FILES=${VK_DRIVER_FILES:-/usr/share/vulkan/icd.d/lvp_icd.$(uname -m).json}
    export ANIMA_VULKAN_DEVICE=llvmpipe
  fi
fi
say "device: $ANIMA_VULKAN_DEVICE"
vulkaninfo --summary > "$out/vulkaninfo.txt" 2>&1 || true

# 1. Conformance on the device, validation layer on (if installed).
if [ -f /usr/share/vulkan/explicit_layer.d/VkLayer_khronos_validation.json ]; then
  export ANIMA_VULKAN_VALIDATION=1
fi
"$build/bin/anima-e2e-tests" --gtest_filter='*vulkan*:*CrossBackend*' \
  > "$out/e2e.log" 2>&1
e2e=$?
say "conformance (vulkan + cpu-vs-vulkan): $(grep -E '^\[  (PASSED|FAILED)' "$out/e2e.log" | tr '\n' ' ') exit $e2e"
say "validation messages: $(grep -c 'Vulkan validation' "$out/e2e.log")"
unset ANIMA_VULKAN_VALIDATION

# 2. Kernel benchmarks: the vulkan rows next to the compiled CPU ones.
for area in plastic memory; do
  "$build/bin/anima-bench-$area" --benchmark_filter="${ANIMA_GPU_CHECK_BENCH:-/(vulkan|compiled)/}" \
    --benchmark_min_time=0.2 --benchmark_format=console \
    --benchmark_out="$out/bench-$area.json" --benchmark_out_format=json \
    > "$out/bench-$area.txt" 2>&1
  say "bench $area: exit $? ($out/bench-$area.txt)"
  grep -E '(vulkan|compiled)/k=256/fresh|(vulkan|compiled)/d=512' "$out/bench-$area.txt" \
    | awk '{print "  " $1, $2, $3}' | tee -a "$summary"
done

# 3. The Fashion-MNIST demo model, Vulkan next to CPU.
for backend in cpu vulkan; do
  "$build/bin/fashion-online" --train "${ANIMA_GPU_CHECK_TRAIN:-10000}" --test 2000 --no-frozen \
    --backend "$backend" --out "$out/fashion-$backend" > "$out/fashion-$backend.log" 2>&1
  say "fashion $backend: exit $? $(grep -E 'steps/s \(stream\)|test accuracy' "$out/fashion-$backend.log" | tr -s ' ' | tr '\n' ';')"
done
say "results in $out"
[ "$e2e" -eq 0 ]
