//===- BufferizableOpInterfaceImpl.cpp - anima ops to microkernel calls ---===//
//
// Bufferization models of the anima ops. Each op bufferizes into a call of
// its CPU microkernel (kernels/abi/include/anima/abi.h) on raw pointers, or,
// in a module bufferized for a GPU, into its GPU kernel (GpuKernels.h):
// state operands are read and written in place (their result is equivalent
// to the operand's buffer), every other operand is only read, and the small
// per-step outputs (dot products, winners, reads) are stack allocations.
//
//===----------------------------------------------------------------------===//

#include "anima/Dialect/AnimaOps.h"
#include "anima/Transforms/Passes.h"

#include "GpuKernels.h"
#include "UkernelCall.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::anima;
using namespace mlir::bufferization;

namespace {

int64_t dim(Value value, unsigned i) {
  return cast<ShapedType>(value.getType()).getDimSize(i);
}

/// A buffer for a small per-step output tensor: on the stack for the CPU, a
/// device temporary for a GPU.
Value allocateOutput(RewriterBase &rewriter, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
  Operation *anchor = rewriter.getInsertionBlock()->getParentOp();
  if (gpukernels::gpuWorkgroupSize(anchor) > 0)
    return memref::AllocOp::create(rewriter, loc, memrefType,
                                   rewriter.getI64IntegerAttr(64));
  return memref::AllocaOp::create(rewriter, loc, memrefType,
                                  rewriter.getI64IntegerAttr(64));
}

/// Whether `op` bufferizes into a GPU kernel.
bool onGpu(Operation *op) { return gpukernels::gpuWorkgroupSize(op) > 0; }

/// Appends the buffer of every tensor in `tensors` to `buffers`; an absent
/// optional operand (null) stays null.
LogicalResult getBuffers(RewriterBase &rewriter, ArrayRef<Value> tensors,
                         const BufferizationOptions &options,
                         const BufferizationState &state,
                         SmallVectorImpl<Value> &buffers) {
  for (Value tensor : tensors) {
    if (!tensor) {
      buffers.push_back(Value());
      continue;
    }
    FailureOr<Value> buffer = getBuffer(rewriter, tensor, options, state);
    if (failed(buffer))
      return failure();
    buffers.push_back(*buffer);
  }
  return success();
}

/// Shared model: operand `stateOperand` (if >= 0) is updated in place into
/// result `stateResult`; every other operand is only read.
template <typename ConcreteModel, typename ConcreteOp>
struct AnimaOpModel
    : public BufferizableOpInterface::ExternalModel<ConcreteModel, ConcreteOp> {
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &) const {
    return true;
  }
  bool bufferizesToMemoryWrite(Operation *op, OpOperand &operand,
                               const AnalysisState &) const {
    return ConcreteModel::isStateOperand(cast<ConcreteOp>(op), operand);
  }
  AliasingValueList getAliasingValues(Operation *op, OpOperand &operand,
                                      const AnalysisState &) const {
    auto concrete = cast<ConcreteOp>(op);
    if (!ConcreteModel::isStateOperand(concrete, operand))
      return {};
    return {{ConcreteModel::stateResult(concrete), BufferRelation::Equivalent,
             /*isDefinite=*/true}};
  }
};

struct KwtaModel : AnimaOpModel<KwtaModel, KwtaOp> {
  static bool isStateOperand(KwtaOp op, OpOperand &operand) {
    return op.getDuty() && operand.getOperandNumber() == 1;
  }
  static Value stateResult(KwtaOp op) { return op.getNewDuty(); }

  LogicalResult bufferize(Operation *operation, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto op = cast<KwtaOp>(operation);
    SmallVector<Value> b; // input, duty
    if (failed(getBuffers(rewriter, {op.getInput(), op.getDuty()}, options,
                          state, b)))
      return failure();
    Value idx = allocateOutput(rewriter, op.getLoc(), op.getIndices());
    Value val = allocateOutput(rewriter, op.getLoc(), op.getValues());
    if (onGpu(op)) {
      if (failed(gpukernels::emitKwta(rewriter, op, b[0], b[1], idx, val)))
        return failure();
      SmallVector<Value> results = {idx, val};
      if (b[1])
        results.push_back(b[1]);
      replaceOpWithBufferizedValues(rewriter, op, results);
      return success();
    }
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(b[0]).i64(dim(op.getInput(), 0)).ptr(b[1])
        .i64(op.getKAttr().getInt()).i32(static_cast<int32_t>(op.getMode()))
        .f32(op.getBeta()).f32(op.getTau()).f32(op.getPeriod()).ptr(idx)
        .ptr(val);
    if (failed(call.emit(op, "anima_uk_kwta")))
      return failure();
    SmallVector<Value> results = {idx, val};
    if (b[1])
      results.push_back(b[1]);
    replaceOpWithBufferizedValues(rewriter, op, results);
    return success();
  }
};

