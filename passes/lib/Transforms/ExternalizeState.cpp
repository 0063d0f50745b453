//===- ExternalizeState.cpp - state globals to entry arguments ------------===//

#include "anima/Dialect/AnimaOps.h"
#include "anima/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MLProgram/IR/MLProgram.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/TypeSwitch.h"

#include <functional>

namespace mlir::anima {
#define GEN_PASS_DEF_ANIMAEXTERNALIZESTATEPASS
#include "anima/Transforms/Passes.h.inc"
} // namespace mlir::anima

using namespace mlir;
using namespace mlir::anima;

namespace {

/// Largest tensor the runtime loads (runtime/README.md, "Limits"): 2^34
/// bytes per state tensor, input and output.
constexpr uint64_t kMaxTensorBytes = uint64_t(1) << 34;

/// Whether the static shape of `type` holds at most kMaxTensorBytes of
/// 4-byte elements, computed without overflow (MLIR's getNumElements would
/// overflow on shapes like 2^62 x 4).
bool withinTensorLimit(RankedTensorType type) {
  uint64_t bytes = 4;
  for (int64_t dim : type.getShape())
    if (dim < 0 || __builtin_mul_overflow(bytes, uint64_t(dim), &bytes) ||
        bytes > kMaxTensorBytes)
      return false;
  return true;
}

/// Emits an error at `loc` for a tensor `what` over the size limit.
InFlightDiagnostic tensorTooLarge(Location loc, const Twine &what,
                                  RankedTensorType type) {
  return emitError(loc) << what << " of type " << type
                        << " exceeds the limit of 2^34 bytes (16 GiB) per "
                           "tensor";
}

/// Bytes of one journal record holding `bytes` old bytes (abi.h).
int64_t journalRecord(int64_t bytes) { return 16 + ((bytes + 7) / 8) * 8; }

int64_t numElements(Type type) {
  return cast<RankedTensorType>(type).getNumElements();
}

/// Upper bound of the undo-journal bytes one execution of `op` writes.
int64_t journalBytesOf(Operation *op) {
  if (auto kwta = dyn_cast<KwtaOp>(op))
    return kwta.getDuty() ? journalRecord(4 * numElements(kwta.getDuty().getType()))
                          : 0;
  auto rowsBytes = [](Value weights, Value indices) -> int64_t {
    auto type = cast<RankedTensorType>(weights.getType());
    int64_t rowBytes = 4 * type.getDimSize(1);
    // One record per updated row (anima_uk_journal_bytes_rows); a dense
    // update updates every row (in one record per call, which this bounds:
    // a fused dense step calls once per tile).
    int64_t rows =
        indices ? numElements(indices.getType()) : type.getDimSize(0);
    return rows * journalRecord(rowBytes);
  };
  if (auto update = dyn_cast<PlasticUpdateOp>(op))
    return rowsBytes(update.getWeights(), update.getIndices());
  if (auto fused = dyn_cast<FusedPlasticStepOp>(op))
    return rowsBytes(fused.getWeights(), fused.getIndices());
  auto memoryBytes = [](Value state, Value indices) -> int64_t {
    auto type = cast<RankedTensorType>(state.getType());
    // Whole memory (decay or dense key), or one 4-byte record per row and
    // key column (sparse key without decay); either may happen.
    int64_t whole = journalRecord(4 * type.getNumElements());
    int64_t columns =
        indices ? numElements(indices.getType()) * type.getDimSize(0) *
                      journalRecord(4)
                : 0;
    return whole + columns;
  };
  if (auto write = dyn_cast<MemWriteOp>(op))
    return memoryBytes(write.getState(), write.getKeyIndices());
  if (auto fused = dyn_cast<FusedMemStepOp>(op))
    return memoryBytes(fused.getState(), fused.getKeyIndices());
  return 0;
}

/// If `value` is the new state produced by a journaling anima op, returns the
/// state operand it updated; otherwise null.
Value updatedStateOf(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return {};
  if (auto op = dyn_cast<PlasticUpdateOp>(def))
    return op.getWeights();
  if (auto op = dyn_cast<MemWriteOp>(def))
    return op.getState();
  if (auto op = dyn_cast<KwtaOp>(def))
    return value == op.getNewDuty() ? op.getDuty() : Value();
  if (auto op = dyn_cast<FusedPlasticStepOp>(def))
    return value == op.getNewWeights() ? op.getWeights() : Value();
  if (auto op = dyn_cast<FusedMemStepOp>(def))
    return value == op.getNewState() ? op.getState() : Value();
  return {};
}

/// Whether `final` derives from `initial` through journaling anima ops only.
bool isJournaled(Value final, Value initial) {
  Value current = final;
  while (current != initial) {
    current = updatedStateOf(current);
    if (!current)
      return false;
  }
  return true;
}

/// The index operands of an anima op and the extent each must lie in: rows
/// of the weights (gather, sparse matvec, plastic updates and the fused plastic
/// step) or columns of the memory (sparse query and key indices).
SmallVector<std::pair<Value, int64_t>> indexOperandsOf(Operation *op) {
  auto rows = [](Value matrix) {
    return cast<RankedTensorType>(matrix.getType()).getDimSize(0);
  };
  auto columns = [](Value matrix) {
    return cast<RankedTensorType>(matrix.getType()).getDimSize(1);
  };
  SmallVector<std::pair<Value, int64_t>> out;
  llvm::TypeSwitch<Operation *>(op)
      .Case<GatherMatvecOp, SparseMatvecOp, PlasticUpdateOp,
            FusedPlasticStepOp>([&](auto o) {
        out.push_back({o.getIndices(), rows(o.getWeights())});
      })
      .Case<MemReadOp>([&](MemReadOp o) {
        out.push_back({o.getQueryIndices(), columns(o.getState())});
      })
      .Case<MemWriteOp, FusedMemStepOp>([&](auto o) {
        out.push_back({o.getKeyIndices(), columns(o.getState())});
      });
  return out;
}

/// Lowers `bounds[input]` to the extents the arguments of `func` index, where
/// `inputOf[a]` is the entry input that argument `a` carries (-1: none), and
/// follows calls into private functions (recursion is rejected elsewhere;
/// `depth` bounds the walk all the same).
void collectIndexBounds(func::FuncOp func, ArrayRef<int64_t> inputOf,
                        SmallVectorImpl<int64_t> &bounds, int depth) {
  if (func.isExternal() || depth > 64)
    return;
  Block &entry = func.getBody().front();
  auto inputOfValue = [&](Value v) -> int64_t {
    auto arg = dyn_cast_or_null<BlockArgument>(v);
    if (!arg || arg.getOwner() != &entry || arg.getArgNumber() >= inputOf.size())
      return -1;
    return inputOf[arg.getArgNumber()];
  };
  func.walk([&](Operation *op) {
    for (auto [indices, extent] : indexOperandsOf(op)) {
      int64_t input = inputOfValue(indices);
      if (input < 0 || extent <= 0)
        continue;
      int64_t &bound = bounds[input];
      bound = bound == 0 ? extent : std::min(bound, extent);
    }
    if (auto call = dyn_cast<func::CallOp>(op)) {
      auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
          call, call.getCalleeAttr());
      if (!callee)
        return;
      SmallVector<int64_t> calleeInputs;
      bool any = false;
      for (Value operand : call.getOperands()) {
        calleeInputs.push_back(inputOfValue(operand));
        any |= calleeInputs.back() >= 0;
      }
      if (any)
        collectIndexBounds(callee, calleeInputs, bounds, depth + 1);
    }
  });
}

