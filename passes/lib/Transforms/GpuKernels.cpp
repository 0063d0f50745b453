//===- GpuKernels.cpp - GPU kernels of the anima ops ----------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// See GpuKernels.h for the kernel designs. Every kernel is built as the body
// of a gpu.launch with a 1-D grid and a 1-D workgroup of the profile's size;
// gpu-kernel-outlining later turns it into a gpu.func and convert-gpu-to-spirv
// into a SPIR-V entry point.
//
// Equations and plasticity scaling follow the CPU microkernels (abi.h) so
// that both backends trace the same state trajectory:
//   plastic rows   keep = 1 - lambda p, g = (eta p) m,
//                  w' = keep w + g (a b - c w), optional row renormalization
//   memory         alpha' = 1 - p (1 - alpha) (alpha when p == 1),
//                  beta' = beta p, e_r = beta' (v_r - gamma (R kn)_r)
//   duty cycles    d' = d + (hit - d) / (period / p)
//
//===----------------------------------------------------------------------===//

#include "GpuKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <cmath>

using namespace mlir;
using namespace mlir::anima;

namespace {

int64_t dimOf(Value value, unsigned i) {
  return cast<ShapedType>(value.getType()).getDimSize(i);
}

/// Returns a host value holding the step-context buffer (memref<4xi32>:
/// the plasticity's f32 bits, then the non-finite flag the kernels raise),
/// declaring the global once per module.
Value contextBuffer(RewriterBase &rewriter, Operation *anchor) {
  auto module = anchor->getParentOfType<ModuleOp>();
  auto type = MemRefType::get({4}, rewriter.getI32Type());
  if (!module.lookupSymbol(gpukernels::kContextGlobalName)) {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(module.getBody());
    auto global = memref::GlobalOp::create(
        rewriter, anchor->getLoc(), gpukernels::kContextGlobalName,
        rewriter.getStringAttr("private"), type, /*initial_value=*/Attribute(),
        /*constant=*/false, /*alignment=*/IntegerAttr());
    (void)global;
  }
  return memref::GetGlobalOp::create(rewriter, anchor->getLoc(), type,
                                     gpukernels::kContextGlobalName);
}

/// A kernel under construction: the body of one gpu.launch.
class Kernel {
public:
  using Body = function_ref<SmallVector<Value>(Value, ValueRange)>;

  /// A kernel named `name` (the outlined gpu.func's name) of `groups`
  /// workgroups, at the rewriter's insertion point.
  Kernel(RewriterBase &rewriter, Operation *anchor, int64_t groups,
         StringRef name)
      : b(anchor->getLoc(), rewriter), wg(gpukernels::gpuWorkgroupSize(anchor)) {
    context = contextBuffer(rewriter, anchor);
    Value one = arith::ConstantIndexOp::create(rewriter, anchor->getLoc(), 1);
    Value grid =
        arith::ConstantIndexOp::create(rewriter, anchor->getLoc(), groups);
    Value block = arith::ConstantIndexOp::create(rewriter, anchor->getLoc(), wg);
    launch = ::mlir::gpu::LaunchOp::create(
        rewriter, anchor->getLoc(), grid, one, one, block, one, one,
        /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
        /*asyncDependencies=*/{}, /*workgroupAttributions=*/{},
        /*privateAttributions=*/{}, nullptr, nullptr, nullptr,
        /*module=*/nullptr,
        FlatSymbolRefAttr::get(rewriter.getContext(), name));
    Block &body = launch.getBody().front();
    b.setInsertionPointToEnd(&body);
    auto terminator = ::mlir::gpu::TerminatorOp::create(b);
    b.setInsertionPoint(terminator);
    tid = launch.getThreadIds().x;
    bid = launch.getBlockIds().x;
  }

