//===- AnimaOps.cpp - Anima dialect ops -----------------------------------===//
//
// Type inference, verifiers and folders of the anima ops. The semantics are
// the equations in AnimaOps.td; kernels/reference implements them.
//
//===----------------------------------------------------------------------===//

#include "anima/Dialect/AnimaOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"

#include <cmath>
#include <cstdint>
#include <limits>

using namespace mlir;
using namespace mlir::anima;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Returns the static length of a 1-d tensor, or -1 if `type` is not one
/// (type inference runs before the ODS type constraints are checked).
static int64_t vectorLength(Type type) {
  auto tensor = dyn_cast_if_present<RankedTensorType>(type);
  if (!tensor || tensor.getRank() != 1 || !tensor.hasStaticShape())
    return -1;
  return tensor.getDimSize(0);
}

/// Returns the static shape of a 2-d tensor, or {-1, -1}.
static std::pair<int64_t, int64_t> matrixShape(Type type) {
  auto tensor = dyn_cast_if_present<RankedTensorType>(type);
  if (!tensor || tensor.getRank() != 2 || !tensor.hasStaticShape())
    return {-1, -1};
  return {tensor.getDimSize(0), tensor.getDimSize(1)};
}

static RankedTensorType vectorType(MLIRContext *ctx, int64_t n, Type elt) {
  return RankedTensorType::get({n}, elt);
}

/// When `indices` is a constant, checks that every entry lies in [0, bound)
/// and that entries are strictly ascending, as every active set must be.
static LogicalResult verifyConstantIndices(Operation *op, Value indices,
                                           int64_t bound, StringRef what) {
  DenseIntElementsAttr attr;
  if (!indices || !matchPattern(indices, m_Constant(&attr)))
    return success();
  int64_t previous = -1;
  for (const APInt &raw : attr.getValues<APInt>()) {
    int64_t index = raw.getSExtValue();
    if (index < 0 || index >= bound)
      return op->emitOpError() << what << " index " << index
                               << " is out of range [0, " << bound << ")";
    if (index <= previous)
      return op->emitOpError()
             << what << " indices must be strictly ascending, but " << index
             << " follows " << previous;
    previous = index;
  }
  return success();
}

/// Checks that an active set of `k` entries fits in `n` units.
static LogicalResult verifyActiveCount(Operation *op, int64_t k, int64_t n,
                                       StringRef what) {
  if (k > n)
    return op->emitOpError() << "number of active " << what << " k = " << k
                             << " exceeds the " << n << " available";
  return success();
}

static bool isFinite(APFloat value) { return value.isFinite(); }

//===----------------------------------------------------------------------===//
// KwtaOp
//===----------------------------------------------------------------------===//

LogicalResult KwtaOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  KwtaOp::Adaptor adaptor(operands, attributes, properties, regions);
  IntegerAttr kAttr = adaptor.getKAttr();
  if (!kAttr)
    return emitOptionalError(location, "'anima.kwta' op requires attribute 'k'");
  int64_t k = kAttr.getInt();
  if (k < 1)
    return emitOptionalError(location, "'anima.kwta' op k must be positive, got ",
                             k);
  inferredReturnTypes.push_back(
      vectorType(context, k, IntegerType::get(context, 32)));
  inferredReturnTypes.push_back(
      vectorType(context, k, Float32Type::get(context)));
  if (adaptor.getDuty())
    inferredReturnTypes.push_back(adaptor.getDuty().getType());
  return success();
}

LogicalResult KwtaOp::verify() {
  int64_t n = vectorLength(getInput().getType());
  int64_t k = getKAttr().getInt();
  if (k < 1)
    return emitOpError() << "k must be positive, got " << k;
  if (k > n)
    return emitOpError() << "k = " << k << " exceeds the number of units N = "
                         << n;
  if (n > std::numeric_limits<int32_t>::max())
    return emitOpError() << "N = " << n
                         << " units exceed what i32 indices can address";
  if (!isFinite(getBetaAttr().getValue()) ||
      !isFinite(getTauAttr().getValue()) ||
      !isFinite(getPeriodAttr().getValue()))
    return emitOpError("beta, tau and period must be finite");
  if (getMode() == KwtaMode::softmax && getTau().convertToFloat() <= 0.0f)
    return emitOpError() << "softmax temperature tau must be positive, got "
                         << getTau().convertToFloat();
  float period = getPeriod().convertToFloat();
  if (!getDuty()) {
    if (getBeta().convertToFloat() != 0.0f)
      return emitOpError() << "boosting (beta = " << getBeta().convertToFloat()
                           << ") needs the duty-cycle operand";
    if (period != 0.0f)
      return emitOpError("period is set but there are no duty cycles");
    return success();
  }
  if (getDuty().getType() != getInput().getType())
    return emitOpError() << "duty cycles must have the input's type "
                         << getInput().getType() << ", got "
                         << getDuty().getType();
  if (period < 1.0f)
    return emitOpError() << "duty-cycle period must be >= 1, got " << period;
  return success();
}

