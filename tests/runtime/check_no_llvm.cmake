# Fails when the runtime archives or anima-run depend on LLVM or MLIR.
#   -DNM=nm -DREADELF=readelf -DARCHIVES=a.a|b.a -DEXECUTABLES=x|y
# Archives: no symbol (defined or undefined) from the llvm:: or mlir::
# namespaces or the LLVM/MLIR C APIs. Executables: no DT_NEEDED
# libLLVM/libMLIR and no such symbols either. The archive and DT_NEEDED checks
# also prove they read something, so a broken tool cannot pass vacuously.

string(REPLACE "|" ";" archives "${ARCHIVES}")
string(REPLACE "|" ";" executables "${EXECUTABLES}")
if(NOT NM OR NOT READELF)
  message(FATAL_ERROR "nm (${NM}) or readelf (${READELF}) not found")
endif()

set(forbidden "(llvm|mlir)::|LLVM[A-Z][A-Za-z]+|mlir[A-Z][A-Za-z]+")

# Checks the symbol table read by `nm ${flags}`; with `must_see`, the output
# must contain it (proof that nm read the file).
function(check_symbols file flags must_see)
  execute_process(COMMAND ${NM} ${flags} ${file}
    OUTPUT_VARIABLE symbols RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT must_see AND NOT rc EQUAL 0)
    return() # A stripped executable has no static symbol table.
  endif()
  if(NOT rc EQUAL 0 OR (must_see AND NOT symbols MATCHES "${must_see}"))
    message(FATAL_ERROR "could not read the symbols of ${file}")
  endif()
  if(symbols MATCHES "${forbidden}")
    message(FATAL_ERROR "${file} references LLVM/MLIR: ${CMAKE_MATCH_0}")
  endif()
endfunction()

foreach(archive IN LISTS archives)
  check_symbols(${archive} "-C" "anima_")
endforeach()

foreach(exe IN LISTS executables)
  execute_process(COMMAND ${READELF} -d ${exe}
    OUTPUT_VARIABLE dynamic RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0 OR NOT dynamic MATCHES "NEEDED")
    message(FATAL_ERROR "could not read the dynamic section of ${exe}")
  endif()
  if(dynamic MATCHES "lib(LLVM|MLIR|mlir|clang)[^\n]*")
    message(FATAL_ERROR "${exe} links ${CMAKE_MATCH_0}")
  endif()
  # Dynamic symbols survive stripping; static ones may not exist.
  check_symbols(${exe} "-C;-D" "")
  check_symbols(${exe} "-C" "")
endforeach()
message(STATUS "no LLVM/MLIR dependency in: ${archives} ${executables}")