struct GatherMatvecModel : AnimaOpModel<GatherMatvecModel, GatherMatvecOp> {
  static bool isStateOperand(GatherMatvecOp, OpOperand &) { return false; }
  static Value stateResult(GatherMatvecOp) { return {}; }

  LogicalResult bufferize(Operation *operation, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto op = cast<GatherMatvecOp>(operation);
    SmallVector<Value> b; // weights, indices, input
    if (failed(getBuffers(rewriter,
                          {op.getWeights(), op.getIndices(), op.getInput()},
                          options, state, b)))
      return failure();
    Value y = allocateOutput(rewriter, op.getLoc(), op.getResult());
    if (onGpu(op)) {
      if (failed(gpukernels::emitGatherMatvec(rewriter, op, b[0], b[1], b[2], y)))
        return failure();
      replaceOpWithBufferizedValues(rewriter, op, y);
      return success();
    }
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(b[0]).i64(dim(op.getWeights(), 0)).i64(dim(op.getWeights(), 1))
        .ptr(b[1]).i64(dim(op.getIndices(), 0)).ptr(b[2]).ptr(y);
    if (failed(call.emit(op, "anima_uk_gather_matvec")))
      return failure();
    replaceOpWithBufferizedValues(rewriter, op, y);
    return success();
  }
};

struct SparseMatvecModel : AnimaOpModel<SparseMatvecModel, SparseMatvecOp> {
  static bool isStateOperand(SparseMatvecOp, OpOperand &) { return false; }
  static Value stateResult(SparseMatvecOp) { return {}; }

  LogicalResult bufferize(Operation *operation, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto op = cast<SparseMatvecOp>(operation);
    SmallVector<Value> b; // weights, indices, values
    if (failed(getBuffers(rewriter,
                          {op.getWeights(), op.getIndices(), op.getValues()},
                          options, state, b)))
      return failure();
    Value y = allocateOutput(rewriter, op.getLoc(), op.getResult());
    if (onGpu(op)) {
      if (failed(gpukernels::emitSparseMatvec(rewriter, op, b[0], b[1], b[2], y)))
        return failure();
      replaceOpWithBufferizedValues(rewriter, op, y);
      return success();
    }
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(b[0]).i64(dim(op.getWeights(), 0)).i64(dim(op.getWeights(), 1))
        .ptr(b[1]).ptr(b[2]).i64(dim(op.getIndices(), 0)).ptr(y);
    if (failed(call.emit(op, "anima_uk_sparse_matvec")))
      return failure();
    replaceOpWithBufferizedValues(rewriter, op, y);
    return success();
  }
};

struct MemReadModel : AnimaOpModel<MemReadModel, MemReadOp> {
  static bool isStateOperand(MemReadOp, OpOperand &) { return false; }
  static Value stateResult(MemReadOp) { return {}; }

  LogicalResult bufferize(Operation *operation, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto op = cast<MemReadOp>(operation);
    SmallVector<Value> b; // state, query, query indices
    if (failed(getBuffers(rewriter,
                          {op.getState(), op.getQuery(), op.getQueryIndices()},
                          options, state, b)))
      return failure();
    Value o = allocateOutput(rewriter, op.getLoc(), op.getResult());
    if (onGpu(op)) {
      if (failed(gpukernels::emitMemRead(rewriter, op, b[0], b[1], b[2], o)))
        return failure();
      replaceOpWithBufferizedValues(rewriter, op, o);
      return success();
    }
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(b[0]).i64(dim(op.getState(), 0)).i64(dim(op.getState(), 1))
        .ptr(b[1]).ptr(b[2]).i64(dim(op.getQuery(), 0)).ptr(o);
    if (failed(call.emit(op, "anima_uk_mem_read")))
      return failure();
    replaceOpWithBufferizedValues(rewriter, op, o);
    return success();
  }
};

/// Shared model of mem_write and fused_mem_step: the memory (operand 0) is
/// updated in place; the fused op also returns the read before the write.
template <typename OpTy, bool Fused>
struct MemoryWriteModel : AnimaOpModel<MemoryWriteModel<OpTy, Fused>, OpTy> {
  static bool isStateOperand(OpTy, OpOperand &operand) {
    return operand.getOperandNumber() == 0;
  }
  static Value stateResult(OpTy op) { return op->getResults().back(); }

