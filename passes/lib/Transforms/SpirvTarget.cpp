//===- SpirvTarget.cpp - SPIR-V ABI and barrier semantics for kernels -----===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// anima-spirv-attach-target: the target environment of a Vulkan profile on
// the module, a spirv.entry_point_abi on every outlined kernel.
// anima-spirv-storage-barriers: control barriers that also order storage
// buffers (see Passes.td).
//
//===----------------------------------------------------------------------===//

#include "anima/Pipelines/Pipelines.h"
#include "anima/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVAttributes.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"

namespace mlir::anima {
#define GEN_PASS_DEF_ANIMASPIRVATTACHTARGETPASS
#define GEN_PASS_DEF_ANIMASPIRVSTORAGEBARRIERSPASS
#include "anima/Transforms/Passes.h.inc"
} // namespace mlir::anima

using namespace mlir;
using namespace mlir::anima;

namespace {

/// The target environment of `profile`: SPIR-V 1.3, shaders with
/// non-uniform subgroup arithmetic, storage buffers.
spirv::TargetEnvAttr targetEnv(MLIRContext *ctx, const VulkanProfile &p) {
  auto triple = spirv::VerCapExtAttr::get(
      spirv::Version::V_1_3,
      {spirv::Capability::Shader, spirv::Capability::GroupNonUniform,
       spirv::Capability::GroupNonUniformArithmetic},
      {spirv::Extension::SPV_KHR_storage_buffer_storage_class}, ctx);
  Builder b(ctx);
  auto limits = spirv::ResourceLimitsAttr::get(
      ctx, /*max_compute_shared_memory_size=*/p.maxSharedMemoryBytes,
      /*max_compute_workgroup_invocations=*/p.maxWorkgroupInvocations,
      /*max_compute_workgroup_size=*/
      b.getI32ArrayAttr({int32_t(p.maxWorkgroupInvocations),
                         int32_t(p.maxWorkgroupInvocations), 64}),
      /*subgroup_size=*/p.minSubgroupSize,
      /*min_subgroup_size=*/p.minSubgroupSize,
      /*max_subgroup_size=*/p.maxSubgroupSize,
      /*cooperative_matrix_properties_khr=*/ArrayAttr(),
      /*cooperative_matrix_properties_nv=*/ArrayAttr());
  return spirv::TargetEnvAttr::get(triple, limits);
}

/// Bytes of workgroup memory a kernel allocates.
int64_t sharedBytes(::mlir::gpu::GPUFuncOp kernel) {
  int64_t bytes = 0;
  kernel.walk([&](memref::AllocOp alloc) {
    MemRefType type = alloc.getType();
    auto space = dyn_cast_or_null<IntegerAttr>(type.getMemorySpace());
    if (space && space.getInt() == 3 && type.hasStaticShape())
      bytes += type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
  });
  return bytes;
}

struct AnimaSpirvAttachTargetPass
    : anima::impl::AnimaSpirvAttachTargetPassBase<AnimaSpirvAttachTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    const VulkanProfile *p = lookupVulkanProfile(profile);
    if (!p) {
      module.emitError("unknown Vulkan profile '")
          << profile << "' (known: " << vulkanProfileNames() << ")";
      return signalPassFailure();
    }
    MLIRContext *ctx = &getContext();
    module->setAttr(spirv::getTargetEnvAttrName(), targetEnv(ctx, *p));
    WalkResult result = module.walk([&](::mlir::gpu::GPUFuncOp kernel) {
      if (!kernel.isKernel())
        return WalkResult::advance();
      SmallVector<int32_t, 3> size = {1, 1, 1};
      if (auto known = kernel.getKnownBlockSizeAttr())
        for (auto [i, v] : llvm::enumerate(known.asArrayRef()))
          size[i] = v;
      int64_t invocations = int64_t(size[0]) * size[1] * size[2];
      if (invocations > p->maxWorkgroupInvocations) {
        kernel.emitError("kernel '")
            << kernel.getName() << "' uses " << invocations
            << " invocations per workgroup; the '" << p->name
            << "' profile allows " << p->maxWorkgroupInvocations;
        return WalkResult::interrupt();
      }
      if (int64_t shared = sharedBytes(kernel);
          shared > p->maxSharedMemoryBytes) {
        kernel.emitError("kernel '")
            << kernel.getName() << "' uses " << shared
            << " bytes of workgroup memory; the '" << p->name
            << "' profile allows " << p->maxSharedMemoryBytes;
        return WalkResult::interrupt();
      }
      kernel->setAttr(spirv::getEntryPointABIAttrName(),
                      spirv::getEntryPointABIAttr(ctx, size));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
    // The kernels' subgroup reductions lower to OpGroupNonUniform*: a
    // "uniform" reduction would become OpGroup*, which needs the Kernel
    // capability, absent from Vulkan.
    module.walk([](::mlir::gpu::SubgroupReduceOp reduce) {
      reduce.setUniform(false);
    });
  }
};

struct AnimaSpirvStorageBarriersPass
    : anima::impl::AnimaSpirvStorageBarriersPassBase<
          AnimaSpirvStorageBarriersPass> {
  void runOnOperation() override {
    getOperation().walk([](spirv::ControlBarrierOp barrier) {
      spirv::MemorySemantics semantics =
          barrier.getMemorySemantics() | spirv::MemorySemantics::UniformMemory;
      barrier.setMemorySemantics(semantics);
    });
  }
};

} // namespace