LogicalResult KwtaOp::fold(FoldAdaptor adaptor,
                           SmallVectorImpl<OpFoldResult> &results) {
  // With k = N and no duty cycles every unit wins: the indices are 0..N-1.
  // Not for huge N: the constant would take gigabytes to build (and i32
  // indices cannot count past 2^31).
  constexpr int64_t kMaxFoldedUnits = int64_t(1) << 20;
  int64_t n = vectorLength(getInput().getType());
  if (getDuty() || getKAttr().getInt() != n || getMode() == KwtaMode::softmax ||
      n > kMaxFoldedUnits)
    return failure();
  Builder b(getContext());
  SmallVector<int32_t> iota(n);
  for (int64_t i = 0; i < n; ++i)
    iota[i] = static_cast<int32_t>(i);
  results.push_back(DenseIntElementsAttr::get(
      cast<RankedTensorType>(getIndices().getType()), ArrayRef(iota)));
  if (getMode() == KwtaMode::value) {
    results.push_back(getInput());
  } else {
    float value = 1.0f / std::sqrt(static_cast<float>(n));
    results.push_back(DenseElementsAttr::get(
        cast<RankedTensorType>(getValues().getType()), value));
  }
  return success();
}

//===----------------------------------------------------------------------===//
// GatherMatvecOp
//===----------------------------------------------------------------------===//

LogicalResult GatherMatvecOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  GatherMatvecOp::Adaptor adaptor(operands, attributes, properties, regions);
  int64_t k = vectorLength(adaptor.getIndices().getType());
  if (k < 0)
    return emitOptionalError(location, "'anima.gather_matvec' op indices must "
                                       "be a statically shaped 1-d tensor");
  inferredReturnTypes.push_back(
      vectorType(context, k, Float32Type::get(context)));
  return success();
}

LogicalResult GatherMatvecOp::verify() {
  auto [n, d] = matrixShape(getWeights().getType());
  int64_t k = vectorLength(getIndices().getType());
  int64_t inputLength = vectorLength(getInput().getType());
  if (inputLength != d)
    return emitOpError() << "input has " << inputLength
                         << " entries but the weight rows have " << d;
  if (failed(verifyActiveCount(*this, k, n, "rows")))
    return failure();
  return verifyConstantIndices(*this, getIndices(), n, "row");
}

//===----------------------------------------------------------------------===//
// SparseMatvecOp
//===----------------------------------------------------------------------===//

LogicalResult SparseMatvecOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  SparseMatvecOp::Adaptor adaptor(operands, attributes, properties, regions);
  int64_t d = matrixShape(adaptor.getWeights().getType()).second;
  if (d < 0)
    return emitOptionalError(location, "'anima.sparse_matvec' op weights must "
                                       "be a statically shaped 2-d tensor");
  inferredReturnTypes.push_back(
      vectorType(context, d, Float32Type::get(context)));
  return success();
}

LogicalResult SparseMatvecOp::verify() {
  int64_t n = matrixShape(getWeights().getType()).first;
  int64_t k = vectorLength(getIndices().getType());
  int64_t numValues = vectorLength(getValues().getType());
  if (numValues != k)
    return emitOpError() << "values have " << numValues << " entries but there "
                         << "are " << k << " indices";
  if (failed(verifyActiveCount(*this, k, n, "rows")))
    return failure();
  return verifyConstantIndices(*this, getIndices(), n, "row");
}

//===----------------------------------------------------------------------===//
// MemReadOp
//===----------------------------------------------------------------------===//

LogicalResult MemReadOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> location, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  MemReadOp::Adaptor adaptor(operands, attributes, properties, regions);
  int64_t dv = matrixShape(adaptor.getState().getType()).first;
  if (dv < 0)
    return emitOptionalError(location, "'anima.mem_read' op state must be a "
                                       "statically shaped 2-d tensor");
  inferredReturnTypes.push_back(
      vectorType(context, dv, Float32Type::get(context)));
  return success();
}

/// Verifies a dense or sparse key/query of a memory with `dk` columns.
static LogicalResult verifyKey(Operation *op, Value key, Value indices,
                               int64_t dk, StringRef what) {
  int64_t length = vectorLength(key.getType());
  if (!indices) {
    if (length != dk)
      return op->emitOpError() << what << " has " << length
                               << " entries but the memory has Dk = " << dk
                               << " columns";
    return success();
  }
  int64_t k = vectorLength(indices.getType());
  if (length != k)
    return op->emitOpError() << "sparse " << what << " has " << length
                             << " values but " << k << " indices";
  if (failed(verifyActiveCount(op, k, dk, "columns")))
    return failure();
  return verifyConstantIndices(op, indices, dk, "column");
}

LogicalResult MemReadOp::verify() {
  int64_t dk = matrixShape(getState().getType()).second;
  return verifyKey(*this, getQuery(), getQueryIndices(), dk, "query");
}

//===----------------------------------------------------------------------===//
// MemWriteOp
//===----------------------------------------------------------------------===//

