# Sanitized builds. The flags apply to the whole build (every library a test
# links is instrumented alike), so use a separate build folder:
#
#   ANIMA_SANITIZE=address,undefined   scripts/test-sanitizers.sh (build-asan/):
#                                      the whole test suite under ASan+UBSan
#   ANIMA_ENABLE_FUZZERS=ON            the libFuzzer targets of tests/fuzz
#                                      (clang only; implies address,undefined
#                                      and adds coverage instrumentation)
#
# UBSan reports are fatal (-fno-sanitize-recover), so a finding fails the test
# that triggered it.

set(ANIMA_SANITIZE "" CACHE STRING
  "Sanitizers for the whole build, e.g. address,undefined (empty: none)")
option(ANIMA_ENABLE_FUZZERS
  "Build the libFuzzer targets of tests/fuzz (clang; implies ANIMA_SANITIZE=address,undefined)"
  OFF)

if(ANIMA_ENABLE_FUZZERS)
  if(NOT CMAKE_C_COMPILER_ID STREQUAL "Clang" OR
     NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ANIMA_ENABLE_FUZZERS needs clang: configure with "
                        "-DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22")
  endif()
  if(NOT ANIMA_SANITIZE)
    set(ANIMA_SANITIZE "address,undefined")
  endif()
endif()

if(ANIMA_SANITIZE)
  message(STATUS "Sanitizers: ${ANIMA_SANITIZE} (fuzzers: ${ANIMA_ENABLE_FUZZERS})")
  add_compile_options(-fsanitize=${ANIMA_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${ANIMA_SANITIZE})
  if(ANIMA_ENABLE_FUZZERS)
    add_compile_options(-fsanitize=fuzzer-no-link)
  endif()
endif()
