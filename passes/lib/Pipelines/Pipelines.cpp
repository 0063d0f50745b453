//===- Pipelines.cpp - Anima compilation pipelines ------------------------===//

#include "anima/Pipelines/Pipelines.h"
#include "anima/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void anima::buildCpuPreparePipeline(OpPassManager &pm,
                                    const CpuPipelineOptions &options) {
  pm.addPass(createAnimaExternalizeStatePass());
  pm.addPass(createCanonicalizerPass());
  // CSE first: duplicate reads of one memory would otherwise keep the old
  // state alive after a fused write and block the in-place update.
  pm.addPass(createCSEPass());
  if (options.fusion) {
    pm.addNestedPass<func::FuncOp>(createAnimaFusePlasticStepPass());
    pm.addNestedPass<func::FuncOp>(createAnimaFuseMemoryStepPass());
  }
  // Remaining elementwise tensor ops become linalg.generic (bufferizable).
  pm.addNestedPass<func::FuncOp>(createConvertElementwiseToLinalgPass());
  pm.addPass(createCSEPass());
}

void anima::buildCpuBufferizePipeline(OpPassManager &pm) {
  pm.addPass(createAnimaBufferizePass());
  pm.addPass(createCanonicalizerPass());
}

void anima::buildCpuLowerToLLVMPipeline(OpPassManager &pm,
                                        const CpuPipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions funcOptions;
  funcOptions.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcOptions));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  AnimaEmitEntryPointsPassOptions entryOptions;
  entryOptions.triple = options.targetTriple;
  entryOptions.cpu = options.targetCpu;
  entryOptions.features = options.targetFeatures;
  pm.addPass(createAnimaEmitEntryPointsPass(entryOptions));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createSymbolDCEPass());
}

void anima::buildCpuPipeline(OpPassManager &pm,
                             const CpuPipelineOptions &options) {
  buildCpuPreparePipeline(pm, options);
  buildCpuBufferizePipeline(pm);
  buildCpuLowerToLLVMPipeline(pm, options);
}

void anima::registerCpuPipelines() {
  // Once: a second registration of a pipeline name is an error in builds
  // with assertions, and host toolchains may register from several places.
  static const bool registered = [] {
    PassPipelineRegistration<CpuPipelineOptions>(
        "anima-cpu-pipeline",
        "Compile an anima model on tensors to the LLVM dialect for the CPU",
        buildCpuPipeline);
    PassPipelineRegistration<CpuPipelineOptions>(
        "anima-cpu-prepare",
        "CPU stage 1: externalize state, canonicalize, fuse",
        buildCpuPreparePipeline);
    PassPipelineRegistration<>(
        "anima-cpu-bufferize",
        "CPU stage 2: one-shot bufferization in place, out-parameters",
        buildCpuBufferizePipeline);
    PassPipelineRegistration<CpuPipelineOptions>(
        "anima-cpu-lower-to-llvm",
        "CPU stage 3: lower loops and microkernel calls to the LLVM dialect",
        buildCpuLowerToLLVMPipeline);
    return true;
  }();
  (void)registered;
}