  // Constants and arithmetic.
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value f32(float v) {
    return arith::ConstantOp::create(b, b.getF32FloatAttr(v));
  }
  Value i32(int32_t v) {
    return arith::ConstantOp::create(b, b.getI32IntegerAttr(v));
  }
  Value add(Value x, Value y) {
    if (x.getType().isF32())
      return arith::AddFOp::create(b, x, y);
    return arith::AddIOp::create(b, x, y);
  }
  Value sub(Value x, Value y) {
    if (x.getType().isF32())
      return arith::SubFOp::create(b, x, y);
    return arith::SubIOp::create(b, x, y);
  }
  Value mul(Value x, Value y) {
    if (x.getType().isF32())
      return arith::MulFOp::create(b, x, y);
    return arith::MulIOp::create(b, x, y);
  }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, x, y); }
  Value exp(Value x) { return math::ExpOp::create(b, x); }
  Value sqrt(Value x) { return math::SqrtOp::create(b, x); }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, c, x, y);
  }
  Value cmpf(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, p, x, y);
  }
  Value cmpi(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, p, x, y);
  }
  Value andi(Value x, Value y) { return arith::AndIOp::create(b, x, y); }
  Value ori(Value x, Value y) { return arith::OrIOp::create(b, x, y); }

  // Memory.
  Value load(Value m, ValueRange i) { return memref::LoadOp::create(b, m, i); }
  void store(Value v, Value m, ValueRange i) {
    memref::StoreOp::create(b, v, m, i);
  }
  /// Element j of an i32 index buffer, as an index.
  Value index(Value m, Value j) {
    return arith::IndexCastOp::create(b, b.getIndexType(), load(m, j));
  }
  /// 0 <= r < n.
  Value inRange(Value r, int64_t n) {
    return andi(cmpi(arith::CmpIPredicate::sge, r, idx(0)),
                cmpi(arith::CmpIPredicate::slt, r, idx(n)));
  }
  /// r if it is a valid row of n, else 0 (never reads out of bounds).
  Value clampRow(Value r, int64_t n) { return select(inRange(r, n), r, idx(0)); }
  /// The plasticity of the step.
  Value plasticity() {
    return arith::BitcastOp::create(b, b.getF32Type(), load(context, idx(0)));
  }
  /// Stores a new state value and raises the step's non-finite flag
  /// (context[1], atomically) if it is NaN or Inf: the runtime then undoes
  /// the step.
  void storeState(Value v, Value m, ValueRange i) {
    store(v, m, i);
    Value bits = arith::BitcastOp::create(b, b.getI32Type(), v);
    Value exponent = andi(bits, i32(0x7f800000));
    ifThen(cmpi(arith::CmpIPredicate::eq, exponent, i32(0x7f800000)), [&] {
      memref::AtomicRMWOp::create(b, arith::AtomicRMWKind::ori, i32(1),
                                  context, ValueRange{idx(1)});
    });
  }

  // Control flow.
  SmallVector<Value> loop(Value lo, Value hi, Value step, ValueRange init,
                          Body fn) {
    auto forOp = scf::ForOp::create(
        b, lo, hi, step, init,
        [&](OpBuilder &nested, Location, Value iv, ValueRange args) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          SmallVector<Value> next = fn(iv, args);
          scf::YieldOp::create(b, next);
        });
    return SmallVector<Value>(forOp.getResults());
  }
  /// A loop of this invocation over [0, n) with stride wg.
  SmallVector<Value> strided(int64_t n, ValueRange init, Body fn) {
    return loop(tid, idx(n), idx(wg), init, fn);
  }
  void ifThen(Value cond, function_ref<void()> fn) {
    scf::IfOp::create(b, cond, [&](OpBuilder &nested, Location) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(nested.getInsertionBlock(),
                          nested.getInsertionPoint());
      fn();
      scf::YieldOp::create(b);
    });
  }
  void ifFirstThread(function_ref<void()> fn) {
    ifThen(cmpi(arith::CmpIPredicate::eq, tid, idx(0)), fn);
  }
  /// Runs fn only when the step may learn (p != 0); uniform.
  void ifLearning(Value p, function_ref<void()> fn) {
    ifThen(cmpf(arith::CmpFPredicate::UNE, p, f32(0.0f)), fn);
  }
  void barrier() { ::mlir::gpu::BarrierOp::create(b); }

  /// Workgroup-wide reduction of v (f32 add or max, i32 add); every
  /// invocation gets the result. Must be reached by the whole workgroup.
  Value reduce(Value v, ::mlir::gpu::AllReduceOperation op) {
    bool isFloat = v.getType().isF32();
    Value partial =
        ::mlir::gpu::SubgroupReduceOp::create(b, v, op, /*uniform=*/false);
    Value sgId = ::mlir::gpu::SubgroupIdOp::create(b, IntegerAttr());
    Value sgSize = ::mlir::gpu::SubgroupSizeOp::create(b, IntegerAttr());
    Value sgCount = ::mlir::gpu::NumSubgroupsOp::create(b, IntegerAttr());
    Value lane = sub(tid, mul(sgId, sgSize));
    Value buf = scratch(isFloat);
    ifThen(cmpi(arith::CmpIPredicate::eq, lane, idx(0)),
           [&] { store(partial, buf, sgId); });
    barrier();
    Value first = load(buf, idx(0));
    Value total = loop(idx(1), sgCount, idx(1), first,
                       [&](Value i, ValueRange acc) -> SmallVector<Value> {
                         Value x = load(buf, i);
                         if (op == ::mlir::gpu::AllReduceOperation::MAXIMUMF)
                           return {arith::MaximumFOp::create(b, acc[0], x)};
                         return {add(acc[0], x)};
                       })[0];
    barrier(); // the scratch may be reused right away
    return total;
  }
  Value sum(Value v) {
    return reduce(v, ::mlir::gpu::AllReduceOperation::ADD);
  }
  Value max(Value v) {
    return reduce(v, ::mlir::gpu::AllReduceOperation::MAXIMUMF);
  }

  /// Workgroup memory of wg elements (f32 or i32), allocated at kernel start.
  Value scratch(bool isFloat) {
    Value &slot = isFloat ? scratchF32 : scratchI32;
    if (!slot) {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&launch.getBody().front());
      Type element = isFloat ? Type(b.getF32Type()) : Type(b.getI32Type());
      auto type = MemRefType::get({wg}, element, AffineMap(),
                                  b.getI64IntegerAttr(3)); // Workgroup
      slot = memref::AllocOp::create(b, type);
    }
    return slot;
  }

  ImplicitLocOpBuilder b;
  int64_t wg;
  ::mlir::gpu::LaunchOp launch;
  Value tid, bid, context;

private:
  Value scratchF32, scratchI32;
};