/// Per entry input, the bound its values must stay below when the input is
/// used directly as indices by anima ops, in the entry function or in a
/// function it calls with the input as an argument (the smallest extent it
/// indexes), else 0. The runtime checks these inputs before the step runs:
/// indices in [0, bound), strictly ascending, like the dialect's constant
/// indices.
SmallVector<int64_t> inputIndexBounds(func::FuncOp func) {
  SmallVector<int64_t> bounds(func.getNumArguments(), 0);
  SmallVector<int64_t> inputOf;
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    inputOf.push_back(i);
  collectIndexBounds(func, inputOf, bounds, 0);
  return bounds;
}

bool isEntryPoint(func::FuncOp func) {
  return func.isPublic() && !func.isExternal();
}

/// Returns a call that closes a cycle of the module's call graph (null if
/// there is none): a step must be a bounded computation, and compiled
/// recursion would only end when the caller's stack overflows.
func::CallOp findRecursion(ModuleOp module) {
  enum { kUnvisited = 0, kOnPath, kDone };
  llvm::DenseMap<Operation *, int> visit;
  std::function<func::CallOp(func::FuncOp)> dfs =
      [&](func::FuncOp func) -> func::CallOp {
    visit[func] = kOnPath;
    func::CallOp found;
    func.walk([&](func::CallOp call) {
      auto callee = module.lookupSymbol<func::FuncOp>(call.getCalleeAttr());
      if (!callee)
        return WalkResult::advance();
      int state = visit.lookup(callee);
      if (state == kOnPath)
        found = call;
      else if (state == kUnvisited)
        found = dfs(callee);
      return found ? WalkResult::interrupt() : WalkResult::advance();
    });
    visit[func] = kDone;
    return found;
  };
  for (func::FuncOp func : module.getOps<func::FuncOp>())
    if (visit.lookup(func) == kUnvisited)
      if (func::CallOp call = dfs(func))
        return call;
  return {};
}

