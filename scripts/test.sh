#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then runs ctest, which
# drives the lit suite (check-anima) and the GoogleTest binaries. Ends with
# the lit, GoogleTest and ctest summaries.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ANIMA_BUILD_DIR:-$root/build}
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$build/.cache}

bash "$root/scripts/bootstrap.sh" || exit 1

# 1. The whole suite under ASan + UBSan in its own build folder (build-asan/);
#    ANIMA_SKIP_SANITIZERS=1 skips it for a quick local run.
sanitizers=0
sanlog="$root/build-asan.log"
if [ "${ANIMA_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "== ASan + UBSan suite (scripts/test-sanitizers.sh, log: $sanlog)"
  bash "$root/scripts/test-sanitizers.sh" > "$sanlog" 2>&1
  sanitizers=$?
  tail -4 "$sanlog"
  if [ "$sanitizers" -ne 0 ]; then
    grep -E '\*\*\*Failed|Sanitizer|runtime error' "$sanlog" | head -20
  fi
fi

# 2. The suite in the normal (release) build.
bash "$root/scripts/build.sh" || { echo "test.sh: build failed"; exit 1; }

log="$build/ctest.log"
ctest --test-dir "$build" --output-on-failure -j2 --timeout 1500 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# 3. The runtime, the kernels and their tests cross-built for aarch64 and
#    run under qemu-user (NEON microkernels against the reference), in
#    build-aarch64/; ANIMA_SKIP_AARCH64=1 skips it.
aarch64=0
a64log="$root/build-aarch64.log"
if [ "${ANIMA_SKIP_AARCH64:-0}" != 1 ]; then
  echo "== aarch64 under qemu (scripts/test-aarch64.sh, log: $a64log)"
  bash "$root/scripts/test-aarch64.sh" > "$a64log" 2>&1
  aarch64=$?
  tail -2 "$a64log"
fi

detail="$build/Testing/Temporary/LastTest.log"
echo
echo "================ summary ================"
echo "lit:"
grep -E '^(Total Discovered Tests|  (Passed|Failed|Unsupported|Expectedly Failed|Unresolved|Timed Out))' "$detail" 2>/dev/null | sed 's/^/  /'
echo "GoogleTest:"
grep -E '^\[==========\] [0-9]+ tests? from .* ran|^\[  (PASSED|FAILED)  \] [0-9]+ tests?' "$detail" 2>/dev/null | sed 's/^/  /'
if [ "${ANIMA_SKIP_SANITIZERS:-0}" != 1 ]; then
  echo "ctest under ASan + UBSan (build-asan/):"
  sed -n '/sanitizer summary/,$p' "$sanlog" |
    grep -E 'tests passed, [0-9]+ tests? failed out of|sanitizer reports' |
    sed 's/^ *//; s/^/  /'
fi
if [ "${ANIMA_SKIP_AARCH64:-0}" != 1 ]; then
  echo "ctest aarch64 under qemu-user (build-aarch64/):"
  grep -E 'tests passed, [0-9]+ tests? failed out of|^test-aarch64.sh:' "$a64log" | sed 's/^/  /'
fi
echo "ctest:"
grep -E 'tests passed, [0-9]+ tests? failed out of|Total Test time' "$log" | sed 's/^/  /'
[ "$sanitizers" -eq 0 ] || exit "$sanitizers"
[ "$aarch64" -eq 0 ] || exit "$aarch64"
exit "$status"
