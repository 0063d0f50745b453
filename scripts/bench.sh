#!/usr/bin/env bash
# Kernel benchmarks and the performance regression check (bench/README.md).
#
#   scripts/bench.sh                 full suite, compared with this device's
#                                    baseline (bench/baselines/<device>.json)
#   scripts/bench.sh --quick         the smoke subset (< 2 minutes)
#   scripts/bench.sh record [--device NAME]
#                                    full suite, stored as the baseline
#   scripts/bench.sh fashion         Fashion-MNIST steps/s: Anima vs PyTorch
#   scripts/bench.sh <anima_bench.py command> [options]
#                                    anything else goes to bench/tools/anima_bench.py
#
# Builds what it needs first ($ANIMA_BUILD_DIR, default build/). Run it on an
# otherwise idle machine for numbers you want to keep; ratios measured in one
# run (what regressions are judged on) tolerate some background load.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ANIMA_BUILD_DIR:-$root/build}
export ANIMA_BUILD_DIR=$build OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

bash "$root/scripts/build.sh" >/dev/null || { echo "bench.sh: build failed" >&2; exit 2; }
ninja -C "$build" anima-bench-plastic anima-bench-memory anima-bench-fashion \
  | grep -vE '^\[[0-9]+/[0-9]+\] |^ninja: no work' || true

runner=("${PYTHON:-python3}" "$root/bench/tools/anima_bench.py")
case "${1:-run}" in
  fashion)
    shift
    exec "${PYTHON:-python3}" "$root/bench/e2e/fashion_vs_torch.py" --build-dir "$build" "$@" ;;
  run|record)
    cmd=$1
    shift
    exec "${runner[@]}" "$cmd" --build-dir "$build" "$@" ;;
  -*)
    exec "${runner[@]}" run --build-dir "$build" "$@" ;;
  *)
    exec "${runner[@]}" "$@" ;;
esac