/// The learning-rule coefficients of one post-major row: w' = keep w +
/// g (a b_col - c w).
struct RowCoefficients {
  Value a, c;
};

/// Updates row `i` (a valid row) of w: w' = keep w + g (a b(col) - c w), then
/// the optional renormalization to rowNorm. Each invocation touches only
/// its own columns.
void updateRow(Kernel &K, Value w, Value i, int64_t d, Value keep, Value g,
               RowCoefficients rc, function_ref<Value(Value)> bAt,
               float rowNorm) {
  Value sumsq = K.strided(d, K.f32(0.0f),
                          [&](Value col, ValueRange acc) -> SmallVector<Value> {
                            Value old = K.load(w, {i, col});
                            Value term = K.sub(K.mul(rc.a, bAt(col)),
                                               K.mul(rc.c, old));
                            Value nw = K.add(K.mul(keep, old), K.mul(g, term));
                            K.storeState(nw, w, {i, col});
                            return {K.add(acc[0], K.mul(nw, nw))};
                          })[0];
  if (!(rowNorm > 0.0f))
    return;
  Value norm = K.sqrt(K.sum(sumsq));
  K.ifThen(K.cmpf(arith::CmpFPredicate::OGT, norm, K.f32(0.0f)), [&] {
    Value scale = K.div(K.f32(rowNorm), norm);
    K.strided(d, {}, [&](Value col, ValueRange) -> SmallVector<Value> {
      K.storeState(K.mul(K.load(w, {i, col}), scale), w, {i, col});
      return {};
    });
  });
}

/// keep and g of a plastic update at plasticity p.
std::pair<Value, Value> rowScales(Kernel &K, Value p, float eta, float lambda,
                                  Value modulator) {
  Value keep = K.sub(K.f32(1.0f), K.mul(K.f32(lambda), p));
  Value g = K.mul(K.f32(eta), p);
  if (modulator)
    g = K.mul(g, K.load(modulator, {}));
  return {keep, g};
}

/// Max and sum of exp(x - max) over the n entries of x.
std::pair<Value, Value> softmaxStats(Kernel &K, Value x, int64_t n) {
  Value lowest = K.f32(-std::numeric_limits<float>::infinity());
  Value localMax =
      K.strided(n, lowest, [&](Value j, ValueRange acc) -> SmallVector<Value> {
        return {arith::MaximumFOp::create(K.b, acc[0], K.load(x, j))};
      })[0];
  Value m = K.max(localMax);
  Value localSum =
      K.strided(n, K.f32(0.0f), [&](Value j, ValueRange acc) -> SmallVector<Value> {
        return {K.add(acc[0], K.exp(K.sub(K.load(x, j), m)))};
      })[0];
  return {m, K.sum(localSum)};
}

/// Order-preserving key of a k-WTA score: larger scores get larger unsigned
/// keys, -0 == +0, and NaN gets 0 (ranks last).
Value rankKey(Kernel &K, Value s) {
  Value isNan = K.cmpf(arith::CmpFPredicate::UNO, s, s);
  Value isZero = K.cmpf(arith::CmpFPredicate::OEQ, s, K.f32(0.0f));
  Value canon = K.select(isZero, K.f32(0.0f), s);
  Value bits = arith::BitcastOp::create(K.b, K.b.getI32Type(), canon);
  Value negative = K.cmpi(arith::CmpIPredicate::slt, bits, K.i32(0));
  Value flipped = arith::XOrIOp::create(K.b, bits, K.i32(-1));
  Value marked = K.ori(bits, K.i32(INT32_MIN));
  Value key = K.select(negative, flipped, marked);
  return K.select(isNan, K.i32(0), key);
}

/// Where the next undo kernel goes: before the undo kernels already at the
/// end of the step (so that they run newest first), or before the
/// terminator.
void setUndoInsertionPoint(RewriterBase &rewriter, Operation *anchor) {
  Block *block = anchor->getBlock();
  for (Operation &op : *block)
    if (auto launch = dyn_cast<::mlir::gpu::LaunchOp>(op))
      if (auto fn = launch.getFunctionAttr(); fn && fn.getValue() == gpukernels::kUndoKernel) {
        rewriter.setInsertionPoint(&op);
        return;
      }
  rewriter.setInsertionPoint(block->getTerminator());
}

/// Rows and columns of a state buffer (a vector is one row).
std::pair<int64_t, int64_t> rowsAndColumns(Value state) {
  auto type = cast<MemRefType>(state.getType());
  if (type.getRank() == 1)
    return {1, type.getDimSize(0)};
  return {type.getDimSize(0), type.getDimSize(1)};
}

/// Loads/stores element (row, column) of a rank-1 or rank-2 buffer.
SmallVector<Value> at(Kernel &K, Value buffer, Value row, Value column) {
  if (cast<MemRefType>(buffer.getType()).getRank() == 1)
    return {column};
  return {row, column};
}

