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

/// A Vulkan target profile: what the generated SPIR-V may assume about the
/// device, and the workgroup size its kernels use.
struct VulkanProfile {
  const char *name;
  const char *vulkanVersion;      ///< spirv-val target env, e.g. "vulkan1.1"
  int64_t workgroupSize;          ///< invocations per workgroup of a kernel
  int64_t minSubgroupSize;        ///< smallest subgroup the device may use
  int64_t maxSubgroupSize;        ///< largest subgroup the device may use
  int64_t maxWorkgroupInvocations;
  int64_t maxSharedMemoryBytes;
  int64_t maxStorageBuffers; ///< storage-buffer bindings per kernel
};

/// The known profiles: `mobile` (Vulkan 1.1, subgroups 16-64, 16 KiB of
/// shared memory, 256 invocations, 16 storage buffers per kernel),
/// `desktop` (Vulkan 1.2, subgroups 32-64, 48 KiB, 1024, 32), `lavapipe`
/// (Mesa's CPU device: Vulkan 1.3, subgroup 8, 32 KiB, 1024, 32). All emit
/// SPIR-V 1.3 with GroupNonUniformArithmetic.
const VulkanProfile *lookupVulkanProfile(llvm::StringRef name);
/// Comma-separated names of the known profiles.
std::string vulkanProfileNames();

/// Options of the Vulkan pipeline.
struct VulkanPipelineOptions
    : public PassPipelineOptions<VulkanPipelineOptions> {
  PassOptions::Option<bool> fusion{
      *this, "fusion",
      llvm::cl::desc("Fuse forward and update ops that touch the same rows "
                     "or memory"),
      llvm::cl::init(true)};
  PassOptions::Option<std::string> profile{
      *this, "profile",
      llvm::cl::desc("Vulkan target profile: mobile, desktop or lavapipe"),
      llvm::cl::init("mobile")};
};

/// Stage 1: as the CPU's, plus elementwise fusion within the profile's
/// binding budget (splat constants folded into the kernels that use them)
/// and the remaining constant tensors computed in the step.
void buildVulkanPreparePipeline(OpPassManager &pm,
                                const VulkanPipelineOptions &options);
/// Stage 2: one-shot bufferization in place; anima ops become gpu.launch
/// kernels, temporaries device buffers.
void buildVulkanBufferizePipeline(OpPassManager &pm,
                                  const VulkanPipelineOptions &options);
/// Stage 3: the remaining (elementwise) loops become GPU kernels; all
/// kernels are outlined into gpu.modules with their SPIR-V ABI.
void buildVulkanKernelsPipeline(OpPassManager &pm,
                                const VulkanPipelineOptions &options);
/// Stage 4: gpu.modules to spirv.modules (the host function keeps the
/// gpu.launch_func schedule that targets/vulkan turns into the artifact's
/// dispatch schedule).
void buildVulkanLowerToSpirvPipeline(OpPassManager &pm,
                                     const VulkanPipelineOptions &options);
/// The whole Vulkan pipeline.
void buildVulkanPipeline(OpPassManager &pm,
                         const VulkanPipelineOptions &options);

/// Registers (once) `anima-vulkan-pipeline` and its stages
/// `anima-vulkan-prepare`, `anima-vulkan-bufferize`, `anima-vulkan-kernels`,
/// `anima-vulkan-lower-to-spirv`.
void registerVulkanPipelines();

} // namespace anima
} // namespace mlir

#endif // ANIMA_PIPELINES_PIPELINES_H
