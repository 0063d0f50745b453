//===- BufferizableOpInterfaceImpl.cpp - anima ops to microkernel calls ---===//
//
// Bufferization models of the anima ops. Each op bufferizes into a call of
// its CPU microkernel (kernels/abi/include/anima/abi.h) on raw pointers:
// state operands are read and written in place (their result is equivalent
// to the operand's buffer), every other operand is only read, and the small
// per-step outputs (dot products, winners, reads) are stack allocations.
//
//===----------------------------------------------------------------------===//

#include "anima/Dialect/AnimaOps.h"
#include "anima/Transforms/Passes.h"

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

/// A stack buffer for a small per-step output tensor.
Value allocateOutput(RewriterBase &rewriter, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  auto memrefType = MemRefType::get(type.getShape(), type.getElementType());
  return memref::AllocaOp::create(rewriter, loc, memrefType,
                                  rewriter.getI64IntegerAttr(64));
}

/// Buffer of an optional operand, or null.
FailureOr<Value> optionalBuffer(RewriterBase &rewriter, Value tensor,
                                const BufferizationOptions &options,
                                const BufferizationState &state) {
  if (!tensor)
    return Value();
  return getBuffer(rewriter, tensor, options, state);
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
    return op.getDuty() && operand.get() == op.getDuty() &&
           operand.getOperandNumber() == 1;
  }
  static Value stateResult(KwtaOp op) { return op.getNewDuty(); }

  LogicalResult bufferize(Operation *operation, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto op = cast<KwtaOp>(operation);
    Location loc = op.getLoc();
    FailureOr<Value> input = getBuffer(rewriter, op.getInput(), options, state);
    FailureOr<Value> duty = optionalBuffer(rewriter, op.getDuty(), options, state);
    if (failed(input) || failed(duty))
      return failure();
    Value idx = allocateOutput(rewriter, loc, op.getIndices());
    Value val = allocateOutput(rewriter, loc, op.getValues());
    UkernelCall call(rewriter, loc);
    call.ptr(*input).i64(dim(op.getInput(), 0)).ptr(*duty).i64(op.getKAttr().getInt())
        .i32(static_cast<int32_t>(op.getMode())).f32(op.getBeta())
        .f32(op.getTau()).f32(op.getPeriod()).ptr(idx).ptr(val);
    if (failed(call.emit(op, "anima_uk_kwta")))
      return failure();
    SmallVector<Value> results = {idx, val};
    if (*duty)
      results.push_back(*duty);
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
    FailureOr<Value> w = getBuffer(rewriter, op.getWeights(), options, state);
    FailureOr<Value> idx = getBuffer(rewriter, op.getIndices(), options, state);
    FailureOr<Value> x = getBuffer(rewriter, op.getInput(), options, state);
    if (failed(w) || failed(idx) || failed(x))
      return failure();
    Value y = allocateOutput(rewriter, op.getLoc(), op.getResult());
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(*w).i64(dim(op.getWeights(), 0)).i64(dim(op.getWeights(), 1))
        .ptr(*idx).i64(dim(op.getIndices(), 0)).ptr(*x).ptr(y);
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
    FailureOr<Value> w = getBuffer(rewriter, op.getWeights(), options, state);
    FailureOr<Value> idx = getBuffer(rewriter, op.getIndices(), options, state);
    FailureOr<Value> val = getBuffer(rewriter, op.getValues(), options, state);
    if (failed(w) || failed(idx) || failed(val))
      return failure();
    Value y = allocateOutput(rewriter, op.getLoc(), op.getResult());
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(*w).i64(dim(op.getWeights(), 0)).i64(dim(op.getWeights(), 1))
        .ptr(*idx).ptr(*val).i64(dim(op.getIndices(), 0)).ptr(y);
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
    FailureOr<Value> s = getBuffer(rewriter, op.getState(), options, state);
    FailureOr<Value> q = getBuffer(rewriter, op.getQuery(), options, state);
    FailureOr<Value> qidx =
        optionalBuffer(rewriter, op.getQueryIndices(), options, state);
    if (failed(s) || failed(q) || failed(qidx))
      return failure();
    Value o = allocateOutput(rewriter, op.getLoc(), op.getResult());
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(*s).i64(dim(op.getState(), 0)).i64(dim(op.getState(), 1)).ptr(*q)
        .ptr(*qidx).i64(dim(op.getQuery(), 0)).ptr(o);
    if (failed(call.emit(op, "anima_uk_mem_read")))
      return failure();
    replaceOpWithBufferizedValues(rewriter, op, o);
    return success();
  }
};

