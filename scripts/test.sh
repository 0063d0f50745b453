#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then runs ctest, which
# drives the lit suite (check-anima) and the GoogleTest binaries. Ends with
# the lit, GoogleTest and ctest summaries.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ANIMA_BUILD_DIR:-$root/build}
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$build/.cache}

bash "$root/scripts/bootstrap.sh" || exit 1
bash "$root/scripts/build.sh" || { echo "test.sh: build failed"; exit 1; }

log="$build/ctest.log"
ctest --test-dir "$build" --output-on-failure -j2 --timeout 1500 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

detail="$build/Testing/Temporary/LastTest.log"
echo
echo "================ summary ================"
echo "lit:"
grep -E '^(Total Discovered Tests|  (Passed|Failed|Unsupported|Expectedly Failed|Unresolved|Timed Out))' "$detail" 2>/dev/null | sed 's/^/  /'
echo "GoogleTest:"
grep -E '^\[==========\] [0-9]+ tests? from .* ran|^\[  (PASSED|FAILED)  \] [0-9]+ tests?' "$detail" 2>/dev/null | sed 's/^/  /'
echo "ctest:"
grep -E 'tests passed, [0-9]+ tests? failed out of|Total Test time' "$log" | sed 's/^/  /'
exit "$status"
