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

/// Options of the CPU pipeline. The target is recorded on the lowered module
/// (`llvm.target_triple`, `anima.target_cpu`, `anima.target_features`) for
/// the CPU target (targets/cpu) that turns it into code.
struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  PassOptions::Option<bool> fusion{
      *this, "fusion",
      llvm::cl::desc("Fuse forward and update ops that touch the same rows "
                     "or memory"),
      llvm::cl::init(true)};
  PassOptions::Option<std::string> targetTriple{
      *this, "target-triple",
      llvm::cl::desc("Target triple (empty: the host's, chosen at codegen)")};
  PassOptions::Option<std::string> targetCpu{
      *this, "target-cpu", llvm::cl::desc("Target CPU, e.g. x86-64-v3")};
  PassOptions::Option<std::string> targetFeatures{
      *this, "target-features",
      llvm::cl::desc("Target CPU features, e.g. +avx2,+fma")};
};

/// Stage 1: state globals to arguments, canonicalization, fusion.
void buildCpuPreparePipeline(OpPassManager &pm,
                             const CpuPipelineOptions &options);
/// Stage 2: one-shot bufferization (in place) and out-parameters.
void buildCpuBufferizePipeline(OpPassManager &pm);
/// Stage 3: loops and microkernel calls to the LLVM dialect, ABI wrappers,
/// the target recorded on the module.
void buildCpuLowerToLLVMPipeline(OpPassManager &pm,
                                 const CpuPipelineOptions &options);
/// The whole CPU pipeline: anima on tensors to the LLVM dialect.
void buildCpuPipeline(OpPassManager &pm, const CpuPipelineOptions &options);

/// Registers (once) `anima-cpu-pipeline` and its stages `anima-cpu-prepare`,
/// `anima-cpu-bufferize`, `anima-cpu-lower-to-llvm`.
void registerCpuPipelines();

} // namespace anima
} // namespace mlir

#endif // ANIMA_PIPELINES_PIPELINES_H
