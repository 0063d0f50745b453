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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVAttributes.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::anima {
#define GEN_PASS_DEF_ANIMASPIRVATTACHTARGETPASS
#define GEN_PASS_DEF_ANIMASPIRVSTORAGEBARRIERSPASS
#define GEN_PASS_DEF_ANIMAGPUSINKVIEWSPASS
#define GEN_PASS_DEF_ANIMAGPUHOSTSCALARSPASS
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
      if (int64_t shared = workgroupMemoryBytes(kernel);
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

/// Whether `op` is a view whose operands (other than its source) are
/// constants, so that it can be recomputed inside a kernel.
bool isSinkableView(Operation *op) {
  if (!isa_and_nonnull<memref::SubViewOp, memref::CollapseShapeOp,
                       memref::ExpandShapeOp, memref::CastOp>(op))
    return false;
  for (Value operand : op->getOperands().drop_front())
    if (!matchPattern(operand, m_Constant()))
      return false;
  return true;
}

struct AnimaGpuSinkViewsPass
    : anima::impl::AnimaGpuSinkViewsPassBase<AnimaGpuSinkViewsPass> {
  void runOnOperation() override {
    getOperation()->walk([](::mlir::gpu::LaunchOp launch) {
      Region &body = launch.getBody();
      // Repeat: a view of a view sinks in two rounds.
      for (bool changed = true; changed;) {
        changed = false;
        SetVector<Value> captured;
        getUsedValuesDefinedAbove(body, captured);
        for (Value value : captured) {
          Operation *view = value.getDefiningOp();
          if (!isSinkableView(view))
            continue;
          OpBuilder b(&body.front(), body.front().begin());
          IRMapping map;
          for (Value operand : view->getOperands().drop_front())
            map.map(operand, b.clone(*operand.getDefiningOp())->getResult(0));
          Operation *copy = b.clone(*view, map);
          replaceAllUsesInRegionWith(value, copy->getResult(0), body);
          changed = true;
        }
      }
    });
  }
};

/// Collects, in block order, the scalar ops of `store`'s backward slice in
/// its block; fails on anything but loads, constants and arith/math ops.
LogicalResult scalarSlice(memref::StoreOp store,
                          SmallVectorImpl<Operation *> &slice) {
  Block *block = store->getBlock();
  SetVector<Operation *> seen;
  SmallVector<Value> work(store.getIndices().begin(), store.getIndices().end());
  work.push_back(store.getValueToStore());
  while (!work.empty()) {
    Value value = work.pop_back_val();
    Operation *def = value.getDefiningOp();
    if (!def || def->getBlock() != block || seen.contains(def))
      continue;
    bool scalarOp = isa<memref::LoadOp>(def) ||
                    ((isa<arith::ArithDialect, math::MathDialect>(
                          def->getDialect())) &&
                     llvm::none_of(def->getResultTypes(), [](Type t) {
                       return isa<ShapedType>(t);
                     }));
    if (!scalarOp)
      return failure();
    seen.insert(def);
    if (auto load = dyn_cast<memref::LoadOp>(def))
      work.append(load.getIndices().begin(), load.getIndices().end());
    else
      work.append(def->operand_begin(), def->operand_end());
  }
  slice.assign(seen.begin(), seen.end());
  llvm::sort(slice, [](Operation *a, Operation *b) {
    return a->isBeforeInBlock(b);
  });
  return success();
}

/// Whether a buffer loaded by `load` may change before `store` runs.
bool clobberedBefore(memref::LoadOp load, Operation *store) {
  Value buffer = load.getMemRef();
  for (Operation *op = load->getNextNode(); op && op != store;
       op = op->getNextNode())
    if (llvm::is_contained(op->getOperands(), buffer))
      return true;
  return false;
}

struct AnimaGpuHostScalarsPass
    : anima::impl::AnimaGpuHostScalarsPassBase<AnimaGpuHostScalarsPass> {
  void runOnOperation() override {
    SmallVector<memref::StoreOp> stores;
    getOperation()->walk([&](memref::StoreOp store) {
      if (!store->getParentOfType<::mlir::gpu::LaunchOp>())
        stores.push_back(store);
    });
    for (memref::StoreOp store : stores) {
      SmallVector<Operation *> slice;
      if (failed(scalarSlice(store, slice)) ||
          llvm::any_of(slice, [&](Operation *op) {
            auto load = dyn_cast<memref::LoadOp>(op);
            return load && clobberedBefore(load, store);
          }))
        continue;
      OpBuilder b(store);
      Location loc = store.getLoc();
      Value one = arith::ConstantIndexOp::create(b, loc, 1);
      auto launch = ::mlir::gpu::LaunchOp::create(b, loc, one, one, one, one,
                                                  one, one);
      Block &body = launch.getBody().front();
      b.setInsertionPointToEnd(&body);
      IRMapping map;
      for (Operation *op : slice)
        b.clone(*op, map);
      b.clone(*store, map);
      ::mlir::gpu::TerminatorOp::create(b, loc);
      store.erase();
    }
  }
};

} // namespace

int64_t mlir::anima::workgroupMemoryBytes(Operation *kernel) {
  int64_t bytes = 0;
  kernel->walk([&](memref::AllocOp alloc) {
    MemRefType type = alloc.getType();
    auto space = dyn_cast_or_null<IntegerAttr>(type.getMemorySpace());
    if (space && space.getInt() == 3 && type.hasStaticShape())
      bytes += type.getNumElements() * ((type.getElementTypeBitWidth() + 7) / 8);
  });
  return bytes;
}