struct AnimaExternalizeStatePass
    : anima::impl::AnimaExternalizeStatePassBase<AnimaExternalizeStatePass> {
  void runOnOperation() override;
  LogicalResult externalize(func::FuncOp func,
                            ArrayRef<ml_program::GlobalOp> globals,
                            SmallVectorImpl<bool> &copyGuard);
};

} // namespace

LogicalResult AnimaExternalizeStatePass::externalize(
    func::FuncOp func, ArrayRef<ml_program::GlobalOp> globals,
    SmallVectorImpl<bool> &copyGuard) {
  if (!func.getBody().hasOneBlock())
    return func.emitError("entry function '")
           << func.getSymName()
           << "' must have a single block to hold model state";
  MLIRContext *ctx = func.getContext();
  Block &body = func.getBody().front();
  // The journal bound below counts the ops of the body once each; an update
  // in a nested region (a branch, a loop body) would escape it.
  WalkResult nested = func.walk([&](Operation *op) {
    if (op->getBlock() == &body || journalBytesOf(op) == 0)
      return WalkResult::advance();
    op->emitError("anima ops that update state must be at the top level of "
                  "entry function '")
        << func.getSymName()
        << "' (the step's undo journal is sized from them); scale learning "
           "with a modulator instead of control flow";
    return WalkResult::interrupt();
  });
  if (nested.wasInterrupted())
    return failure();
  SmallVector<Type> originalInputs(func.getArgumentTypes());
  SmallVector<Type> originalOutputs(func.getResultTypes());
  SmallVector<int64_t> indexBounds = inputIndexBounds(func);

  // Arguments: context, states, then the original inputs.
  Location loc = func.getLoc();
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  SmallVector<unsigned> positions;
  SmallVector<Type> types;
  SmallVector<DictionaryAttr> attrs;
  SmallVector<Location> locs;
  positions.push_back(0);
  types.push_back(ptrType);
  attrs.push_back(DictionaryAttr::get(
      ctx, {NamedAttribute(StringAttr::get(ctx, kContextAttrName),
                           UnitAttr::get(ctx))}));
  locs.push_back(loc);
  for (ml_program::GlobalOp global : llvm::to_vector(globals)) {
    positions.push_back(0);
    types.push_back(global.getType());
    attrs.push_back(DictionaryAttr::get(
        ctx, {NamedAttribute(StringAttr::get(ctx, "anima.state"),
                             StringAttr::get(ctx, global.getSymName()))}));
    locs.push_back(global.getLoc());
  }
  if (failed(func.insertArguments(positions, types, attrs, locs)))
    return failure();

  llvm::StringMap<unsigned> indexOf;
  for (unsigned i = 0; i < globals.size(); ++i)
    indexOf[ml_program::GlobalOp(globals[i]).getSymName()] = i;
  SmallVector<Value> current;
  for (unsigned i = 0; i < globals.size(); ++i)
    current.push_back(body.getArgument(1 + i));

  int64_t journalBytes = 0;
  for (Operation &op : llvm::make_early_inc_range(body)) {
    journalBytes += journalBytesOf(&op);
    if (auto load = dyn_cast<ml_program::GlobalLoadOp>(op)) {
      load.replaceAllUsesWith(current[indexOf[load.getGlobal().getLeafReference()]]);
      load.erase();
    } else if (auto load = dyn_cast<ml_program::GlobalLoadConstOp>(op)) {
      load.replaceAllUsesWith(current[indexOf[load.getGlobal().getLeafReference()]]);
      load.erase();
    } else if (auto store = dyn_cast<ml_program::GlobalStoreOp>(op)) {
      current[indexOf[store.getGlobal().getLeafReference()]] = store.getValue();
      store.erase();
    }
  }
  // Fused ops journal inside their own bodies' microkernels; nested regions
  // of other ops hold no anima state updates (checked above).

  auto ret = cast<func::ReturnOp>(body.getTerminator());
  SmallVector<Value> results(ret.getOperands());
  for (auto [i, value] : llvm::enumerate(current)) {
    results.push_back(value);
    Value initial = body.getArgument(1 + i);
    if (value != initial && !isJournaled(value, initial))
      copyGuard[i] = true;
  }
  OpBuilder builder(ret);
  func::ReturnOp::create(builder, ret.getLoc(), results);
  ret.erase();
  SmallVector<Type> resultTypes(originalOutputs);
  for (ml_program::GlobalOp global : llvm::to_vector(globals))
    resultTypes.push_back(global.getType());
  // Result attributes (e.g. anima.name) keep their results; the state
  // results get none.
  SmallVector<DictionaryAttr> resultAttrs;
  func.getAllResultAttrs(resultAttrs);
  func.setFunctionType(
      FunctionType::get(ctx, func.getArgumentTypes(), resultTypes));
  if (!resultAttrs.empty()) {
    resultAttrs.resize(resultTypes.size(), DictionaryAttr::get(ctx));
    func.setAllResultAttrs(resultAttrs);
  }

  Builder b(ctx);
  SmallVector<Attribute> inputs, outputs;
  for (Type type : originalInputs)
    inputs.push_back(TypeAttr::get(type));
  for (Type type : originalOutputs)
    outputs.push_back(TypeAttr::get(type));
  func->setAttr(kEntryPointAttrName,
                b.getDictionaryAttr({
                    b.getNamedAttr("name", func.getSymNameAttr()),
                    b.getNamedAttr("inputs", b.getArrayAttr(inputs)),
                    b.getNamedAttr("outputs", b.getArrayAttr(outputs)),
                    b.getNamedAttr("journal_bytes",
                                   b.getI64IntegerAttr(journalBytes)),
                    b.getNamedAttr("index_bounds",
                                   b.getI64ArrayAttr(indexBounds)),
                }));
  return success();
}

