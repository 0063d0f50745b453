//===- InitAnima.cpp - Registering Anima in a host toolchain --------------===//

#include "anima/InitAnima.h"

#include "anima/Dialect/AnimaDialect.h"
#include "anima/Pipelines/Pipelines.h"
#include "anima/Transforms/Passes.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/SPIRV/Transforms/Passes.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void anima::registerAnimaDialect(DialectRegistry &registry) {
  registry.insert<AnimaDialect>();
  registerBufferizableOpInterfaceExternalModels(registry);
}

void anima::registerAnimaPipelineDialects(DialectRegistry &registry) {
  registerAnimaDialect(registry);
  registry.insert<arith::ArithDialect, bufferization::BufferizationDialect,
                  cf::ControlFlowDialect, func::FuncDialect,
                  linalg::LinalgDialect, LLVM::LLVMDialect, math::MathDialect,
                  memref::MemRefDialect, ml_program::MLProgramDialect,
                  scf::SCFDialect, tensor::TensorDialect, ::mlir::gpu::GPUDialect,
                  spirv::SPIRVDialect, affine::AffineDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
}

void anima::registerAllAnimaPasses() {
  // Pipelines must be registered once (a second registration of a name is
  // an error in builds with assertions).
  static const bool registered = [] {
    registerAnimaPasses();
    registerCpuPipelines();
    registerVulkanPipelines();
    registerCanonicalizerPass();
    registerCSEPass();
    registerSymbolDCEPass();
    bufferization::registerBufferResultsToOutParamsPass();
    registerConvertLinalgToLoopsPass();
    registerConvertElementwiseToLinalgPass();
    registerSCFToControlFlowPass();
    registerFinalizeMemRefToLLVMConversionPass();
    registerConvertFuncToLLVMPass();
    registerReconcileUnrealizedCastsPass();
    registerConvertGPUToSPIRVPass();
    registerConvertMathToSPIRVPass();
    registerGpuKernelOutliningPass();
    memref::registerFoldMemRefAliasOpsPass();
    registerGpuLaunchSinkIndexComputationsPass();
    registerConvertParallelLoopToGpuPass();
    registerGpuMapParallelLoopsPass();
    registerSCFParallelLoopTiling();
    registerConvertLinalgToParallelLoopsPass();
    registerLinalgElementwiseOpFusionPass();
    spirv::registerSPIRVLowerABIAttributesPass();
    spirv::registerSPIRVUpdateVCEPass();
    return true;
  }();
  (void)registered;
}