/// Journals rows of `state` about to be written by the next kernel: a save
/// kernel copies them into a per-step journal buffer now, and an undo kernel
/// (named anima_undo; the dispatch schedule runs those only for a refused
/// step, newest first) copies them back. `idx` (null: every row) lists the
/// rows; an invalid index is skipped as the writing kernel skips it.
Value journal(RewriterBase &rewriter, Operation *anchor, Value state,
              Value idx, bool saveKernel) {
  auto [rows, columns] = rowsAndColumns(state);
  int64_t count = idx ? dimOf(idx, 0) : rows;
  if (count == 0 || columns == 0)
    return Value();
  auto journalType = MemRefType::get({count, columns}, rewriter.getF32Type());
  Value saved = memref::AllocOp::create(rewriter, anchor->getLoc(),
                                        journalType,
                                        rewriter.getI64IntegerAttr(64));
  auto copyRows = [&](StringRef name, bool restore) {
    Kernel K(rewriter, anchor, count, name);
    Value j = K.bid;
    Value r = idx ? K.index(idx, j) : j;
    K.ifThen(K.inRange(r, rows), [&] {
      K.strided(columns, {}, [&](Value c, ValueRange) -> SmallVector<Value> {
        if (restore)
          K.store(K.load(saved, {j, c}), state, at(K, state, r, c));
        else
          K.store(K.load(state, at(K, state, r, c)), saved, {j, c});
        return {};
      });
    });
  };
  if (saveKernel)
    copyRows(gpukernels::kSaveKernel, /*restore=*/false);
  OpBuilder::InsertionGuard guard(rewriter);
  setUndoInsertionPoint(rewriter, anchor);
  copyRows(gpukernels::kUndoKernel, /*restore=*/true);
  return saved;
}

/// The in-kernel half of a row journal: the writing kernel's workgroup j
/// copies row r of `state` into row j of `saved` (its own columns, before
/// it writes any), whether or not it then learns, so the undo kernel never
/// restores an unwritten journal row.
void saveRowInKernel(Kernel &K, Value saved, Value state, Value j, Value r,
                     Value valid) {
  if (!saved)
    return;
  int64_t columns = rowsAndColumns(state).second;
  K.ifThen(valid, [&] {
    K.strided(columns, {}, [&](Value c, ValueRange) -> SmallVector<Value> {
      K.store(K.load(state, {r, c}), saved, {j, c});
      return {};
    });
  });
}

} // namespace

void mlir::anima::gpukernels::journalRows(RewriterBase &rewriter,
                                          Operation *anchor, Value state,
                                          Value idx) {
  journal(rewriter, anchor, state, idx, /*saveKernel=*/true);
}

void mlir::anima::gpukernels::journalWhole(RewriterBase &rewriter,
                                           Operation *anchor, Value state) {
  journal(rewriter, anchor, state, Value(), /*saveKernel=*/true);
}

int64_t mlir::anima::gpukernels::gpuWorkgroupSize(Operation *op) {
  auto module = isa<ModuleOp>(op) ? cast<ModuleOp>(op)
                                  : op->getParentOfType<ModuleOp>();
  if (!module)
    return 0;
  auto attr = module->getAttrOfType<DictionaryAttr>(kGpuKernelsAttrName);
  if (!attr)
    return 0;
  auto size = attr.getAs<IntegerAttr>("workgroup_size");
  return size ? size.getInt() : 0;
}

LogicalResult mlir::anima::gpukernels::emitGatherMatvec(RewriterBase &rewriter,
                                                 Operation *op, Value w,
                                                 Value idx, Value x, Value y) {
  int64_t n = dimOf(w, 0), d = dimOf(w, 1), k = dimOf(idx, 0);
  if (k == 0)
    return success();
  Kernel K(rewriter, op, k, "anima_gather_matvec");
  Value r = K.index(idx, K.bid);
  Value valid = K.inRange(r, n);
  r = K.clampRow(r, n);
  Value local =
      K.strided(d, K.f32(0.0f), [&](Value c, ValueRange acc) -> SmallVector<Value> {
        return {K.add(acc[0], K.mul(K.load(w, {r, c}), K.load(x, c)))};
      })[0];
  Value dot = K.sum(local);
  K.ifFirstThread(
      [&] { K.store(K.select(valid, dot, K.f32(0.0f)), y, K.bid); });
  return success();
}

LogicalResult mlir::anima::gpukernels::emitSparseMatvec(RewriterBase &rewriter,
                                                 SparseMatvecOp op, Value w,
                                                 Value idx, Value val,
                                                 Value y) {
  int64_t n = dimOf(w, 0), d = dimOf(w, 1), k = dimOf(idx, 0);
  if (d == 0)
    return success();
  int64_t wg = gpuWorkgroupSize(op);
  Kernel K(rewriter, op, (d + wg - 1) / wg, "anima_sparse_matvec");
  Value c = K.add(K.mul(K.bid, K.idx(wg)), K.tid);
  K.ifThen(K.cmpi(arith::CmpIPredicate::slt, c, K.idx(d)), [&] {
    Value acc = K.loop(K.idx(0), K.idx(k), K.idx(1), K.f32(0.0f),
                       [&](Value j, ValueRange acc) -> SmallVector<Value> {
                         Value r = K.index(idx, j);
                         Value valid = K.inRange(r, n);
                         Value term = K.mul(K.load(val, j),
                                            K.load(w, {K.clampRow(r, n), c}));
                         return {K.add(acc[0],
                                       K.select(valid, term, K.f32(0.0f)))};
                       })[0];
    K.store(acc, y, c);
  });
  return success();
}

