//===- MaterializeConstants.cpp - constants and elementwise ops for GPUs --===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::anima {
#define GEN_PASS_DEF_ANIMAMATERIALIZECONSTANTSPASS
#define GEN_PASS_DEF_ANIMAFUSEELEMENTWISEPASS
#include "anima/Transforms/Passes.h.inc"
} // namespace mlir::anima

using namespace mlir;

namespace {

/// Returns (a, b) when the 1-D constant is v[i] = a + b i exactly.
template <typename T>
std::optional<std::pair<T, T>> arithmeticSequence(ArrayRef<T> values) {
  if (values.size() < 2)
    return std::nullopt;
  T a = values[0], b = values[1] - values[0];
  for (size_t i = 0; i < values.size(); ++i)
    if (values[i] != a + b * static_cast<T>(i))
      return std::nullopt;
  return std::make_pair(a, b);
}

/// Replaces `op` by ops computing it (splat or 1-D arithmetic sequence).
LogicalResult materialize(arith::ConstantOp op, RewriterBase &rewriter) {
  {
    auto type = dyn_cast<RankedTensorType>(op.getType());
    auto dense = dyn_cast<DenseElementsAttr>(op.getValue());
    if (!type || !type.hasStaticShape() || !dense || type.getNumElements() < 1)
      return failure();
    Location loc = op.getLoc();
    Type element = type.getElementType();
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                          element);
    if (dense.isSplat()) {
      Value scalar = arith::ConstantOp::create(
          rewriter, loc, cast<TypedAttr>(dense.getSplatValue<Attribute>()));
      rewriter.replaceOpWithNewOp<linalg::FillOp>(op, scalar, empty);
      return success();
    }
    if (type.getRank() != 1)
      return failure();
    // v[i] = a + b i, computed from the iteration index.
    Value a, b;
    if (element.isInteger(32)) {
      SmallVector<int64_t> values;
      for (APInt v : dense.getValues<APInt>())
        values.push_back(v.getSExtValue());
      auto seq = arithmeticSequence<int64_t>(values);
      if (!seq)
        return failure();
      a = arith::ConstantOp::create(rewriter, loc,
                                    rewriter.getI32IntegerAttr(seq->first));
      b = arith::ConstantOp::create(rewriter, loc,
                                    rewriter.getI32IntegerAttr(seq->second));
    } else if (element.isF32()) {
      SmallVector<float> values;
      for (APFloat v : dense.getValues<APFloat>())
        values.push_back(v.convertToFloat());
      auto seq = arithmeticSequence<float>(values);
      if (!seq)
        return failure();
      a = arith::ConstantOp::create(rewriter, loc,
                                    rewriter.getF32FloatAttr(seq->first));
      b = arith::ConstantOp::create(rewriter, loc,
                                    rewriter.getF32FloatAttr(seq->second));
    } else {
      return failure();
    }
    AffineMap identity = rewriter.getMultiDimIdentityMap(1);
    rewriter.replaceOpWithNewOp<linalg::GenericOp>(
        op, TypeRange{type}, ValueRange{}, ValueRange{empty},
        ArrayRef<AffineMap>{identity},
        ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
        [&](OpBuilder &nb, Location nloc, ValueRange) {
          Value i = linalg::IndexOp::create(nb, nloc, 0);
          Value v;
          if (element.isF32()) {
            Value i32 =
                arith::IndexCastOp::create(nb, nloc, nb.getI32Type(), i);
            Value f = arith::SIToFPOp::create(nb, nloc, nb.getF32Type(), i32);
            v = arith::AddFOp::create(nb, nloc, a,
                                      arith::MulFOp::create(nb, nloc, b, f));
          } else {
            Value i32 =
                arith::IndexCastOp::create(nb, nloc, nb.getI32Type(), i);
            v = arith::AddIOp::create(nb, nloc, a,
                                      arith::MulIOp::create(nb, nloc, b, i32));
          }
          linalg::YieldOp::create(nb, nloc, v);
        });
    return success();
  }
}

struct AnimaMaterializeConstantsPass
    : anima::impl::AnimaMaterializeConstantsPassBase<
          AnimaMaterializeConstantsPass> {
  void runOnOperation() override {
    // One sweep, no greedy driver: it would fold the new ops back into
    // constants.
    SmallVector<arith::ConstantOp> constants;
    getOperation()->walk([&](arith::ConstantOp op) {
      if (isa<RankedTensorType>(op.getType()))
        constants.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (arith::ConstantOp op : constants) {
      rewriter.setInsertionPoint(op);
      (void)materialize(op, rewriter);
    }
  }
};

struct AnimaFuseElementwisePass
    : anima::impl::AnimaFuseElementwisePassBase<AnimaFuseElementwisePass> {
  using Base::Base;

  void runOnOperation() override {
    int64_t limit = maxOperands;
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [limit](OpOperand *fused) {
          Operation *producer = fused->get().getDefiningOp();
          Operation *consumer = fused->getOwner();
          if (!producer || !producer->hasOneUse())
            return false;
          // The fused op takes the producer's and the consumer's operands,
          // less the fused one.
          int64_t operands = int64_t(producer->getNumOperands()) +
                             int64_t(consumer->getNumOperands()) - 1;
          return operands <= limit;
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
