# Runs the Fashion-MNIST demo on the first 3,000 samples of the seed-0 stream
# and 1,000 test images, then checks that the living model learned.
#
#   cmake -DDEMO=<fashion-online> -DOUT=<dir> -P check_learning.cmake
#
# Everything is seeded (stream order, random projections) and the runtime is
# deterministic, so a run gives the same numbers every time on a machine;
# across CPUs only float rounding can differ, which moves a few samples. The
# measured values (x86-64, see examples/fashion-online/README.md) are test
# accuracy 84.6% living / 10.7% frozen and prequential accuracy 81.1%. The
# bounds sit about ten points inside them, so they never trip on rounding
# and each still catches a real regression:
#   - test_living >= 0.74: the model learned a good classifier in 3,000
#     steps (chance is 0.10);
#   - prequential_living >= 0.70: it learns during the pass, not only by its
#     end;
#   - test_living - test_frozen >= 0.50: the learning effect itself;
#   - test_frozen <= 0.25: plasticity 0 from the start really freezes the
#     model (its readout stays zero, so it answers one class: ~10%).
foreach(var DEMO OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_learning.cmake: pass -D${var}=...")
  endif()
endforeach()

file(REMOVE_RECURSE "${OUT}")
execute_process(
  COMMAND "${DEMO}" --train 3000 --test 1000 --seed 0 --out "${OUT}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fashion-online failed (exit status ${rc}); see its "
                      "message above")
endif()

# summary.json writes accuracies as 0.dddd; read them as integers in units of
# 1/10000 (CMake's math() has integers only).
file(READ "${OUT}/summary.json" summary)
foreach(key test_living test_frozen prequential_living)
  if(NOT summary MATCHES "\"${key}\": ([01])\\.([0-9][0-9][0-9][0-9])[,\n]")
    message(FATAL_ERROR "${OUT}/summary.json has no ${key} of the form 0.dddd")
  endif()
  set(${key} "${CMAKE_MATCH_1}.${CMAKE_MATCH_2}")
  math(EXPR ${key}_int "${CMAKE_MATCH_1} * 10000 + 1${CMAKE_MATCH_2} - 10000")
endforeach()
math(EXPR margin "${test_living_int} - ${test_frozen_int}")

set(failures "")
macro(expect what ok)
  if(NOT ${ok})
    string(APPEND failures "\n  ${what}")
  endif()
endmacro()

set(ok_living FALSE)
if(test_living_int GREATER_EQUAL 7400)
  set(ok_living TRUE)
endif()
expect("test accuracy ${test_living} < 0.74 (living model)" ok_living)
set(ok_prequential FALSE)
if(prequential_living_int GREATER_EQUAL 7000)
  set(ok_prequential TRUE)
endif()
expect("prequential accuracy ${prequential_living} < 0.70" ok_prequential)
set(ok_margin FALSE)
if(margin GREATER_EQUAL 5000)
  set(ok_margin TRUE)
endif()
expect("living - frozen = ${test_living} - ${test_frozen} < 0.50" ok_margin)
set(ok_frozen FALSE)
if(test_frozen_int LESS_EQUAL 2500)
  set(ok_frozen TRUE)
endif()
expect("frozen test accuracy ${test_frozen} > 0.25: plasticity 0 did not freeze the model" ok_frozen)

if(failures)
  message(FATAL_ERROR "the living model did not learn as expected:${failures}")
endif()
message(STATUS "learning effect: living ${test_living} vs frozen "
               "${test_frozen} on the test images, prequential "
               "${prequential_living}")