void AnimaExternalizeStatePass::runOnOperation() {
  ModuleOp module = getOperation();
  MLIRContext *ctx = &getContext();
  SmallVector<ml_program::GlobalOp> globals(
      module.getOps<ml_program::GlobalOp>());
  for (ml_program::GlobalOp global : globals) {
    auto type = dyn_cast<RankedTensorType>(global.getType());
    if (!type || !type.hasStaticShape() ||
        !(type.getElementType().isF32() ||
          type.getElementType().isInteger(32))) {
      global.emitError("state '")
          << global.getSymName()
          << "' must be a statically shaped tensor of f32 or i32, got "
          << global.getType();
      return signalPassFailure();
    }
    if (!withinTensorLimit(type)) {
      tensorTooLarge(global.getLoc(), "state '" + global.getSymName() + "'",
                     type);
      return signalPassFailure();
    }
  }

  // Every other static tensor too (inputs, outputs, per-step temporaries):
  // later passes compute their sizes and must not overflow.
  WalkResult huge = module.walk([&](Operation *op) {
    auto check = [&](Type type) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      return !tensor || !tensor.hasStaticShape() || withinTensorLimit(tensor);
    };
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          if (!check(arg.getType())) {
            tensorTooLarge(arg.getLoc(), "argument",
                           cast<RankedTensorType>(arg.getType()));
            return WalkResult::interrupt();
          }
    for (Type type : op->getResultTypes())
      if (!check(type)) {
        tensorTooLarge(op->getLoc(), "a value",
                       cast<RankedTensorType>(type));
        return WalkResult::interrupt();
      }
    if (auto func = dyn_cast<func::FuncOp>(op))
      for (Type type : func.getResultTypes())
        if (!check(type)) {
          tensorTooLarge(func.getLoc(),
                         "a result of '" + func.getSymName() + "'",
                         cast<RankedTensorType>(type));
          return WalkResult::interrupt();
        }
    return WalkResult::advance();
  });
  if (huge.wasInterrupted())
    return signalPassFailure();

  // State may only be touched at the top level of entry functions.
  WalkResult walk = module.walk([&](Operation *op) {
    if (!isa<ml_program::GlobalLoadOp, ml_program::GlobalLoadConstOp,
             ml_program::GlobalStoreOp>(op))
      return WalkResult::advance();
    auto func = dyn_cast<func::FuncOp>(op->getParentOp());
    if (!func || !isEntryPoint(func)) {
      op->emitError("model state can only be loaded and stored at the top "
                    "level of a public entry function");
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return signalPassFailure();

  // Entry functions get the runtime's signature: nothing may call them.
  WalkResult calls = module.walk([&](func::CallOp call) {
    auto callee = module.lookupSymbol<func::FuncOp>(call.getCalleeAttr());
    if (!callee || !isEntryPoint(callee))
      return WalkResult::advance();
    call.emitError("entry function '")
        << callee.getSymName()
        << "' cannot be called (its signature becomes the runtime's ABI); "
           "call a private function holding the shared code instead";
    return WalkResult::interrupt();
  });
  if (calls.wasInterrupted())
    return signalPassFailure();
  if (func::CallOp call = findRecursion(module)) {
    call.emitError("recursive call of '")
        << call.getCallee()
        << "': a step must be a bounded computation (recursion is not "
           "supported)";
    return signalPassFailure();
  }

  SmallVector<bool> copyGuard(globals.size(), false);
  for (func::FuncOp func :
       llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
    if (!isEntryPoint(func))
      continue;
    if (failed(externalize(func, globals, copyGuard)))
      return signalPassFailure();
  }

  Builder b(ctx);
  SmallVector<Attribute> states;
  for (auto [i, global] : llvm::enumerate(globals)) {
    SmallVector<NamedAttribute> fields = {
        b.getNamedAttr("name", global.getSymNameAttr()),
        b.getNamedAttr("type", TypeAttr::get(global.getType())),
        b.getNamedAttr("guard",
                       b.getStringAttr(copyGuard[i] ? "copy" : "journal")),
        b.getNamedAttr("mutable", b.getBoolAttr(global.getIsMutable())),
    };
    if (std::optional<Attribute> value = global.getValue())
      fields.push_back(b.getNamedAttr("init", *value));
    states.push_back(b.getDictionaryAttr(fields));
    global.erase();
  }
  module->setAttr(kStatesAttrName, b.getArrayAttr(states));
}
