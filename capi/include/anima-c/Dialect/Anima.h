/*===-- anima-c/Dialect/Anima.h - C API for the anima dialect -----*- C -*-===*
 *
 * Part of the Anima project.
 *
 *===----------------------------------------------------------------------===*
 *
 * Registration of the anima dialect with an MLIR context or dialect
 * registry, the way upstream dialects do it (mlir-c/Dialect/Func.h). Library:
 * AnimaCAPI (libAnimaCAPI.so), which also carries the upstream MLIR C API
 * (mlir-c/IR.h, mlir-c/Pass.h, ...) it is used with.
 *
 *===----------------------------------------------------------------------===*/

#ifndef ANIMA_C_DIALECT_ANIMA_H
#define ANIMA_C_DIALECT_ANIMA_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The anima dialect alone: mlirGetDialectHandle__anima__(). Enough to parse,
 *  print and verify anima ops; running the pipelines needs
 *  animaRegisterCompilerDialects. */
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Anima, anima);

/** Inserts into `registry` everything the anima pipelines and the compiler
 *  need: the anima dialect, the upstream dialects models are written in and
 *  lowered through, their bufferization and convert-to-LLVM interface models,
 *  and the translation to LLVM IR. Append the registry to a context
 *  (mlirContextAppendDialectRegistry) before parsing a model. */
MLIR_CAPI_EXPORTED void
animaRegisterCompilerDialects(MlirDialectRegistry registry);

#ifdef __cplusplus
}
#endif

#endif /* ANIMA_C_DIALECT_ANIMA_H */
