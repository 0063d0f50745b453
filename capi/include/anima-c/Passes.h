/*===-- anima-c/Passes.h - C API for the passes and pipelines ----*- C -*-===*
 *
 * Part of the Anima project.
 *
 *===----------------------------------------------------------------------===*
 *
 * The anima passes and the named pipelines, for toolchains that build pass
 * managers through the MLIR C API. Two routes to the CPU pipeline:
 *
 *   - from its options struct: animaAddCpuPipeline(pm, &options);
 *   - from text, after animaRegisterAllPasses():
 *       mlirParsePassPipeline(
 *           pm, "builtin.module(anima-cpu-pipeline{fusion=false})", ...)
 *
 * Every pass is also available alone (generated from the pass TableGen
 * file): mlirRegisterAnimaPasses(), mlirCreateAnima<Pass>(),
 * mlirRegisterAnima<Pass>(), e.g. mlirCreateAnimaAnimaBufferizePass().
 *
 *===----------------------------------------------------------------------===*/

#ifndef ANIMA_C_PASSES_H
#define ANIMA_C_PASSES_H

#include "mlir-c/Pass.h"
#include "mlir-c/Support.h"

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Registers with MLIR's global pass registry the anima passes (anima-*), the
 *  named pipelines (anima-cpu-pipeline, anima-cpu-prepare,
 *  anima-cpu-bufferize, anima-cpu-lower-to-llvm) and the upstream passes the
 *  pipelines are made of. Idempotent. */
MLIR_CAPI_EXPORTED void animaRegisterAllPasses(void);

/** Options of the CPU pipeline (C++: mlir::anima::CpuPipelineOptions).
 *  Initialize with animaCpuPipelineOptionsInit; empty strings select the
 *  defaults. The strings are only read during animaAddCpuPipeline. */
typedef struct AnimaCpuPipelineOptions {
  /** Fuse forward and update ops that touch the same rows or memory
   *  (default true). */
  bool fusion;
  /** Target triple recorded on the lowered module; empty: the host's. */
  MlirStringRef targetTriple;
  /** Target CPU, e.g. "x86-64-v3"; empty: the triple's default. */
  MlirStringRef targetCpu;
  /** Target features, e.g. "+avx2,+fma"; empty: none. */
  MlirStringRef targetFeatures;
} AnimaCpuPipelineOptions;

/** Fills `options` with the defaults. */
MLIR_CAPI_EXPORTED void
animaCpuPipelineOptionsInit(AnimaCpuPipelineOptions *options);

/** Appends the CPU pipeline (anima on tensors to the LLVM dialect) to
 *  `passManager`, which must run on builtin.module. `options` may be NULL
 *  (defaults). */
MLIR_CAPI_EXPORTED void
animaAddCpuPipeline(MlirOpPassManager passManager,
                    const AnimaCpuPipelineOptions *options);

#ifdef __cplusplus
}
#endif

#include "anima/Transforms/Passes.capi.h.inc"

#endif /* ANIMA_C_PASSES_H */