/// The `flags` argument of the memory microkernels.
template <typename OpTy>
int32_t memoryFlags(OpTy op) {
  int32_t flags = 0;
  if (op.getDecayOrder() == DecayOrder::read_first)
    flags |= 1; // ANIMA_MEM_READ_FIRST
  if (op.getNormalizeKey())
    flags |= 2; // ANIMA_MEM_NORMALIZE_KEY
  return flags;
}

struct MemWriteModel : AnimaOpModel<MemWriteModel, MemWriteOp> {
  static bool isStateOperand(MemWriteOp op, OpOperand &operand) {
    return operand.getOperandNumber() == 0;
  }
  static Value stateResult(MemWriteOp op) { return op.getResult(); }

  LogicalResult bufferize(Operation *operation, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto op = cast<MemWriteOp>(operation);
    FailureOr<Value> s = getBuffer(rewriter, op.getState(), options, state);
    FailureOr<Value> key = getBuffer(rewriter, op.getKey(), options, state);
    FailureOr<Value> kidx =
        optionalBuffer(rewriter, op.getKeyIndices(), options, state);
    FailureOr<Value> v = getBuffer(rewriter, op.getValue(), options, state);
    if (failed(s) || failed(key) || failed(kidx) || failed(v))
      return failure();
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(*s).i64(dim(op.getState(), 0)).i64(dim(op.getState(), 1))
        .ptr(*key).ptr(*kidx).i64(dim(op.getKey(), 0)).ptr(*v)
        .f32(op.getAlpha()).f32(op.getBeta()).f32(op.getGamma())
        .i32(memoryFlags(op));
    if (failed(call.emit(op, "anima_uk_mem_write")))
      return failure();
    replaceOpWithBufferizedValues(rewriter, op, *s);
    return success();
  }
};

struct FusedMemStepModel : AnimaOpModel<FusedMemStepModel, FusedMemStepOp> {
  static bool isStateOperand(FusedMemStepOp op, OpOperand &operand) {
    return operand.getOperandNumber() == 0;
  }
  static Value stateResult(FusedMemStepOp op) { return op.getNewState(); }

