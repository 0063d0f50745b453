# Driver of the ctest test anima-install-consumer (CMakeLists.txt here).
#   cmake -DBUILD_DIR=... -DCONSUMER_SOURCE_DIR=... -DWORK_DIR=... -DMLIR_DIR=...
#         -DGENERATOR=... [-DMAKE_PROGRAM=...] [-DC_COMPILER=... -DCXX_COMPILER=...]
#         [-DLAUNCHER=ccache] [-DSANITIZE=address,...] -DNM=... -DREADELF=...
#         -DCHECK_NO_LLVM=... -P ConsumerTest.cmake
cmake_minimum_required(VERSION 3.20)

set(prefix ${WORK_DIR}/prefix)
set(full ${WORK_DIR}/build)
set(device ${WORK_DIR}/build-runtime-only)
set(model ${CONSUMER_SOURCE_DIR}/model.mlir)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# run(<what> [OUTPUT <var>] COMMAND ...): runs a command, and on failure
# prints its output and stops; its stdout goes to <var> when given.
function(run what)
  cmake_parse_arguments(ARG "" "OUTPUT" "COMMAND" ${ARGN})
  string(TIMESTAMP start "%s")
  execute_process(COMMAND ${ARG_COMMAND}
    OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr RESULT_VARIABLE rc)
  string(TIMESTAMP end "%s")
  math(EXPR seconds "${end} - ${start}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARG_COMMAND}\n"
                        "--- stdout\n${stdout}\n--- stderr\n${stderr}")
  endif()
  message(STATUS "${what}: ok (${seconds} s)")
  if(ARG_OUTPUT)
    set(${ARG_OUTPUT} "${stdout}" PARENT_SCOPE)
  endif()
endfunction()

set(configure_args -G "${GENERATOR}" -DCMAKE_BUILD_TYPE=Release)
if(MAKE_PROGRAM)
  list(APPEND configure_args -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM})
endif()
if(C_COMPILER AND CXX_COMPILER)
  list(APPEND configure_args -DCMAKE_C_COMPILER=${C_COMPILER}
                             -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
if(LAUNCHER)
  list(APPEND configure_args -DCMAKE_C_COMPILER_LAUNCHER=${LAUNCHER}
                             -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER})
endif()
# A sanitized build installs instrumented libraries: instrument the consumer.
if(SANITIZE)
  list(APPEND configure_args -DCMAKE_C_FLAGS=-fsanitize=${SANITIZE}
                             -DCMAKE_CXX_FLAGS=-fsanitize=${SANITIZE}
                             -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=${SANITIZE})
endif()

# 1. Install the build into the temporary prefix.
run("cmake --install"
  COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(file
    lib/cmake/anima/AnimaConfig.cmake
    include/anima/Dialect/AnimaOps.td
    include/anima/Dialect/AnimaOps.h.inc
    include/anima-c/Dialect/Anima.h
    include/anima/runtime/anima.h
    bin/animac)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "not installed: ${prefix}/${file}")
  endif()
endforeach()
file(GLOB archives ${prefix}/lib/anima-ukernels/*/libanima_ukernels.a)
if(NOT archives)
  message(FATAL_ERROR "no microkernel archive under ${prefix}/lib/anima-ukernels")
endif()

# 2. The consumer against the whole package.
run("configure the consumer"
  COMMAND ${CMAKE_COMMAND} ${configure_args} -S ${CONSUMER_SOURCE_DIR}
          -B ${full} -DAnima_DIR=${prefix}/lib/cmake/anima
          -DMLIR_DIR=${MLIR_DIR})
run("build the consumer" COMMAND ${CMAKE_COMMAND} --build ${full})

run("vendor-opt --anima-cpu-pipeline" OUTPUT lowered
  COMMAND ${full}/vendor-opt ${model} --anima-cpu-pipeline)
if(NOT lowered MATCHES "llvm.func @anima_entry_step")
  message(FATAL_ERROR "vendor-opt did not lower the model:\n${lowered}")
endif()
run("vendor-compile" OUTPUT cxx_steps
  COMMAND ${full}/vendor-compile ${model} ${WORK_DIR}/cxx.anima)
run("vendor-capi" OUTPUT c_steps
  COMMAND ${full}/vendor-capi ${model} ${WORK_DIR}/c.anima)
# The installed animac too (it finds the microkernels next to itself).
run("installed animac"
  COMMAND ${prefix}/bin/animac ${model} -o ${WORK_DIR}/animac.anima)

# 3. The device application from the Runtime component alone.
run("configure the runtime-only consumer"
  COMMAND ${CMAKE_COMMAND} ${configure_args} -S ${CONSUMER_SOURCE_DIR}
          -B ${device} -DAnima_DIR=${prefix}/lib/cmake/anima
          -DCONSUMER_RUNTIME_ONLY=ON
          -DCMAKE_DISABLE_FIND_PACKAGE_MLIR=ON
          -DCMAKE_DISABLE_FIND_PACKAGE_LLVM=ON)
run("build the runtime-only consumer" COMMAND ${CMAKE_COMMAND} --build ${device})
run("device-app links no LLVM/MLIR"
  COMMAND ${CMAKE_COMMAND} -DNM=${NM} -DREADELF=${READELF}
          -DEXECUTABLES=${device}/device-app -P ${CHECK_NO_LLVM})
run("device-app (C++ artifact)" OUTPUT device_steps
  COMMAND ${device}/device-app ${WORK_DIR}/cxx.anima)
run("device-app (animac artifact)" OUTPUT animac_steps
  COMMAND ${device}/device-app ${WORK_DIR}/animac.anima)

# Every route compiled the same model: the same outputs after five steps.
foreach(other c_steps device_steps animac_steps)
  if(NOT "${${other}}" STREQUAL "${cxx_steps}")
    message(FATAL_ERROR "outputs differ: vendor-compile: ${cxx_steps}"
                        "${other}: ${${other}}")
  endif()
endforeach()
if(NOT cxx_steps MATCHES "^y = ")
  message(FATAL_ERROR "unexpected output: ${cxx_steps}")
endif()
message(STATUS "every route: ${cxx_steps}")
file(REMOVE_RECURSE ${WORK_DIR})
