//===- AnimaFusedOps.cpp - ops produced by the fusion passes --------------===//

#include "anima/Dialect/AnimaOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::anima;

/// Length of a static 1-d tensor (the ODS constraints have been checked).
static int64_t lengthOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getDimSize(0);
}

/// Checks the rates shared by the update ops.
static LogicalResult verifyRates(Operation *op, float eta, float lambda,
                                 float rowNorm) {
  if (!(eta >= 0.0f) || !std::isfinite(eta))
    return op->emitOpError() << "learning rate eta must be finite and "
                             << "non-negative, got " << eta;
  if (!(lambda >= 0.0f && lambda <= 1.0f))
    return op->emitOpError() << "weight decay lambda must be in [0, 1], got "
                             << lambda;
  if (!(rowNorm >= 0.0f) || !std::isfinite(rowNorm))
    return op->emitOpError() << "row_norm must be finite and non-negative, got "
                             << rowNorm;
  return success();
}

//===----------------------------------------------------------------------===//
// FusedPlasticStepOp
//===----------------------------------------------------------------------===//

bool FusedPlasticStepOp::hasIdentityPostFn() {
  Block &body = getPostFn().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  return body.getNumArguments() == 1 &&
         yield.getValue() == body.getArgument(0);
}

LogicalResult FusedPlasticStepOp::verify() {
  auto weights = cast<RankedTensorType>(getWeights().getType());
  int64_t n = weights.getDimSize(0), d = weights.getDimSize(1);
  int64_t k = lengthOf(getIndices());
  Rule rule = getRule();
  if (rule == Rule::softmax_delta)
    return emitOpError("rule 'softmax_delta' normalizes over all active rows "
                       "and cannot be fused row by row");
  if (k > n)
    return emitOpError() << "number of active rows k = " << k
                         << " exceeds the " << n << " available";
  if (lengthOf(getInput()) != d || lengthOf(getPre()) != d)
    return emitOpError() << "input and pre must have " << d << " entries";
  if (lengthOf(getDots()) != k)
    return emitOpError() << "dots must have one entry per active row (" << k
                         << ")";
  bool needsTarget = rule == Rule::delta;
  if (needsTarget != static_cast<bool>(getTarget()))
    return emitOpError() << "rule '" << stringifyRule(rule) << "' "
                         << (needsTarget ? "needs" : "takes no")
                         << " target operand";
  if (getTarget() && lengthOf(getTarget()) != k)
    return emitOpError() << "target must have one entry per active row (" << k
                         << ")";
  return verifyRates(*this, getEta().convertToFloat(),
                     getLambda().convertToFloat(),
                     getRowNorm().convertToFloat());
}

LogicalResult FusedPlasticStepOp::verifyRegions() {
  Block &body = getPostFn().front();
  Type f32 = Float32Type::get(getContext());
  if (body.getNumArguments() != 1 || body.getArgument(0).getType() != f32)
    return emitOpError("post_fn region must take one f32 argument");
  for (Operation &op : body.without_terminator())
    if (op.getNumRegions() != 0 || !isPure(&op))
      return emitOpError("post_fn region may only hold pure scalar ops");
  return success();
}

//===----------------------------------------------------------------------===//
// FusedMemStepOp
//===----------------------------------------------------------------------===//

LogicalResult FusedMemStepOp::verify() {
  auto state = cast<RankedTensorType>(getState().getType());
  int64_t dv = state.getDimSize(0), dk = state.getDimSize(1);
  int64_t keyLength = lengthOf(getKey());
  if (getKeyIndices()) {
    if (lengthOf(getKeyIndices()) != keyLength)
      return emitOpError("sparse key values and indices differ in length");
    if (keyLength > dk)
      return emitOpError() << "sparse key has " << keyLength
                           << " entries but the memory has Dk = " << dk;
  } else if (keyLength != dk) {
    return emitOpError() << "key has " << keyLength
                         << " entries but the memory has Dk = " << dk
                         << " columns";
  }
  if (lengthOf(getValue()) != dv || lengthOf(getRead()) != dv)
    return emitOpError() << "value and read must have Dv = " << dv
                         << " entries";
  float alpha = getAlpha().convertToFloat();
  float beta = getBeta().convertToFloat();
  float gamma = getGamma().convertToFloat();
  if (!(alpha >= 0.0f && alpha <= 1.0f) || !(gamma >= 0.0f && gamma <= 1.0f) ||
      !(beta >= 0.0f) || !std::isfinite(beta))
    return emitOpError("alpha and gamma must be in [0, 1] and beta finite "
                       "and non-negative");
  return success();
}
