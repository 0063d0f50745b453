#!/usr/bin/env bash
# Runs the whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer
# (leaks included) in its own build folder, $ANIMA_ASAN_BUILD_DIR (default
# build-asan/): everything the tests run -- compiler, runtime, microkernels
# (also inside the models animac links), test binaries -- is instrumented
# (cmake/AnimaSanitizers.cmake). Any sanitizer report fails its test.
#
#   bash scripts/test-sanitizers.sh            configure once, build, ctest
#   ANIMA_CTEST_ARGS="-R runtime" bash ...     a subset
#
# Uses the default C/C++ compiler (CC/CXX to override) at -O1 with line
# tables, so reports have file:line.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${ANIMA_ASAN_BUILD_DIR:-$root/build-asan}
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$build/.cache}

if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="-O1 -g1 -DNDEBUG" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1 -DNDEBUG" \
    -DANIMA_SANITIZE=address,undefined \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    ${ANIMA_CMAKE_ARGS:-} >/dev/null || { echo "test-sanitizers.sh: cmake failed"; exit 1; }
fi
# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons its slabs in the
# (instrumented) copies of its inline code compiled into our tools but the
# uninstrumented libMLIR.so never unpoisons them, which reads as
# use-after-poison inside MLIR; Anima poisons nothing itself.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:check_initialization_order=1:allow_user_poisoning=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/scripts/lsan.supp:print_suppressions=0}

# The build runs instrumented tools too (animac compiles models).
ninja -C "$build" ${ANIMA_NINJA_ARGS:-} | grep -vE '^\[[0-9]+/[0-9]+\] '
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "test-sanitizers.sh: build failed"; exit 1; }

log="$build/ctest.log"
# Benchmarks measure speed, which an instrumented build does not have.
ctest --test-dir "$build" --output-on-failure -j2 --timeout 1500 \
  -E "${ANIMA_CTEST_EXCLUDE:-^anima-bench}" ${ANIMA_CTEST_ARGS:-} 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
echo
echo "================ sanitizer summary ================"
grep -E 'tests passed, [0-9]+ tests? failed out of|Total Test time' "$log" | sed 's/^/  /'
reports=$(grep -cE '^(==[0-9]+==ERROR: (Address|Leak)Sanitizer|.*runtime error: )' \
  "$build/Testing/Temporary/LastTest.log" 2>/dev/null)
echo "  sanitizer reports: ${reports:-0}"
exit "$status"