LogicalResult mlir::anima::gpukernels::emitMemRead(RewriterBase &rewriter,
                                            MemReadOp op, Value s, Value q,
                                            Value qidx, Value o) {
  int64_t dv = dimOf(s, 0), dk = dimOf(s, 1);
  if (dv == 0)
    return success();
  Kernel K(rewriter, op, dv, "anima_mem_read");
  Value r = K.bid;
  Value local;
  if (!qidx) {
    local = K.strided(dk, K.f32(0.0f),
                      [&](Value c, ValueRange acc) -> SmallVector<Value> {
                        return {K.add(acc[0],
                                      K.mul(K.load(s, {r, c}), K.load(q, c)))};
                      })[0];
  } else {
    local = K.strided(dimOf(qidx, 0), K.f32(0.0f),
                      [&](Value j, ValueRange acc) -> SmallVector<Value> {
                        Value c = K.index(qidx, j);
                        Value valid = K.inRange(c, dk);
                        Value term = K.mul(K.load(q, j),
                                           K.load(s, {r, K.clampRow(c, dk)}));
                        return {K.add(acc[0],
                                      K.select(valid, term, K.f32(0.0f)))};
                      })[0];
  }
  Value total = K.sum(local);
  K.ifFirstThread([&] { K.store(total, o, r); });
  return success();
}

LogicalResult mlir::anima::gpukernels::emitMemWrite(RewriterBase &rewriter,
                                             Operation *op, Value s, Value key,
                                             Value kidx, Value v, float alpha,
                                             float beta, float gamma,
                                             bool readFirst, bool normalizeKey,
                                             Value o) {
  int64_t dv = dimOf(s, 0), dk = dimOf(s, 1);
  int64_t keyLen = dimOf(key, 0);
  if (dv == 0)
    return success();
  journalWhole(rewriter, op, s);
  Kernel K(rewriter, op, dv, o ? "anima_fused_mem_step" : "anima_mem_write");
  Value r = K.bid;
  Value p = K.plasticity();
  Value alphaP = K.select(
      K.cmpf(arith::CmpFPredicate::OEQ, p, K.f32(1.0f)), K.f32(alpha),
      K.sub(K.f32(1.0f), K.mul(p, K.f32(1.0f - alpha))));
  Value betaP = K.mul(K.f32(beta), p);
  Value alphaR = readFirst ? K.f32(1.0f) : alphaP;

  // The key as written: kn(j) = key_j / |key| when normalizing.
  Value norm;
  if (normalizeKey) {
    Value local = K.strided(keyLen, K.f32(0.0f),
                            [&](Value j, ValueRange acc) -> SmallVector<Value> {
                              Value x = K.load(key, j);
                              return {K.add(acc[0], K.mul(x, x))};
                            })[0];
    norm = K.sqrt(K.sum(local));
  }
  auto kn = [&](Value j) -> Value {
    Value x = K.load(key, j);
    if (!normalizeKey)
      return x;
    return K.select(K.cmpf(arith::CmpFPredicate::OGT, norm, K.f32(0.0f)),
                    K.div(x, norm), x);
  };
  /// Column of key entry j.
  auto column = [&](Value j) -> Value {
    return kidx ? K.clampRow(K.index(kidx, j), dk) : j;
  };
  auto validEntry = [&](Value j) -> Value {
    return kidx ? K.inRange(K.index(kidx, j), dk)
                : K.cmpi(arith::CmpIPredicate::eq, j, j);
  };

  // Pass 1: the retrieval (and the fused read) from the old row.
  SmallVector<Value> partial = K.strided(
      keyLen, {K.f32(0.0f), K.f32(0.0f)},
      [&](Value j, ValueRange acc) -> SmallVector<Value> {
        Value old = K.load(s, {r, column(j)});
        Value ok = validEntry(j);
        Value retr = K.mul(kn(j), K.mul(alphaR, old));
        Value read = K.mul(K.load(key, j), old);
        return {K.add(acc[0], K.select(ok, retr, K.f32(0.0f))),
                K.add(acc[1], K.select(ok, read, K.f32(0.0f)))};
      });
  Value retrieved = K.mul(K.f32(gamma), K.sum(partial[0]));
  Value read = o ? K.sum(partial[1]) : Value();
  Value e = K.mul(betaP, K.sub(K.load(v, r), retrieved));
  if (o)
    K.ifFirstThread([&] { K.store(read, o, r); });

  // Pass 2: the write, each invocation on the columns it owns.
  K.ifLearning(p, [&] {
    if (!kidx) {
      K.strided(dk, {}, [&](Value c, ValueRange) -> SmallVector<Value> {
        Value old = K.load(s, {r, c});
        K.storeState(K.add(K.mul(alphaP, old), K.mul(e, kn(c))), s, {r, c});
        return {};
      });
      return;
    }
    int64_t kk = keyLen;
    Value undecayed = K.cmpf(arith::CmpFPredicate::OEQ, alphaP, K.f32(1.0f));
    // alpha' == 1: only the key's columns change (distinct columns).
    K.ifThen(undecayed, [&] {
      K.strided(kk, {}, [&](Value j, ValueRange) -> SmallVector<Value> {
        K.ifThen(validEntry(j), [&] {
          Value c = column(j);
          Value old = K.load(s, {r, c});
          K.storeState(K.add(old, K.mul(e, kn(j))), s, {r, c});
        });
        return {};
      });
    });
    // Otherwise the whole row decays; a column finds its key entry by a
    // binary search of the sorted key indices.
    Value decays = arith::XOrIOp::create(
        K.b, undecayed,
        arith::ConstantOp::create(K.b, K.b.getBoolAttr(true)));
    K.ifThen(decays, [&] {
      int64_t steps = 1;
      while ((int64_t(1) << steps) <= kk)
        ++steps;
      K.strided(dk, {}, [&](Value c, ValueRange) -> SmallVector<Value> {
        SmallVector<Value> bounds = K.loop(
            K.idx(0), K.idx(steps), K.idx(1), {K.idx(0), K.idx(kk)},
            [&](Value, ValueRange lh) -> SmallVector<Value> {
              Value lo = lh[0], hi = lh[1];
              Value open = K.cmpi(arith::CmpIPredicate::slt, lo, hi);
              Value mid = arith::DivUIOp::create(K.b, K.add(lo, hi), K.idx(2));
              Value safeMid = K.select(open, mid, K.idx(0));
              Value at = K.index(kidx, safeMid);
              Value below = K.cmpi(arith::CmpIPredicate::slt, at, c);
              Value newLo = K.select(below, K.add(mid, K.idx(1)), lo);
              Value newHi = K.select(below, hi, mid);
              return {K.select(open, newLo, lo), K.select(open, newHi, hi)};
            });
        Value lo = bounds[0];
        Value inside = K.cmpi(arith::CmpIPredicate::slt, lo, K.idx(kk));
        Value safeLo = K.select(inside, lo, K.idx(0));
        Value hit = K.andi(
            inside, K.cmpi(arith::CmpIPredicate::eq, K.index(kidx, safeLo), c));
        Value decayed = K.mul(alphaP, K.load(s, {r, c}));
        Value bumped = K.add(decayed, K.mul(e, kn(safeLo)));
        K.storeState(K.select(hit, bumped, decayed), s, {r, c});
        return {};
      });
    });
  });
  return success();
}

