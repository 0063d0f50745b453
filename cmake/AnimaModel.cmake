# anima_add_model(<output.anima> SOURCE <model.mlir> [FLAGS <animac flags>...]
#                 [COMMENT <text>])
#
# Compiles a model with this build's animac at build time. The artifact
# depends on animac, on the model source and on the host microkernel archive
# FILE (a target dependency alone orders the build but would not recompile
# a model when the microkernels change), and uses this build's microkernel
# archives (--ukernels), never an installed set. Shared by the examples, the
# benchmarks and the tests.
function(anima_add_model output)
  cmake_parse_arguments(ARG "" "SOURCE;COMMENT" "FLAGS" ${ARGN})
  if(NOT ARG_SOURCE)
    message(FATAL_ERROR "anima_add_model(${output}): SOURCE is required")
  endif()
  get_filename_component(_dir "${output}" DIRECTORY)
  get_filename_component(_name "${ARG_SOURCE}" NAME)
  set(_ukernels)
  if(ANIMA_UKERNEL_DIR)
    set(_ukernels --ukernels ${ANIMA_UKERNEL_DIR})
  endif()
  if(NOT ARG_COMMENT)
    set(ARG_COMMENT "animac ${_name}")
  endif()
  add_custom_command(OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_dir}
    COMMAND animac ${ARG_SOURCE} -o ${output} ${ARG_FLAGS} ${_ukernels}
    DEPENDS animac anima-ukernels ${ANIMA_UKERNEL_HOST_ARCHIVE} ${ARG_SOURCE}
    COMMENT "${ARG_COMMENT}"
    VERBATIM)
endfunction()
