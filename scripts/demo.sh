#!/usr/bin/env bash
# The main job: installs what is missing, builds Anima (which compiles
# examples/fashion-online/model.mlir with animac) and runs the living
# classifier on Fashion-MNIST: one pass over the 60,000 training images,
# each predicted before it is learned from, then the test accuracy with
# learning off, side by side with the same model frozen. Extra arguments go
# to fashion-online (e.g. --train 10000 --test 2000).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ANIMA_BUILD_DIR:-$root/build}

bash "$root/scripts/bootstrap.sh"
bash "$root/scripts/build.sh"

out=${ANIMA_DEMO_OUT:-$build/fashion-online-out}
echo "== fashion-online: Fashion-MNIST, one pass, test-then-train (about 90 s of CPU)"
"$build/bin/fashion-online" --out "$out" "$@"