LogicalResult mlir::anima::gpukernels::emitPlasticUpdate(RewriterBase &rewriter,
                                                  PlasticUpdateOp op, Value w,
                                                  Value idx, Value post,
                                                  Value pre, Value target,
                                                  Value modulator) {
  int64_t n = dimOf(w, 0), d = dimOf(w, 1);
  int64_t rows = op.getNumUpdatedRows();
  if (rows == 0 || d == 0)
    return success();
  Rule rule = op.getRule();
  bool preMajor = op.getPreMajor();
  // The rows this kernel writes are journaled by the kernel itself.
  Value saved = journal(rewriter, op, w, idx, /*saveKernel=*/false);
  Kernel K(rewriter, op, rows, "anima_plastic_update");
  Value j = K.bid;
  Value i = idx ? K.index(idx, j) : j;
  Value valid = K.inRange(i, n);
  i = K.clampRow(i, n);
  saveRowInKernel(K, saved, w, j, i, valid);
  Value p = K.plasticity();
  // Softmax statistics over the post vector (k entries post-major, d
  // pre-major), computed before any branch: they reduce over the workgroup.
  Value m, total;
  if (rule == Rule::softmax_delta)
    std::tie(m, total) = softmaxStats(K, post, preMajor ? d : rows);
  auto [keep, g] = rowScales(K, p, op.getEta().convertToFloat(),
                             op.getLambda().convertToFloat(), modulator);
  RowCoefficients rc;
  std::function<Value(Value)> bAt;
  if (!preMajor) {
    Value y = K.load(post, j);
    rc.c = K.f32(0.0f);
    switch (rule) {
    case Rule::hebb:
      rc.a = y;
      break;
    case Rule::oja:
      rc.a = y;
      rc.c = K.mul(y, y);
      break;
    case Rule::instar:
      rc.a = y;
      rc.c = y;
      break;
    case Rule::delta:
      rc.a = K.sub(K.load(target, j), y);
      break;
    case Rule::softmax_delta:
      rc.a = K.sub(K.load(target, j), K.div(K.exp(K.sub(y, m)), total));
      break;
    }
    bAt = [&](Value col) { return K.load(pre, col); };
  } else {
    rc.a = K.load(pre, j);
    rc.c = K.f32(0.0f);
    switch (rule) {
    case Rule::hebb:
      bAt = [&](Value col) { return K.load(post, col); };
      break;
    case Rule::delta:
      bAt = [&](Value col) {
        return K.sub(K.load(target, col), K.load(post, col));
      };
      break;
    case Rule::softmax_delta:
      bAt = [&](Value col) {
        Value sm = K.div(K.exp(K.sub(K.load(post, col), m)), total);
        return K.sub(K.load(target, col), sm);
      };
      break;
    default:
      return op.emitError("rule '")
             << stringifyRule(rule) << "' has no pre-major GPU kernel";
    }
  }
  Value learn = K.andi(valid, K.cmpf(arith::CmpFPredicate::UNE, p,
                                     K.f32(0.0f)));
  K.ifThen(learn, [&] {
    updateRow(K, w, i, d, keep, g, rc, bAt, op.getRowNorm().convertToFloat());
  });
  return success();
}

