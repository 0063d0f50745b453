#!/usr/bin/env bash
# The main job. Today (before the compiler exists) it builds Anima and runs
# anima-opt on the bundled example model: parse, verify, canonicalize, print.
# Later issues make it compile the model with animac and run it learning
# online on Fashion-MNIST.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ANIMA_BUILD_DIR:-$root/build}

bash "$root/scripts/bootstrap.sh"
bash "$root/scripts/build.sh"

model=${1:-$root/examples/models/living_classifier.mlir}
echo "== anima-opt --canonicalize $model"
"$build/bin/anima-opt" --canonicalize "$model"
echo "== verified: $(grep -c 'anima\.' "$model") anima ops in $(basename "$model")"
