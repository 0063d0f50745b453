//===- FusePlasticStep.cpp - gather_matvec + plastic_update fusion --------===//

#include "anima/Dialect/AnimaOps.h"
#include "anima/Transforms/Passes.h"

#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::anima {
#define GEN_PASS_DEF_ANIMAFUSEPLASTICSTEPPASS
#include "anima/Transforms/Passes.h.inc"
} // namespace mlir::anima

using namespace mlir;
using namespace mlir::anima;

namespace {

/// Whether `op` is an elementwise op on tensors that can run per element.
bool isElementwise(Operation *op) {
  return op->hasTrait<OpTrait::Elementwise>() && isPure(op) &&
         op->getNumResults() == 1 && op->getNumRegions() == 0;
}

/// Whether `value` is a splat constant; returns its scalar attribute.
TypedAttr splatValue(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat())
    return {};
  return dyn_cast<TypedAttr>(attr.getSplatValue<Attribute>());
}

/// Collects the chain of elementwise ops from `dots` to `post`, in order.
/// Fails if `post` is not an elementwise function of `dots` and splats.
LogicalResult collectChain(Value post, Value dots,
                           SmallVectorImpl<Operation *> &chain) {
  if (post == dots)
    return success();
  Operation *def = post.getDefiningOp();
  if (!def || !isElementwise(def))
    return failure();
  for (Value operand : def->getOperands()) {
    if (splatValue(operand))
      continue;
    if (failed(collectChain(operand, dots, chain)))
      return failure();
  }
  if (!llvm::is_contained(chain, def))
    chain.push_back(def);
  return success();
}

/// Builds the scalar body of the fused op's region from the tensor chain.
void buildPostFn(PatternRewriter &rewriter, Location loc, Region &region,
                 Value dots, Value post, ArrayRef<Operation *> chain) {
  Type f32 = rewriter.getF32Type();
  Block *block = rewriter.createBlock(&region, region.end(), {f32}, {loc});
  IRMapping map;
  map.map(dots, block->getArgument(0));
  for (Operation *op : chain) {
    SmallVector<Value> operands;
    for (Value operand : op->getOperands()) {
      if (TypedAttr scalar = splatValue(operand)) {
        operands.push_back(arith::ConstantOp::create(rewriter, loc, scalar));
        continue;
      }
      operands.push_back(map.lookup(operand));
    }
    OperationState state(op->getLoc(), op->getName());
    state.addOperands(operands);
    state.addTypes(getElementTypeOrSelf(op->getResult(0).getType()));
    state.addAttributes(op->getAttrs());
    Operation *scalarOp = rewriter.create(state);
    map.map(op->getResult(0), scalarOp->getResult(0));
  }
  YieldOp::create(rewriter, loc, map.lookup(post));
}

struct FusePlasticStep : OpRewritePattern<PlasticUpdateOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PlasticUpdateOp update,
                                PatternRewriter &rewriter) const override {
    if (update.getPreMajor())
      return rewriter.notifyMatchFailure(update, "pre-major rows");
    if (!update.getIndices())
      return rewriter.notifyMatchFailure(update, "dense update");
    Rule rule = update.getRule();
    if (rule == Rule::softmax_delta)
      return rewriter.notifyMatchFailure(
          update, "softmax_delta needs every dot product before any update");
    // Find the gather of the same rows whose output feeds `post`.
    GatherMatvecOp gather;
    for (Operation *user : update.getWeights().getUsers()) {
      auto candidate = dyn_cast<GatherMatvecOp>(user);
      if (candidate && candidate.getIndices() == update.getIndices() &&
          candidate->getBlock() == update->getBlock() &&
          candidate->isBeforeInBlock(update)) {
        gather = candidate;
        break;
      }
    }
    if (!gather)
      return rewriter.notifyMatchFailure(update, "no gather of the same rows");
    SmallVector<Operation *> chain;
    if (failed(collectChain(update.getPost(), gather.getResult(), chain)))
      return rewriter.notifyMatchFailure(
          update, "post is not an elementwise function of the dot products");
    // The fused op replaces the gather, so the update's other operands must
    // already be available there.
    DominanceInfo dominance(update->getParentOp());
    for (Value operand : {update.getPre(), update.getTarget(),
                          update.getModulator()})
      if (operand && !dominance.properlyDominates(operand, gather))
        return rewriter.notifyMatchFailure(
            update, "an update operand is defined after the gather");

    rewriter.setInsertionPoint(gather);
    auto fused = FusedPlasticStepOp::create(
        rewriter, update.getLoc(), gather.getResult().getType(),
        update.getWeights().getType(), update.getWeights(),
        update.getIndices(), gather.getInput(), update.getPre(),
        update.getTarget(), update.getModulator(), update.getRuleAttr(),
        update.getEtaAttr(), update.getLambdaAttr(), update.getRowNormAttr());
    {
      OpBuilder::InsertionGuard guard(rewriter);
      buildPostFn(rewriter, update.getLoc(), fused.getPostFn(),
                  gather.getResult(), update.getPost(), chain);
    }
    rewriter.replaceOp(update, fused.getNewWeights());
    rewriter.replaceOp(gather, fused.getDots());
    return success();
  }
};

struct AnimaFusePlasticStepPass
    : anima::impl::AnimaFusePlasticStepPassBase<AnimaFusePlasticStepPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFusePlasticStepPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace

void mlir::anima::populateFusePlasticStepPatterns(RewritePatternSet &patterns) {
  patterns.add<FusePlasticStep>(patterns.getContext());
}