  LogicalResult bufferize(Operation *operation, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto op = cast<FusedMemStepOp>(operation);
    FailureOr<Value> s = getBuffer(rewriter, op.getState(), options, state);
    FailureOr<Value> key = getBuffer(rewriter, op.getKey(), options, state);
    FailureOr<Value> kidx =
        optionalBuffer(rewriter, op.getKeyIndices(), options, state);
    FailureOr<Value> v = getBuffer(rewriter, op.getValue(), options, state);
    if (failed(s) || failed(key) || failed(kidx) || failed(v))
      return failure();
    Value o = allocateOutput(rewriter, op.getLoc(), op.getRead());
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(*s).i64(dim(op.getState(), 0)).i64(dim(op.getState(), 1))
        .ptr(*key).ptr(*kidx).i64(dim(op.getKey(), 0)).ptr(*v)
        .f32(op.getAlpha()).f32(op.getBeta()).f32(op.getGamma())
        .i32(memoryFlags(op)).ptr(o);
    if (failed(call.emit(op, "anima_uk_fused_mem_step")))
      return failure();
    replaceOpWithBufferizedValues(rewriter, op, {o, *s});
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
    FailureOr<Value> w = getBuffer(rewriter, op.getWeights(), options, state);
    FailureOr<Value> idx =
        optionalBuffer(rewriter, op.getIndices(), options, state);
    FailureOr<Value> post = getBuffer(rewriter, op.getPost(), options, state);
    FailureOr<Value> pre = getBuffer(rewriter, op.getPre(), options, state);
    FailureOr<Value> target =
        optionalBuffer(rewriter, op.getTarget(), options, state);
    FailureOr<Value> mod =
        optionalBuffer(rewriter, op.getModulator(), options, state);
    if (failed(w) || failed(idx) || failed(post) || failed(pre) ||
        failed(target) || failed(mod))
      return failure();
    UkernelCall call(rewriter, op.getLoc());
    call.ptr(*w).i64(dim(op.getWeights(), 0)).i64(dim(op.getWeights(), 1))
        .ptr(*idx).i64(op.getNumUpdatedRows()).ptr(*post).ptr(*pre)
        .ptr(*target).ptr(*mod).i32(static_cast<int32_t>(op.getRule()))
        .i32(op.getPreMajor() ? 1 : 0).f32(op.getEta()).f32(op.getLambda())
        .f32(op.getRowNorm());
    if (failed(call.emit(op, "anima_uk_plastic_update")))
      return failure();
    replaceOpWithBufferizedValues(rewriter, op, *w);
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
    FailureOr<Value> w = getBuffer(rewriter, op.getWeights(), options, state);
    FailureOr<Value> idx = getBuffer(rewriter, op.getIndices(), options, state);
    FailureOr<Value> x = getBuffer(rewriter, op.getInput(), options, state);
    FailureOr<Value> pre = getBuffer(rewriter, op.getPre(), options, state);
    FailureOr<Value> target =
        optionalBuffer(rewriter, op.getTarget(), options, state);
    FailureOr<Value> mod =
        optionalBuffer(rewriter, op.getModulator(), options, state);
    if (failed(w) || failed(idx) || failed(x) || failed(pre) ||
        failed(target) || failed(mod))
      return failure();
    int64_t n = dim(op.getWeights(), 0), d = dim(op.getWeights(), 1);
    int64_t k = dim(op.getIndices(), 0);
    bool identity = op.hasIdentityPostFn();
    Value dots = allocateOutput(rewriter, loc, op.getDots());
    Value post = identity ? dots : allocateOutput(rewriter, loc, op.getDots());

    // Loop-invariant pointers.
    UkernelCall base(rewriter, loc);
    Value wPtr = base.pointer(*w), idxPtr = base.pointer(*idx);
    Value xPtr = base.pointer(*x), prePtr = base.pointer(*pre);
    Value dotsPtr = base.pointer(dots), postPtr = base.pointer(post);
    Value targetPtr = *target ? base.pointer(*target) : base.null();
    Value modPtr = *mod ? base.pointer(*mod) : base.null();

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
      Value tileTarget = *target ? offset(targetPtr, f32) : targetPtr;
      UkernelCall update(rewriter, loc);
      update.rawPtr(wPtr).i64(n).i64(d).rawPtr(tileIdx).i64(count64)
          .rawPtr(offset(postPtr, f32)).rawPtr(prePtr).rawPtr(tileTarget)
          .rawPtr(modPtr).i32(static_cast<int32_t>(op.getRule()))
          .f32(op.getEta()).f32(op.getLambda()).f32(op.getRowNorm());
      if (failed(update.emit(op, "anima_uk_rows_update")))
        return failure();
    }
    replaceOpWithBufferizedValues(rewriter, op, {dots, *w});
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
    MemWriteOp::attachInterface<MemWriteModel>(*ctx);
    FusedMemStepOp::attachInterface<FusedMemStepModel>(*ctx);
    PlasticUpdateOp::attachInterface<PlasticUpdateModel>(*ctx);
    FusedPlasticStepOp::attachInterface<FusedPlasticStepModel>(*ctx);
  });
}