  LogicalResult bufferize(Operation *operation, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto op = cast<OpTy>(operation);
    SmallVector<Value> b; // state, key, key indices, value
    if (failed(getBuffers(rewriter,
                          {op.getState(), op.getKey(), op.getKeyIndices(),
                           op.getValue()},
                          options, state, b)))
      return failure();
    int32_t flags = 0;
    if (op.getDecayOrder() == DecayOrder::read_first)
      flags |= 1; // ANIMA_MEM_READ_FIRST
    if (op.getNormalizeKey())
      flags |= 2; // ANIMA_MEM_NORMALIZE_KEY
    SmallVector<Value> results;
    if constexpr (Fused)
      results.push_back(allocateOutput(rewriter, op.getLoc(), op.getRead()));
    if (onGpu(op)) {
      if (failed(gpukernels::emitMemWrite(
              rewriter, op, b[0], b[1], b[2], b[3],
              op.getAlpha().convertToFloat(), op.getBeta().convertToFloat(),
              op.getGamma().convertToFloat(),
              op.getDecayOrder() == DecayOrder::read_first,
              op.getNormalizeKey(), Fused ? results.front() : Value())))
        return failure();
      results.push_back(b[0]);
      replaceOpWithBufferizedValues(rewriter, op, results);
      return success();
    }
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(b[0]).i64(dim(op.getState(), 0)).i64(dim(op.getState(), 1))
        .ptr(b[1]).ptr(b[2]).i64(dim(op.getKey(), 0)).ptr(b[3])
        .f32(op.getAlpha()).f32(op.getBeta()).f32(op.getGamma()).i32(flags);
    if constexpr (Fused)
      call.ptr(results.front());
    if (failed(call.emit(op, Fused ? "anima_uk_fused_mem_step"
                                   : "anima_uk_mem_write")))
      return failure();
    results.push_back(b[0]);
    replaceOpWithBufferizedValues(rewriter, op, results);
    return success();
  }
};

struct PlasticUpdateModel : AnimaOpModel<PlasticUpdateModel, PlasticUpdateOp> {
  static bool isStateOperand(PlasticUpdateOp op, OpOperand &operand) {
    return operand.getOperandNumber() == 0;
  }
  static Value stateResult(PlasticUpdateOp op) { return op.getResult(); }

  LogicalResult bufferize(Operation *operation, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto op = cast<PlasticUpdateOp>(operation);
    SmallVector<Value> b; // weights, indices, post, pre, target, modulator
    if (failed(getBuffers(rewriter,
                          {op.getWeights(), op.getIndices(), op.getPost(),
                           op.getPre(), op.getTarget(), op.getModulator()},
                          options, state, b)))
      return failure();
    if (onGpu(op)) {
      if (failed(gpukernels::emitPlasticUpdate(rewriter, op, b[0], b[1], b[2], b[3],
                                        b[4], b[5])))
        return failure();
      replaceOpWithBufferizedValues(rewriter, op, b[0]);
      return success();
    }
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(b[0]).i64(dim(op.getWeights(), 0)).i64(dim(op.getWeights(), 1))
        .ptr(b[1]).i64(op.getNumUpdatedRows()).ptr(b[2]).ptr(b[3]).ptr(b[4])
        .ptr(b[5]).i32(static_cast<int32_t>(op.getRule()))
        .i32(op.getPreMajor() ? 1 : 0).f32(op.getEta()).f32(op.getLambda())
        .f32(op.getRowNorm());
    if (failed(call.emit(op, "anima_uk_plastic_update")))
      return failure();
    replaceOpWithBufferizedValues(rewriter, op, b[0]);
    return success();
  }
};

/// Rows per tile of the fused plastic step: as many as fit in 32 KiB, so a
/// tile's rows are still in L1 when they are updated.
int64_t tileRows(int64_t d) { return std::max<int64_t>(1, 32768 / (4 * d)); }