LogicalResult mlir::anima::gpukernels::emitFusedPlasticStep(
    RewriterBase &rewriter, FusedPlasticStepOp op, Value w, Value idx, Value x,
    Value pre, Value target, Value modulator, Value dots) {
  int64_t n = dimOf(w, 0), d = dimOf(w, 1), k = dimOf(idx, 0);
  if (k == 0)
    return success();
  Value saved = journal(rewriter, op, w, idx, /*saveKernel=*/false);
  Kernel K(rewriter, op, k, "anima_fused_plastic_step");
  Value j = K.bid;
  Value i = K.index(idx, j);
  Value valid = K.inRange(i, n);
  i = K.clampRow(i, n);
  saveRowInKernel(K, saved, w, j, i, valid);
  Value p = K.plasticity();
  // One visit of the row: the dot product...
  Value local =
      K.strided(d, K.f32(0.0f), [&](Value c, ValueRange acc) -> SmallVector<Value> {
        return {K.add(acc[0], K.mul(K.load(w, {i, c}), K.load(x, c)))};
      })[0];
  Value y = K.select(valid, K.sum(local), K.f32(0.0f));
  K.ifFirstThread([&] { K.store(y, dots, j); });
  // ...the elementwise post function, evaluated by every invocation...
  Block &body = op.getPostFn().front();
  IRMapping map;
  map.map(body.getArgument(0), y);
  for (Operation &scalarOp : body.without_terminator())
    K.b.clone(scalarOp, map);
  Value post = map.lookupOrDefault(cast<YieldOp>(body.getTerminator()).getValue());
  // ...and the update of the same row, each invocation on its own columns.
  auto [keep, g] = rowScales(K, p, op.getEta().convertToFloat(),
                             op.getLambda().convertToFloat(), modulator);
  RowCoefficients rc{post, K.f32(0.0f)};
  switch (op.getRule()) {
  case Rule::hebb:
    break;
  case Rule::oja:
    rc.c = K.mul(post, post);
    break;
  case Rule::instar:
    rc.c = post;
    break;
  case Rule::delta:
    rc.a = K.sub(K.load(target, j), post);
    break;
  case Rule::softmax_delta:
    return op.emitError("softmax_delta is never fused");
  }
  Value learn = K.andi(valid, K.cmpf(arith::CmpFPredicate::UNE, p,
                                     K.f32(0.0f)));
  K.ifThen(learn, [&] {
    updateRow(K, w, i, d, keep, g, rc,
              [&](Value col) { return K.load(pre, col); },
              op.getRowNorm().convertToFloat());
  });
  return success();
}

LogicalResult mlir::anima::gpukernels::emitMatvecAcc(RewriterBase &rewriter,
                                              Operation *op, Value w, Value x,
                                              Value y) {
  int64_t n = dimOf(w, 0), d = dimOf(w, 1);
  if (n == 0)
    return success();
  Kernel K(rewriter, op, n, "anima_matvec");
  Value r = K.bid;
  Value local =
      K.strided(d, K.f32(0.0f), [&](Value c, ValueRange acc) -> SmallVector<Value> {
        return {K.add(acc[0], K.mul(K.load(w, {r, c}), K.load(x, c)))};
      })[0];
  Value total = K.sum(local);
  K.ifFirstThread([&] { K.store(K.add(K.load(y, r), total), y, r); });
  return success();
}

