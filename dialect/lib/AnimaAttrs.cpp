//===- AnimaAttrs.cpp - Anima enums and attributes ------------------------===//

#include "anima/Dialect/AnimaAttrs.h"
#include "anima/Dialect/AnimaDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::anima;

#include "anima/Dialect/AnimaEnums.cpp.inc"

FailureOr<APFloat> mlir::anima::detail::parseFloatParam(AsmParser &parser) {
  // Parse directly in f32 semantics: a hexadecimal literal is then the bit
  // pattern of an f32 (as for `: f32` attributes), not of an f64, and a
  // decimal literal is rounded once.
  APFloat value(APFloat::IEEEsingle());
  if (parser.parseFloat(APFloat::IEEEsingle(), value))
    return failure();
  return value;
}

#define GET_ATTRDEF_CLASSES
#include "anima/Dialect/AnimaAttrs.cpp.inc"

void AnimaDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "anima/Dialect/AnimaAttrs.cpp.inc"
      >();
}

LogicalResult
RandomNormalAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                         uint64_t seed, APFloat mean, APFloat stddev) {
  if (!mean.isFinite() || !stddev.isFinite())
    return emitError() << "random_normal mean and stddev must be finite";
  if (stddev.isNegative() && !stddev.isZero())
    return emitError() << "random_normal stddev must be non-negative, got "
                       << stddev.convertToFloat();
  return success();
}

LogicalResult
RandomUniformAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                          uint64_t seed, APFloat low, APFloat high) {
  if (!low.isFinite() || !high.isFinite())
    return emitError() << "random_uniform bounds must be finite";
  if (low.compare(high) != APFloat::cmpLessThan)
    return emitError() << "random_uniform needs low < high, got ["
                       << low.convertToFloat() << ", " << high.convertToFloat()
                       << ")";
  return success();
}
