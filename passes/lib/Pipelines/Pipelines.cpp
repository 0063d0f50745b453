//===- Pipelines.cpp - Anima compilation pipelines ------------------------===//

#include "anima/Pipelines/Pipelines.h"
#include "anima/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/GPUToSPIRV/GPUToSPIRVPass.h"
#include "mlir/Conversion/MathToSPIRV/MathToSPIRVPass.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Conversion/SCFToGPU/SCFToGPUPass.h"
#include "mlir/Dialect/Affine/Transforms/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/Transforms/Passes.h"
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

namespace {

constexpr anima::VulkanProfile kVulkanProfiles[] = {
    {"mobile", "vulkan1.1", 64, 16, 64, 256, 16384, 16},
    {"desktop", "vulkan1.2", 256, 32, 64, 1024, 49152, 32},
    {"lavapipe", "vulkan1.3", 64, 8, 8, 1024, 32768, 32},
};

} // namespace

const anima::VulkanProfile *anima::lookupVulkanProfile(llvm::StringRef name) {
  for (const VulkanProfile &profile : kVulkanProfiles)
    if (name == profile.name)
      return &profile;
  return nullptr;
}

std::string anima::vulkanProfileNames() {
  std::string names;
  for (const VulkanProfile &profile : kVulkanProfiles)
    names += (names.empty() ? "" : ", ") + std::string(profile.name);
  return names;
}

/// The workgroup size of a profile (the mobile one for an unknown name: the
/// attach-target pass reports the name).
static int64_t workgroupSizeOf(const anima::VulkanPipelineOptions &options) {
  const anima::VulkanProfile *profile =
      anima::lookupVulkanProfile(options.profile);
  return profile ? profile->workgroupSize : kVulkanProfiles[0].workgroupSize;
}

void anima::buildVulkanPreparePipeline(OpPassManager &pm,
                                       const VulkanPipelineOptions &options) {
  CpuPipelineOptions cpu;
  cpu.fusion = options.fusion;
  buildCpuPreparePipeline(pm, cpu);
  // Splat constants fold into the elementwise kernels that use them (a GPU
  // kernel has no constant buffers), and chains of elementwise ops become
  // one kernel.
  const VulkanProfile *profile = lookupVulkanProfile(options.profile);
  AnimaFuseElementwisePassOptions fuse;
  fuse.maxOperands = (profile ? profile : &kVulkanProfiles[0])->maxStorageBuffers - 1;
  pm.addNestedPass<func::FuncOp>(createAnimaFuseElementwisePass(fuse));
  pm.addPass(createCanonicalizerPass());
  // Constant tensors that remain become small kernels (no constant buffers).
  pm.addNestedPass<func::FuncOp>(createAnimaMaterializeConstantsPass());
}

void anima::buildVulkanBufferizePipeline(OpPassManager &pm,
                                         const VulkanPipelineOptions &options) {
  AnimaBufferizePassOptions bufferize;
  bufferize.workgroupSize = workgroupSizeOf(options);
  pm.addPass(createAnimaBufferizePass(bufferize));
  pm.addPass(createCanonicalizerPass());
}

void anima::buildVulkanKernelsPipeline(OpPassManager &pm,
                                       const VulkanPipelineOptions &options) {
  int64_t wg = workgroupSizeOf(options);
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(
      createParallelLoopTilingPass({wg}, /*noMinMaxBounds=*/true));
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addNestedPass<func::FuncOp>(createAnimaGpuHostScalarsPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createCanonicalizerPass());
  // Constants, index arithmetic and buffer views go into the kernels (not
  // as arguments): a kernel binds whole buffers only.
  pm.addNestedPass<func::FuncOp>(createGpuLaunchSinkIndexComputationsPass());
  pm.addNestedPass<func::FuncOp>(createAnimaGpuSinkViewsPass());
  pm.addPass(createGpuKernelOutliningPass());
  OpPassManager &kernels = pm.nest<::mlir::gpu::GPUModuleOp>();
  kernels.addPass(memref::createFoldMemRefAliasOpsPass());
  kernels.addPass(affine::createAffineExpandIndexOpsPass());
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(arith::createArithExpandOpsPass());
  kernels.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createCanonicalizerPass());
  AnimaSpirvAttachTargetPassOptions attach;
  attach.profile = options.profile;
  pm.addPass(createAnimaSpirvAttachTargetPass(attach));
}

void anima::buildVulkanLowerToSpirvPipeline(
    OpPassManager &pm, const VulkanPipelineOptions &options) {
  (void)options;
  pm.nest<::mlir::gpu::GPUModuleOp>().addPass(createConvertMathToSPIRVPass());
  pm.addPass(createConvertGPUToSPIRVPass());
  OpPassManager &spirvModule = pm.nest<spirv::ModuleOp>();
  spirvModule.addPass(createAnimaSpirvStorageBarriersPass());
  spirvModule.addPass(spirv::createSPIRVLowerABIAttributesPass());
  spirvModule.addPass(spirv::createSPIRVUpdateVCEPass());
}

void anima::buildVulkanPipeline(OpPassManager &pm,
                                const VulkanPipelineOptions &options) {
  buildVulkanPreparePipeline(pm, options);
  buildVulkanBufferizePipeline(pm, options);
  buildVulkanKernelsPipeline(pm, options);
  buildVulkanLowerToSpirvPipeline(pm, options);
}

void anima::registerVulkanPipelines() {
  static const bool registered = [] {
    PassPipelineRegistration<VulkanPipelineOptions>(
        "anima-vulkan-pipeline",
        "Compile an anima model on tensors to SPIR-V kernels and a host "
        "dispatch schedule for Vulkan",
        buildVulkanPipeline);
    PassPipelineRegistration<VulkanPipelineOptions>(
        "anima-vulkan-prepare",
        "Vulkan stage 1: externalize state, canonicalize, fuse",
        buildVulkanPreparePipeline);
    PassPipelineRegistration<VulkanPipelineOptions>(
        "anima-vulkan-bufferize",
        "Vulkan stage 2: bufferization; anima ops become GPU kernels",
        buildVulkanBufferizePipeline);
    PassPipelineRegistration<VulkanPipelineOptions>(
        "anima-vulkan-kernels",
        "Vulkan stage 3: elementwise loops to kernels, outlining, SPIR-V ABI",
        buildVulkanKernelsPipeline);
    PassPipelineRegistration<VulkanPipelineOptions>(
        "anima-vulkan-lower-to-spirv",
        "Vulkan stage 4: gpu.modules to spirv.modules",
        buildVulkanLowerToSpirvPipeline);
    return true;
  }();
  (void)registered;
}
