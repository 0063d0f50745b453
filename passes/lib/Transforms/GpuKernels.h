//===- GpuKernels.h - GPU kernels of the anima ops --------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// When a module is bufferized for a GPU target (anima-bufferize{gpu=true}),
// every anima op becomes a `gpu.launch` whose body is a kernel designed for
// GPUs and specialized to the op's static shapes and attributes:
//
//   row kernels   (gather_matvec, mem_read, mem_write, fused_mem_step,
//                  plastic_update, fused_plastic_step, matvec): one workgroup
//                  per active row; its invocations stride over the row's
//                  columns, and dot products are reduced with subgroup
//                  reductions (gpu.subgroup_reduce -> OpGroupNonUniformFAdd)
//                  whose per-subgroup partials meet in workgroup memory. A
//                  thread only ever writes the columns it read, so a row is
//                  read and written once, by the same invocation.
//   column kernel (sparse_matvec): one invocation per output column, looping
//                  over the k active rows (coalesced row reads).
//   kwta          one workgroup: a 32-step bitwise search for the k-th
//                  largest order-preserving key (a workgroup count per step),
//                  then one compaction sweep with a workgroup prefix sum that
//                  writes the winners in ascending index order, their values
//                  and the duty cycles. No host round trip inside a step.
//
// Learning reads the plasticity p of the step from the context buffer
// (memref.global @__anima_context, bound by the runtime) and scales exactly
// as the CPU microkernels do (abi.h); p == 0 writes no state.
//
// The NaN/Inf guard, as on the CPU, is a journal: a row kernel copies the
// rows it will write (the k active rows) into a per-step buffer before it
// writes them, and a save kernel copies the whole buffer before a kernel
// that rewrites all of it (duty cycles, memories); every state store raises the context's non-finite flag if the
// value is NaN or Inf; an undo kernel per save restores the rows when the
// runtime refuses the step.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_PASSES_TRANSFORMS_GPUKERNELS_H
#define ANIMA_PASSES_TRANSFORMS_GPUKERNELS_H

#include "anima/Dialect/AnimaOps.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir::anima::gpukernels {

/// Name of the module attribute that switches bufferization to GPU kernels;
/// its value is a dictionary {workgroup_size = N : i64}.
inline constexpr llvm::StringLiteral kGpuKernelsAttrName = "anima.gpu_kernels";

/// Name of the memref.global holding the step context on the GPU
/// (f32 plasticity at element 0).
inline constexpr llvm::StringLiteral kContextGlobalName = "__anima_context";

/// Names of the kernels that journal state for the NaN/Inf guard: a save
/// kernel runs before each state-writing kernel; the undo kernels, at the
/// end of the step, are taken out of the step's commands by the Vulkan
/// target and run (newest first) only when the runtime refuses the step.
inline constexpr llvm::StringLiteral kSaveKernel = "anima_save";
inline constexpr llvm::StringLiteral kUndoKernel = "anima_undo";

/// Journals the rows `idx` (or the whole buffer) of `state` before the
/// kernel emitted next writes them.
void journalRows(RewriterBase &rewriter, Operation *anchor, Value state,
                 Value idx);
void journalWhole(RewriterBase &rewriter, Operation *anchor, Value state);

/// Returns the workgroup size the enclosing module asks for, or 0 when the
/// module is not bufferized for a GPU.
int64_t gpuWorkgroupSize(Operation *op);

/// Emits the GPU kernel of each op at the rewriter's insertion point. Buffer
/// arguments are the bufferized operands (null for an absent optional one)
/// and the output buffers the caller allocated.
LogicalResult emitKwta(RewriterBase &rewriter, KwtaOp op, Value u, Value duty,
                       Value idx, Value val);
LogicalResult emitGatherMatvec(RewriterBase &rewriter, Operation *op, Value w,
                               Value idx, Value x, Value y);
LogicalResult emitSparseMatvec(RewriterBase &rewriter, SparseMatvecOp op,
                               Value w, Value idx, Value val, Value y);
LogicalResult emitMemRead(RewriterBase &rewriter, MemReadOp op, Value s,
                          Value q, Value qidx, Value o);
/// mem_write (o == null) or fused_mem_step (o = the read before the write).
LogicalResult emitMemWrite(RewriterBase &rewriter, Operation *op, Value s,
                           Value key, Value kidx, Value v, float alpha,
                           float beta, float gamma, bool readFirst,
                           bool normalizeKey, Value o);
LogicalResult emitPlasticUpdate(RewriterBase &rewriter, PlasticUpdateOp op,
                                Value w, Value idx, Value post, Value pre,
                                Value target, Value modulator);
LogicalResult emitFusedPlasticStep(RewriterBase &rewriter,
                                   FusedPlasticStepOp op, Value w, Value idx,
                                   Value x, Value pre, Value target,
                                   Value modulator, Value dots);
/// y += W x (linalg.matvec on buffers).
LogicalResult emitMatvecAcc(RewriterBase &rewriter, Operation *op, Value w,
                            Value x, Value y);

} // namespace mlir::anima::gpukernels

#endif // ANIMA_PASSES_TRANSFORMS_GPUKERNELS_H
