//===- Bufferize.cpp - one-shot bufferization with in-place state ---------===//

#include "anima/Dialect/AnimaOps.h"
#include "anima/Transforms/Passes.h"

#include "GpuKernels.h"
#include "UkernelCall.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotModuleBufferize.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::anima {
#define GEN_PASS_DEF_ANIMABUFFERIZEPASS
#include "anima/Transforms/Passes.h.inc"
} // namespace mlir::anima

using namespace mlir;
using namespace mlir::anima;

namespace {

/// The buffer `value` is, looking through casts.
Value stripCasts(Value value) {
  while (auto cast = value.getDefiningOp<memref::CastOp>())
    value = cast.getSource();
  return value;
}

/// Checks that every state result of every entry function returns its own
/// argument's buffer, i.e. the state was updated in place, and drops those
/// results: the runtime owns the state buffers.
LogicalResult dropInPlaceStateResults(ModuleOp module) {
  auto states = module->getAttrOfType<ArrayAttr>(kStatesAttrName);
  if (!states)
    return success();
  for (auto func : module.getOps<func::FuncOp>()) {
    auto entry = func->getAttrOfType<DictionaryAttr>(kEntryPointAttrName);
    if (!entry || func.isExternal())
      continue;
    auto outputs = cast<ArrayAttr>(entry.get("outputs"));
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    if (ret.getNumOperands() != outputs.size() + states.size())
      return func.emitError("entry '")
             << func.getSymName() << "' does not return its state values";
    for (auto [i, stateAttr] : llvm::enumerate(states)) {
      Value result = stripCasts(ret.getOperand(outputs.size() + i));
      Value argument = func.getArgument(1 + i);
      if (result == argument)
        continue;
      auto name = cast<DictionaryAttr>(stateAttr).getAs<StringAttr>("name");
      return func.emitError("state '")
             << name.getValue() << "' of entry '" << func.getSymName()
             << "' cannot be updated in place: its old value is still used "
                "after the update (read it before the update, or load it "
                "again after the store)";
    }
    llvm::BitVector stateResults(ret.getNumOperands());
    stateResults.set(outputs.size(), ret.getNumOperands());
    if (failed(func.eraseResults(stateResults)))
      return failure();
    ret.getOperandsMutable().erase(outputs.size(), states.size());
  }
  return success();
}

/// Marks the inputs of every entry function read-only for bufferization: a
/// step reads its input buffers and never writes them (abi.h), so an op that
/// would reuse an input's buffer for its result (e.g. an elementwise op
/// converted to linalg with the input as `outs`) gets a stack temporary.
void markInputsReadOnly(ModuleOp module) {
  auto states = module->getAttrOfType<ArrayAttr>(kStatesAttrName);
  unsigned firstInput = 1 + (states ? states.size() : 0);
  Builder b(module.getContext());
  for (auto func : module.getOps<func::FuncOp>()) {
    if (!func->hasAttr(kEntryPointAttrName) || func.isExternal())
      continue;
    for (unsigned i = firstInput, e = func.getNumArguments(); i < e; ++i)
      if (isa<TensorType>(func.getArgument(i).getType()))
        func.setArgAttr(i,
                        bufferization::BufferizationDialect::kWritableAttrName,
                        b.getBoolAttr(false));
  }
}

/// Whether `type` is a statically shaped, contiguous f32 memref.
bool isDenseF32(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.hasStaticShape() &&
         memref.getLayout().isIdentity() && memref.getElementType().isF32();
}

/// Lowers linalg.matvec on static contiguous f32 buffers inside entry
/// functions to anima_uk_matvec_acc (y += W x), the vectorized microkernel;
/// other matvecs stay for the generic linalg lowering.
LogicalResult lowerMatvecsToUkernels(ModuleOp module) {
  SmallVector<linalg::MatvecOp> matvecs;
  module.walk([&](linalg::MatvecOp op) {
    auto func = op->getParentOfType<func::FuncOp>();
    if (op.hasPureBufferSemantics() && func &&
        func->hasAttr(kEntryPointAttrName) &&
        llvm::all_of(op->getOperandTypes(), isDenseF32))
      matvecs.push_back(op);
  });
  IRRewriter rewriter(module.getContext());
  bool gpu = gpukernels::gpuWorkgroupSize(module) > 0;
  for (linalg::MatvecOp op : matvecs) {
    rewriter.setInsertionPoint(op);
    Value w = op.getDpsInputs()[0], x = op.getDpsInputs()[1];
    Value y = op.getDpsInits()[0];
    if (gpu) {
      if (failed(gpukernels::emitMatvecAcc(rewriter, op, w, x, y)))
        return failure();
      rewriter.eraseOp(op);
      continue;
    }
    auto shape = cast<MemRefType>(w.getType()).getShape();
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(w).i64(shape[0]).i64(shape[1]).ptr(x).ptr(y);
    if (failed(call.emit(op, "anima_uk_matvec_acc")))
      return failure();
    rewriter.eraseOp(op);
  }
  return success();
}

/// Most bytes of per-step temporaries (stack allocations) one function may
/// hold: a step runs on its caller's stack, which may be as small as 1 MiB
/// (secondary threads on some platforms).
constexpr uint64_t kMaxStackTemporaryBytes = uint64_t(512) << 10;

/// Rejects functions whose stack temporaries would not fit on a thread's
/// stack: the compiled step would crash when it runs.
LogicalResult checkStackTemporaries(ModuleOp module) {
  for (auto func : module.getOps<func::FuncOp>()) {
    uint64_t total = 0, largestBytes = 0;
    memref::AllocaOp largest;
    func.walk([&](memref::AllocaOp op) {
      MemRefType type = op.getType();
      uint64_t bytes = (type.getElementTypeBitWidth() + 7) / 8;
      for (int64_t dim : type.getShape())
        if (ShapedType::isDynamic(dim) ||
            __builtin_mul_overflow(bytes, uint64_t(dim), &bytes))
          bytes = UINT64_MAX;
      if (__builtin_add_overflow(total, bytes, &total))
        total = UINT64_MAX;
      if (!largest || bytes > largestBytes) {
        largest = op;
        largestBytes = bytes;
      }
    });
    if (total > kMaxStackTemporaryBytes)
      return largest.emitError("the per-step temporaries of '")
             << func.getSymName() << "' need more than "
             << kMaxStackTemporaryBytes
             << " bytes of stack (this one: " << largest.getType()
             << "); make the tensors smaller";
  }
  return success();
}

struct AnimaBufferizePass
    : anima::impl::AnimaBufferizePassBase<AnimaBufferizePass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool gpu = workgroupSize > 0;
    if (gpu) {
      if (workgroupSize > 1024 || (workgroupSize & (workgroupSize - 1))) {
        module.emitError("anima-bufferize: workgroup-size must be a power "
                         "of two <= 1024, got ")
            << static_cast<int64_t>(workgroupSize);
        return signalPassFailure();
      }
      Builder b(module.getContext());
      module->setAttr(gpukernels::kGpuKernelsAttrName,
                      b.getDictionaryAttr(b.getNamedAttr(
                          "workgroup_size", b.getI64IntegerAttr(workgroupSize))));
    }
    markInputsReadOnly(module);
    bufferization::OneShotBufferizationOptions options;
    options.bufferizeFunctionBoundaries = true;
    options.setFunctionBoundaryTypeConversion(
        bufferization::LayoutMapOption::IdentityLayoutMap);
    options.unknownTypeConverterFn =
        [](TensorType type, Attribute memorySpace,
           const bufferization::BufferizationOptions &) -> BaseMemRefType {
      return bufferization::getMemRefTypeWithStaticIdentityLayout(type,
                                                                  memorySpace);
    };
    // Per-step temporaries are small and die with the step: stack them on
    // the CPU; on a GPU they are device buffers of the dispatch schedule.
    options.allocationFn = [gpu](OpBuilder &b, Location loc, MemRefType type,
                                 ValueRange dynamicSizes,
                                 unsigned alignment) -> FailureOr<Value> {
      if (gpu)
        return memref::AllocOp::create(b, loc, type, dynamicSizes,
                                       b.getI64IntegerAttr(alignment))
            .getResult();
      return memref::AllocaOp::create(b, loc, type, dynamicSizes,
                                      b.getI64IntegerAttr(alignment))
          .getResult();
    };
    options.bufferAlignment = 64;
    bufferization::BufferizationState state;
    if (failed(bufferization::runOneShotModuleBufferize(module, options,
                                                        state)))
      return signalPassFailure();
    if (failed(dropInPlaceStateResults(module)) ||
        failed(lowerMatvecsToUkernels(module)))
      return signalPassFailure();
    // Outputs become trailing out-parameters owned by the runtime.
    bufferization::BufferResultsToOutParamsOpts outParams;
    outParams.modifyPublicFunctions = true;
    outParams.filterFn = [](func::FuncOp *func) {
      return (*func)->hasAttr(kEntryPointAttrName);
    };
    if (failed(bufferization::promoteBufferResultsToOutParams(module,
                                                              outParams)) ||
        (!gpu && failed(checkStackTemporaries(module))))
      return signalPassFailure();
    module->removeAttr(gpukernels::kGpuKernelsAttrName);
  }
};

} // namespace
