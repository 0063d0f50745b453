//===- FuseMemoryStep.cpp - mem_read + mem_write fusion -------------------===//

#include "anima/Dialect/AnimaOps.h"
#include "anima/Transforms/Passes.h"

#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::anima {
#define GEN_PASS_DEF_ANIMAFUSEMEMORYSTEPPASS
#include "anima/Transforms/Passes.h.inc"
} // namespace mlir::anima

using namespace mlir;
using namespace mlir::anima;

namespace {

struct FuseMemoryStep : OpRewritePattern<MemWriteOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MemWriteOp write,
                                PatternRewriter &rewriter) const override {
    MemReadOp read;
    for (Operation *user : write.getState().getUsers()) {
      auto candidate = dyn_cast<MemReadOp>(user);
      if (candidate && candidate.getQuery() == write.getKey() &&
          candidate.getQueryIndices() == write.getKeyIndices() &&
          candidate->getBlock() == write->getBlock()) {
        read = candidate;
        break;
      }
    }
    if (!read)
      return rewriter.notifyMatchFailure(write, "no read with the same key");
    // The fused op goes where the earlier of the two was.
    Operation *first = read->isBeforeInBlock(write) ? read.getOperation()
                                                    : write.getOperation();
    DominanceInfo dominance(write->getParentOp());
    if (!dominance.properlyDominates(write.getValue(), first))
      return rewriter.notifyMatchFailure(write,
                                         "the value is defined after the read");
    rewriter.setInsertionPoint(first);
    auto fused = FusedMemStepOp::create(
        rewriter, write.getLoc(), read.getResult().getType(),
        write.getState().getType(), write.getState(), write.getKey(),
        write.getValue(), write.getKeyIndices(), write.getAlphaAttr(),
        write.getBetaAttr(), write.getGammaAttr(), write.getDecayOrderAttr(),
        write.getNormalizeKeyAttr());
    rewriter.replaceOp(read, fused.getRead());
    rewriter.replaceOp(write, fused.getNewState());
    return success();
  }
};

struct AnimaFuseMemoryStepPass
    : anima::impl::AnimaFuseMemoryStepPassBase<AnimaFuseMemoryStepPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateFuseMemoryStepPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace

void mlir::anima::populateFuseMemoryStepPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseMemoryStep>(patterns.getContext());
}
