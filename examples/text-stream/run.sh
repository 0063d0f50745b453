#!/usr/bin/env bash
# Text-stream demo: builds the model and its driver if needed, streams a file
# through the living model (prequential bits per character and characters
# per second), and compresses the same bytes with gzip -9, bzip2 -9 and
# xz -9 for comparison.
#
#   examples/text-stream/run.sh [--input FILE] [--bytes N] [driver options]
#
# Default input: the first 2,000,000 bytes of Debian's vim documentation
# (/usr/share/vim/vim*/doc/*.txt, sorted, concatenated; package vim-runtime).
# Environment: ANIMA_BUILD_DIR (default build), as scripts/build.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="${ANIMA_BUILD_DIR:-build}"
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  ANIMA_BUILD_DIR="$BUILD_DIR" bash "$ROOT/scripts/build.sh"
fi
ninja -C "$BUILD_DIR" anima-text-stream >/dev/null

DRIVER="$BUILD_DIR/bin/anima-text-stream"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# The driver writes the exact bytes it streams, so the compressors see the
# same input.
"$DRIVER" --progress 500000 --dump-input "$WORK/input" "$@" | tee "$WORK/anima.txt"

BYTES=$(stat -c %s "$WORK/input")
bpc() { awk -v n="$1" -v b="$BYTES" 'BEGIN { printf "%.3f", 8 * n / b }'; }
ANIMA=$(awk '/^anima:/ { print $2 }' "$WORK/anima.txt")
CPS=$(awk '/^anima:/ { print $4 }' "$WORK/anima.txt")
ORDER0=$(awk '/^order-0/ { print $3 }' "$WORK/anima.txt")

echo
echo "bits per character on the same $BYTES bytes (lower is better):"
printf '  %-28s %s\n' "anima (living, prequential)" "$(printf '%.3f' "$ANIMA")  ($CPS chars/s)"
printf '  %-28s %s\n' "order-0 adaptive" "$(printf '%.3f' "$ORDER0")"
for c in "gzip -9" "bzip2 -9" "xz -9"; do
  if command -v "${c%% *}" >/dev/null; then
    n=$($c -c "$WORK/input" | wc -c)
    printf '  %-28s %s\n' "$c" "$(bpc "$n")"
  else
    printf '  %-28s %s\n' "$c" "(not installed)"
  fi
done
