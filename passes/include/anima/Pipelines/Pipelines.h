//===- Pipelines.h - Anima compilation pipelines ----------------*- C++ -*-===//
//
// The named pipelines as library functions, so a vendor toolchain can build
// them from C++ with an options struct, plus their registration with the
// textual pass pipeline parser (`anima-cpu-pipeline` and its stages).
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_PIPELINES_PIPELINES_H
#define ANIMA_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace anima {

/// Options of the CPU pipeline (the target triple and CPU features belong
/// to the CPU target, which turns the pipeline's LLVM dialect into code).
struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<bool> fusion{
      *this, "fusion",
      llvm::cl::desc("Fuse forward and update ops that touch the same rows "
                     "or memory"),
      llvm::cl::init(true)};
};

/// Stage 1: state globals to arguments, canonicalization, fusion.
void buildCpuPreparePipeline(OpPassManager &pm,
                             const CpuPipelineOptions &options);
/// Stage 2: one-shot bufferization (in place) and out-parameters.
void buildCpuBufferizePipeline(OpPassManager &pm);
/// Stage 3: loops and microkernel calls to the LLVM dialect, ABI wrappers.
void buildCpuLowerToLLVMPipeline(OpPassManager &pm);
/// The whole CPU pipeline: anima on tensors to the LLVM dialect.
void buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options);

/// Registers `anima-cpu-pipeline` and its stages `anima-cpu-prepare`,
/// `anima-cpu-bufferize`, `anima-cpu-lower-to-llvm`.
void registerCpuPipelines();

} // namespace anima
} // namespace mlir

#endif // ANIMA_PIPELINES_PIPELINES_H