LogicalResult MemWriteOp::verify() {
  auto [dv, dk] = matrixShape(getState().getType());
  if (failed(verifyKey(*this, getKey(), getKeyIndices(), dk, "key")))
    return failure();
  int64_t valueLength = vectorLength(getValue().getType());
  if (valueLength != dv)
    return emitOpError() << "value has " << valueLength
                         << " entries but the memory has Dv = " << dv
                         << " rows";
  float alpha = getAlpha().convertToFloat();
  float beta = getBeta().convertToFloat();
  float gamma = getGamma().convertToFloat();
  if (!(alpha >= 0.0f && alpha <= 1.0f))
    return emitOpError() << "decay alpha must be in [0, 1], got " << alpha;
  if (!(beta >= 0.0f) || !std::isfinite(beta))
    return emitOpError() << "write strength beta must be finite and "
                         << "non-negative, got " << beta;
  if (!(gamma >= 0.0f && gamma <= 1.0f))
    return emitOpError() << "retrieval factor gamma must be in [0, 1], got "
                         << gamma;
  return success();
}

OpFoldResult MemWriteOp::fold(FoldAdaptor adaptor) {
  // alpha = 1 and beta = 0: nothing decays and nothing is written.
  if (getAlpha().convertToFloat() == 1.0f && getBeta().convertToFloat() == 0.0f)
    return getState();
  return {};
}

//===----------------------------------------------------------------------===//
// PlasticUpdateOp
//===----------------------------------------------------------------------===//

bool PlasticUpdateOp::ruleNeedsTarget() {
  return getRule() == Rule::delta || getRule() == Rule::softmax_delta;
}

int64_t PlasticUpdateOp::getNumUpdatedRows() {
  if (getIndices())
    return vectorLength(getIndices().getType());
  return matrixShape(getWeights().getType()).first;
}

/// Whether a rule's decay term is per output unit (so rows must be post).
static bool ruleNeedsPostMajor(Rule rule) {
  return rule == Rule::oja || rule == Rule::instar;
}

LogicalResult PlasticUpdateOp::verify() {
  auto [n, d] = matrixShape(getWeights().getType());
  StringRef rule = stringifyRule(getRule());
  if (ruleNeedsTarget() && !getTarget())
    return emitOpError() << "rule '" << rule << "' needs a target operand";
  if (!ruleNeedsTarget() && getTarget())
    return emitOpError() << "rule '" << rule << "' takes no target operand";
  if (getPreMajor() && ruleNeedsPostMajor(getRule()))
    return emitOpError() << "rule '" << rule
                         << "' decays per output unit and needs post-major "
                            "rows; drop 'pre_major'";

  int64_t rows = getNumUpdatedRows();
  if (getIndices()) {
    if (failed(verifyActiveCount(*this, rows, n, "rows")) ||
        failed(verifyConstantIndices(*this, getIndices(), n, "row")))
      return failure();
  }
  // Post-major: post and target have one entry per updated row, pre has D.
  // Pre-major: pre has one entry per updated row, post and target have D.
  bool preMajor = getPreMajor();
  auto expectLength = [&](Value operand, StringRef name,
                          bool perUpdatedRow) -> LogicalResult {
    int64_t expected = perUpdatedRow ? rows : d;
    int64_t length = vectorLength(operand.getType());
    if (length == expected)
      return success();
    return emitOpError() << name << " has " << length << " entries, expected "
                         << expected
                         << (perUpdatedRow ? " (one per updated row)"
                                           : " (one per weight column)");
  };
  if (failed(expectLength(getPost(), "post", !preMajor)) ||
      failed(expectLength(getPre(), "pre", preMajor)))
    return failure();
  if (getTarget() && failed(expectLength(getTarget(), "target", !preMajor)))
    return failure();

  float eta = getEta().convertToFloat();
  float lambda = getLambda().convertToFloat();
  float rowNorm = getRowNorm().convertToFloat();
  if (!(eta >= 0.0f) || !std::isfinite(eta))
    return emitOpError() << "learning rate eta must be finite and "
                         << "non-negative, got " << eta;
  if (!(lambda >= 0.0f && lambda <= 1.0f))
    return emitOpError() << "weight decay lambda must be in [0, 1], got "
                         << lambda;
  if (!(rowNorm >= 0.0f) || !std::isfinite(rowNorm))
    return emitOpError() << "row_norm must be finite and non-negative, got "
                         << rowNorm;
  return success();
}

/// Whether `value` is a constant whose every element is zero.
static bool isConstantZero(Value value) {
  DenseElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return false;
  return llvm::all_of(attr.getValues<APFloat>(),
                      [](const APFloat &v) { return v.isZero(); });
}

OpFoldResult PlasticUpdateOp::fold(FoldAdaptor adaptor) {
  // Without weight decay or renormalization, a zero learning rate (or a
  // constant zero modulator) leaves the weights unchanged.
  if (getLambda().convertToFloat() != 0.0f ||
      getRowNorm().convertToFloat() != 0.0f)
    return {};
  if (getEta().convertToFloat() == 0.0f || isConstantZero(getModulator()))
    return getWeights();
  return {};
}

#define GET_OP_CLASSES
#include "anima/Dialect/AnimaOps.cpp.inc"