LogicalResult mlir::anima::gpukernels::emitKwta(RewriterBase &rewriter, KwtaOp op,
                                         Value u, Value duty, Value idxOut,
                                         Value valOut) {
  int64_t n = dimOf(u, 0);
  int64_t k = op.getKAttr().getInt();
  float beta = op.getBeta().convertToFloat();
  float tau = op.getTau().convertToFloat();
  float period = op.getPeriod().convertToFloat();
  bool boost = duty && beta != 0.0f;
  int64_t wg = gpuWorkgroupSize(op);
  if (wg > 65535)
    return op.emitError("k-WTA GPU kernel needs a workgroup of at most 65535");
  if (duty && period > 0.0f)
    journalWhole(rewriter, op, duty);
  Kernel K(rewriter, op, 1, "anima_kwta");
  Value p = K.plasticity();
  float target = static_cast<float>(k) / static_cast<float>(n);

  // Score and key of neuron i (valid i only).
  auto score = [&](Value i) -> Value {
    Value s = K.load(u, i);
    if (!boost)
      return s;
    Value b = K.exp(K.mul(K.f32(beta), K.sub(K.f32(target), K.load(duty, i))));
    return K.mul(s, b);
  };
  auto keyAt = [&](Value i) -> Value { return rankKey(K, score(i)); };
  auto countIf = [&](function_ref<Value(Value)> pred) -> Value {
    Value local =
        K.strided(n, K.i32(0), [&](Value i, ValueRange acc) -> SmallVector<Value> {
          Value one = arith::ExtUIOp::create(K.b, K.b.getI32Type(), pred(i));
          return {K.add(acc[0], one)};
        })[0];
    return K.sum(local);
  };

  // The k-th largest key T: the largest t with #{key >= t} >= k.
  Value kI32 = K.i32(static_cast<int32_t>(k));
  Value threshold =
      K.loop(K.idx(0), K.idx(32), K.idx(1), K.i32(0),
             [&](Value step, ValueRange t) -> SmallVector<Value> {
               Value stepI32 = arith::IndexCastOp::create(
                   K.b, K.b.getI32Type(), step);
               Value bit = arith::ShLIOp::create(
                   K.b, K.i32(1), K.sub(K.i32(31), stepI32));
               Value candidate = K.ori(t[0], bit);
               Value count = countIf([&](Value i) {
                 return K.cmpi(arith::CmpIPredicate::uge, keyAt(i), candidate);
               });
               Value enough = K.cmpi(arith::CmpIPredicate::sge, count, kI32);
               return {K.select(enough, candidate, t[0])};
             })[0];
  Value greater = countIf([&](Value i) {
    return K.cmpi(arith::CmpIPredicate::ugt, keyAt(i), threshold);
  });
  // Ties at T are taken in index order, `need` of them.
  Value need = K.sub(kI32, greater);

  float binary = 1.0f / std::sqrt(static_cast<float>(k));
  bool updateDuty = duty && period > 0.0f;
  Value dutyT = updateDuty ? K.div(K.f32(period), p) : Value();
  Value scan = K.scratch(/*isFloat=*/false);
  int64_t chunks = (n + wg - 1) / wg;
  K.loop(
      K.idx(0), K.idx(chunks), K.idx(1), {K.i32(0), K.i32(0)},
      [&](Value chunk, ValueRange base) -> SmallVector<Value> {
        Value i = K.add(K.mul(chunk, K.idx(wg)), K.tid);
        Value inside = K.cmpi(arith::CmpIPredicate::slt, i, K.idx(n));
        Value safeI = K.select(inside, i, K.idx(0));
        Value key = keyAt(safeI);
        Value gt = K.andi(inside,
                          K.cmpi(arith::CmpIPredicate::ugt, key, threshold));
        Value eq = K.andi(inside,
                          K.cmpi(arith::CmpIPredicate::eq, key, threshold));
        Value i32Ty0 = arith::ExtUIOp::create(K.b, K.b.getI32Type(), gt);
        Value eqBit = arith::ExtUIOp::create(K.b, K.b.getI32Type(), eq);
        Value packed = K.add(i32Ty0, arith::ShLIOp::create(K.b, eqBit,
                                                           K.i32(16)));
        // Inclusive Hillis-Steele scan of the packed (gt, eq) counts.
        K.store(packed, scan, K.tid);
        K.barrier();
        for (int64_t offset = 1; offset < wg; offset *= 2) {
          Value mine = K.load(scan, K.tid);
          Value has = K.cmpi(arith::CmpIPredicate::sge, K.tid, K.idx(offset));
          Value from = K.select(has, K.sub(K.tid, K.idx(offset)), K.idx(0));
          Value other = K.select(has, K.load(scan, from), K.i32(0));
          K.barrier();
          K.store(K.add(mine, other), scan, K.tid);
          K.barrier();
        }
        Value inclusive = K.load(scan, K.tid);
        Value chunkTotal = K.load(scan, K.idx(wg - 1));
        K.barrier();
        Value exclusive = K.sub(inclusive, packed);
        Value mask = K.i32(0xFFFF);
        Value gtBefore = K.add(base[0], K.andi(exclusive, mask));
        Value eqBefore = K.add(
            base[1], arith::ShRUIOp::create(K.b, exclusive, K.i32(16)));
        Value eqTaken = K.cmpi(arith::CmpIPredicate::slt, eqBefore, need);
        Value selected = K.ori(gt, K.andi(eq, eqTaken));
        Value position =
            K.add(gtBefore, arith::MinSIOp::create(K.b, eqBefore, need));
        K.ifThen(selected, [&] {
          Value pos = arith::IndexCastOp::create(K.b, K.b.getIndexType(),
                                                 position);
          Value asI32 = arith::IndexCastOp::create(K.b, K.b.getI32Type(), i);
          K.store(asI32, idxOut, pos);
          Value value;
          switch (op.getMode()) {
          case KwtaMode::value:
            value = K.load(u, i);
            break;
          case KwtaMode::binary:
            value = K.f32(binary);
            break;
          case KwtaMode::softmax:
            value = K.div(K.load(u, i), K.f32(tau));
            break;
          }
          K.store(value, valOut, pos);
        });
        if (updateDuty) {
          K.ifThen(K.andi(inside, K.cmpf(arith::CmpFPredicate::UNE, p,
                                         K.f32(0.0f))),
                   [&] {
                     Value old = K.load(duty, i);
                     Value hit = K.select(selected, K.f32(1.0f), K.f32(0.0f));
                     K.storeState(K.add(old, K.div(K.sub(hit, old), dutyT)), duty,
                             i);
                   });
        }
        return {K.add(base[0], K.andi(chunkTotal, mask)),
                K.add(base[1],
                      arith::ShRUIOp::create(K.b, chunkTotal, K.i32(16)))};
      });

  if (op.getMode() == KwtaMode::softmax) {
    // The winners' values were written as u / tau by other invocations.
    K.barrier();
    auto [m, total] = softmaxStats(K, valOut, k);
    K.barrier();
    K.strided(k, {}, [&](Value j, ValueRange) -> SmallVector<Value> {
      K.store(K.div(K.exp(K.sub(K.load(valOut, j), m)), total), valOut, j);
      return {};
    });
  }
  return success();
}