struct FusedPlasticStepModel
    : AnimaOpModel<FusedPlasticStepModel, FusedPlasticStepOp> {
  static bool isStateOperand(FusedPlasticStepOp op, OpOperand &operand) {
    return operand.getOperandNumber() == 0;
  }
  static Value stateResult(FusedPlasticStepOp op) { return op.getNewWeights(); }

  LogicalResult bufferize(Operation *operation, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto op = cast<FusedPlasticStepOp>(operation);
    Location loc = op.getLoc();
    SmallVector<Value> b; // weights, indices, input, pre, target, modulator
    if (failed(getBuffers(rewriter,
                          {op.getWeights(), op.getIndices(), op.getInput(),
                           op.getPre(), op.getTarget(), op.getModulator()},
                          options, state, b)))
      return failure();
    if (onGpu(op)) {
      Value dots = allocateOutput(rewriter, loc, op.getDots());
      if (failed(gpukernels::emitFusedPlasticStep(rewriter, op, b[0], b[1], b[2],
                                           b[3], b[4], b[5], dots)))
        return failure();
      replaceOpWithBufferizedValues(rewriter, op, {dots, b[0]});
      return success();
    }
    int64_t n = dim(op.getWeights(), 0), d = dim(op.getWeights(), 1);
    int64_t k = dim(op.getIndices(), 0);
    bool identity = op.hasIdentityPostFn();
    Value dots = allocateOutput(rewriter, loc, op.getDots());
    Value post = identity ? dots : allocateOutput(rewriter, loc, op.getDots());

    // Loop-invariant pointers.
    UkernelCall base(rewriter, loc);
    Value wPtr = base.pointer(b[0]), idxPtr = base.pointer(b[1]);
    Value xPtr = base.pointer(b[2]), prePtr = base.pointer(b[3]);
    Value dotsPtr = base.pointer(dots), postPtr = base.pointer(post);
    Value targetPtr = b[4] ? base.pointer(b[4]) : base.null();
    Value modPtr = b[5] ? base.pointer(b[5]) : base.null();

    Type i64 = rewriter.getI64Type();
    Type ptrType = LLVM::LLVMPointerType::get(rewriter.getContext());
    auto cst = [&](int64_t v) -> Value {
      return arith::ConstantOp::create(rewriter, loc, rewriter.getIndexAttr(v));
    };
    int64_t tile = std::min(k, tileRows(d));
    auto loop = scf::ForOp::create(rewriter, loc, cst(0), cst(k), cst(tile));
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(loop.getBody());
      Value start = loop.getInductionVar();
      Value remaining = arith::SubIOp::create(rewriter, loc, cst(k), start);
      Value count = arith::MinSIOp::create(rewriter, loc, remaining, cst(tile));
      Value start64 = arith::IndexCastOp::create(rewriter, loc, i64, start);
      Value count64 = arith::IndexCastOp::create(rewriter, loc, i64, count);
      auto offset = [&](Value base, Type elementType) -> Value {
        return LLVM::GEPOp::create(rewriter, loc, ptrType, elementType, base,
                                   ValueRange{start64});
      };
      Type f32 = rewriter.getF32Type(), i32 = rewriter.getI32Type();
      Value tileIdx = offset(idxPtr, i32);
      Value tileDots = offset(dotsPtr, f32);
      UkernelCall dot(rewriter, loc);
      dot.rawPtr(wPtr).i64(n).i64(d).rawPtr(tileIdx).i64(count64).rawPtr(xPtr)
          .rawPtr(tileDots);
      if (failed(dot.emit(op, "anima_uk_rows_dot")))
        return failure();
      if (!identity) {
        // post[j] = f(dots[j]) for the rows of this tile.
        Value end = arith::AddIOp::create(rewriter, loc, start, count);
        auto inner = scf::ForOp::create(rewriter, loc, start, end, cst(1));
        OpBuilder::InsertionGuard innerGuard(rewriter);
        rewriter.setInsertionPointToStart(inner.getBody());
        Value j = inner.getInductionVar();
        Value y = memref::LoadOp::create(rewriter, loc, dots, ValueRange{j});
        Block &body = op.getPostFn().front();
        IRMapping map;
        map.map(body.getArgument(0), y);
        for (Operation &scalarOp : body.without_terminator())
          rewriter.clone(scalarOp, map);
        Value p = map.lookup(cast<YieldOp>(body.getTerminator()).getValue());
        memref::StoreOp::create(rewriter, loc, p, post, ValueRange{j});
      }
      Value tileTarget = b[4] ? offset(targetPtr, f32) : targetPtr;
      UkernelCall update(rewriter, loc);
      update.rawPtr(wPtr).i64(n).i64(d).rawPtr(tileIdx).i64(count64)
          .rawPtr(offset(postPtr, f32)).rawPtr(prePtr).rawPtr(tileTarget)
          .rawPtr(modPtr).i32(static_cast<int32_t>(op.getRule()))
          .f32(op.getEta()).f32(op.getLambda()).f32(op.getRowNorm());
      if (failed(update.emit(op, "anima_uk_rows_update")))
        return failure();
    }
    replaceOpWithBufferizedValues(rewriter, op, {dots, b[0]});
    return success();
  }
};

} // namespace

void mlir::anima::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, AnimaDialect *) {
    KwtaOp::attachInterface<KwtaModel>(*ctx);
    GatherMatvecOp::attachInterface<GatherMatvecModel>(*ctx);
    SparseMatvecOp::attachInterface<SparseMatvecModel>(*ctx);
    MemReadOp::attachInterface<MemReadModel>(*ctx);
    MemWriteOp::attachInterface<MemoryWriteModel<MemWriteOp, false>>(*ctx);
    FusedMemStepOp::attachInterface<MemoryWriteModel<FusedMemStepOp, true>>(
        *ctx);
    PlasticUpdateOp::attachInterface<PlasticUpdateModel>(*ctx);
    FusedPlasticStepOp::attachInterface<FusedPlasticStepModel>(*ctx);
  });
}
