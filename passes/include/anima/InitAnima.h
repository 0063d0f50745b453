//===- InitAnima.h - Registering Anima in a host toolchain ------*- C++ -*-===//
//
// What a host toolchain (an mlir-opt-style tool, a compiler driver, the C
// API) calls to make Anima available: the dialect with its interface models,
// the dialects and interfaces the pipelines need, and the passes and named
// pipelines. Every Anima tool registers through these functions.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_INITANIMA_H
#define ANIMA_INITANIMA_H

namespace mlir {
class DialectRegistry;
namespace anima {

/// Inserts the anima dialect and the external models of its ops
/// (bufferization) into `registry`.
void registerAnimaDialect(DialectRegistry &registry);

/// Inserts what a context needs to parse anima models and run the anima
/// pipelines on them: the anima dialect, the upstream dialects models are
/// written in and lowered through (arith, bufferization, cf, func, linalg,
/// llvm, math, memref, ml_program, scf, tensor), and their bufferization and
/// convert-to-LLVM interface models.
void registerAnimaPipelineDialects(DialectRegistry &registry);

/// Registers with the global pass registry the anima passes (`anima-*`), the
/// named pipelines (`anima-cpu-pipeline` and its stages), and the upstream
/// passes the pipelines are made of, so stages can run alone. Idempotent.
void registerAllAnimaPasses();

} // namespace anima
} // namespace mlir

#endif // ANIMA_INITANIMA_H
