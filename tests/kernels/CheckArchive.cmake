# cmake -DNM=<nm> -DFILE=<archive or shared library> -DMODE=archive|shared -P
#
# archive: every anima_uk_* entry point is defined and nothing from the C++
#          runtime (mangled names, __cxa_*, __gxx_*, _Unwind_*) is referenced.
# shared:  the library exports exactly the anima_uk_* entry points (plus the
#          link check's own symbol): the kernels' helpers stay hidden.
cmake_minimum_required(VERSION 3.20)

set(entry_points
  anima_uk_kwta anima_uk_gather_matvec anima_uk_sparse_matvec
  anima_uk_mem_read anima_uk_mem_write anima_uk_plastic_update
  anima_uk_fused_mem_step anima_uk_rows_dot anima_uk_rows_update
  anima_uk_matvec_acc)

if(MODE STREQUAL "archive")
  execute_process(COMMAND "${NM}" -g "${FILE}" OUTPUT_VARIABLE out
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} failed on ${FILE}")
  endif()
  foreach(sym ${entry_points})
    if(NOT out MATCHES "[0-9a-f]+ T ${sym}\n")
      message(FATAL_ERROR "${FILE}: ${sym} is not defined")
    endif()
  endforeach()
  # Symbols the archive's members take from each other are not external.
  string(REGEX MATCHALL "[0-9a-f]+ [TDBRVW] [^\n]+" defined_lines "${out}")
  set(defined)
  foreach(d ${defined_lines})
    string(REGEX REPLACE "^[0-9a-f]+ [A-Z] " "" name "${d}")
    list(APPEND defined "${name}")
  endforeach()
  string(REGEX MATCHALL " U [^\n]+" undefined_lines "${out}")
  set(undefined)
  foreach(u ${undefined_lines})
    string(REGEX REPLACE "^ U " "" name "${u}")
    if(NOT name IN_LIST defined)
      list(APPEND undefined "${name}")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES undefined)
  foreach(name ${undefined})
    if(name MATCHES "^(_Z|__cxa_|__gxx_|_Unwind_|__cxx)")
      message(FATAL_ERROR "${FILE}: needs the C++ runtime: ${name}")
    endif()
  endforeach()
  message(STATUS "${FILE}: ok; external symbols: ${undefined}")
elseif(MODE STREQUAL "shared")
  execute_process(COMMAND "${NM}" -D --defined-only "${FILE}"
                  OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} failed on ${FILE}")
  endif()
  string(REGEX MATCHALL "[0-9a-f]+ [TtDdBbRrVvWwi] [^\n]+" defs "${out}")
  set(exported)
  foreach(d ${defs})
    string(REGEX REPLACE "^[0-9a-f]+ [A-Za-z] " "" name "${d}")
    if(NOT name MATCHES "^(_init|_fini|anima_linkcheck_abi_version)$")
      list(APPEND exported "${name}")
    endif()
  endforeach()
  list(SORT exported)
  set(expected ${entry_points})
  list(SORT expected)
  if(NOT exported STREQUAL expected)
    message(FATAL_ERROR "${FILE} exports [${exported}], expected [${expected}]")
  endif()
  message(STATUS "${FILE}: exports exactly the anima_uk_* entry points")
else()
  message(FATAL_ERROR "MODE must be archive or shared")
endif()
