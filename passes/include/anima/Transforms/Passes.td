//===- Passes.td - Anima transformation passes -------------*- tablegen -*-===//

#ifndef ANIMA_TRANSFORMS_PASSES_TD
#define ANIMA_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AnimaExternalizeStatePass : Pass<"anima-externalize-state", "::mlir::ModuleOp"> {
  let summary = "Turn ml_program state globals into entry-point arguments";
  let description = [{
    Every public `func.func` with a body is an entry point. The pass rewrites
    each into the ABI form the runtime calls: a leading step-context argument
    (`!llvm.ptr`, marked `anima.context`), one tensor argument per state
    global (in declaration order), the original inputs, and results: the
    original results followed by the final value of every state tensor.
    `ml_program.global_load` becomes the current value of the state and
    `ml_program.global_store` sets it, in program order; the globals are
    erased. Bufferization later drops the state results it can prove are
    updated in place.

    Records the ABI on the IR for the artifact writer: the module gets
    `anima.states` (name, type, guard per state tensor; `journal` when every
    write of the state goes through a journaling anima op, `copy` otherwise)
    and each entry function `anima.entry_point` (its name, input and output
    types, and the upper bound of undo-journal bytes of one step).

    State must be accessed only at the top level of entry functions.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def AnimaFusePlasticStepPass : Pass<"anima-fuse-plastic-step"> {
  let summary = "Fuse gather_matvec with the plastic_update of the same rows";
  let description = [{
    Rewrites `y = anima.gather_matvec %W[%idx], %x` followed by an
    `anima.plastic_update` of `%W[%idx]` whose post activity is `y` or an
    elementwise function of `y` (a chain of `arith`/`math` elementwise ops
    whose other operands are splat constants) into one
    `anima.fused_plastic_step`, which reads each active row once: its dot
    product is computed, the elementwise function applied, and the row
    updated while it is in cache. Post-major rules hebb, oja, instar and
    delta qualify; softmax_delta normalizes over all rows and does not.
  }];
}

def AnimaFuseMemoryStepPass : Pass<"anima-fuse-memory-step"> {
  let summary = "Fuse mem_read and mem_write on the same memory and key";
  let description = [{
    Rewrites `o = anima.mem_read %S, %k` and `S' = anima.mem_write %S, %k, %v`
    (same memory value, same dense or sparse key) into one
    `anima.fused_mem_step` that reads before it writes in one pass over the
    key's columns.
  }];
}

def AnimaBufferizePass : Pass<"anima-bufferize", "::mlir::ModuleOp"> {
  let summary = "One-shot bufferization with state updated in place";
  let description = [{
    Runs one-shot bufferization over the whole module (function boundaries
    included, identity layouts at boundaries, stack allocation of the small
    per-step temporaries), turning every anima op into a call of its CPU
    microkernel (`kernels/abi/include/anima/abi.h`) on raw pointers, then
    drops the state results that bufferized to their own argument and turns
    the remaining results of entry functions into trailing out-parameters
    (the ABI's `state..., inputs..., outputs...` order). Dense
    `linalg.matvec` on static contiguous f32 buffers becomes a call of the
    vectorized `anima_uk_matvec_acc` microkernel. A state
    tensor whose update cannot happen in place is an error naming the state,
    never a silent copy of a weight or memory buffer per step.
  }];
  let options = [
    Option<"workgroupSize", "workgroup-size", "int64_t", /*default=*/"0",
           "0: CPU microkernel calls; N > 0: GPU kernels (gpu.launch) with "
           "workgroups of N invocations, device temporaries (memref.alloc) "
           "and the step context in memref.global @__anima_context">
  ];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::func::FuncDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::math::MathDialect"
  ];
}

def AnimaEmitEntryPointsPass : Pass<"anima-emit-entry-points", "::mlir::ModuleOp"> {
  let summary = "Emit the exported ABI functions of a compiled model";
  let description = [{
    Runs on the LLVM dialect. For each entry function (bare-pointer calling
    convention: context, state, inputs, outputs) emits
    `void anima_entry_<name>(anima_step_context *, void *const *buffers)`,
    which loads the buffer pointers and calls it, gives the entry function
    internal linkage, and emits `uint32_t anima_abi_version(void)`. With a
    target triple, records it as the module's `llvm.target_triple` (and the
    CPU and features as `anima.target_cpu` / `anima.target_features`), which
    the CPU target uses unless told otherwise.
  }];
  let options = [
    Option<"triple", "triple", "std::string", /*default=*/"\"\"",
           "Target triple recorded on the module (empty: none)">,
    Option<"cpu", "cpu", "std::string", /*default=*/"\"\"",
           "Target CPU recorded on the module (empty: none)">,
    Option<"features", "features", "std::string", /*default=*/"\"\"",
           "Target CPU features recorded on the module (empty: none)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}


def AnimaSpirvAttachTargetPass
    : Pass<"anima-spirv-attach-target", "::mlir::ModuleOp"> {
  let summary = "Prepare outlined GPU kernels for convert-gpu-to-spirv";
  let description = [{
    Attaches the `spirv.target_env` of a Vulkan target profile (`mobile`,
    `desktop`, `lavapipe`; see anima/Pipelines/Pipelines.h) to the module and
    a `spirv.entry_point_abi` with its workgroup size to every `gpu.func`
    kernel. The workgroup size comes from the kernel's `known_block_size`
    (recorded by gpu-kernel-outlining). A kernel whose workgroup exceeds the
    profile's invocation limit, or whose workgroup memory exceeds the
    profile's shared-memory limit, is a located error.
  }];
  let options = [
    Option<"profile", "profile", "std::string", /*default=*/"\"mobile\"",
           "Vulkan target profile: mobile, desktop or lavapipe">
  ];
  let dependentDialects = ["::mlir::spirv::SPIRVDialect",
                           "::mlir::gpu::GPUDialect"];
}

def AnimaSpirvStorageBarriersPass
    : Pass<"anima-spirv-storage-barriers", "::mlir::spirv::ModuleOp"> {
  let summary = "Make workgroup barriers order storage-buffer memory too";
  let description = [{
    `gpu.barrier` lowers to `spirv.ControlBarrier` with workgroup-memory
    semantics only. The anima kernels also exchange values through storage
    buffers inside a workgroup (e.g. k-WTA winners before the softmax), so
    every control barrier gets `UniformMemory` semantics as well.
  }];
}

def AnimaMaterializeConstantsPass : Pass<"anima-materialize-constants"> {
  let summary = "Compute constant tensors in the step instead of storing them";
  let description = [{
    A GPU kernel has no constant buffers, so before bufferization for a GPU
    every statically shaped constant tensor that is a splat becomes a
    `linalg.fill` of a `tensor.empty`, and every 1-D arithmetic sequence
    (`v[i] = a + b i`, e.g. the indices `0..N-1` of a k-WTA with k = N)
    becomes a `linalg.generic` computing it from `linalg.index`. Both turn
    into small elementwise kernels. Other constant tensors are left alone
    (the Vulkan target reports them).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def AnimaGpuSinkViewsPass : Pass<"anima-gpu-sink-views"> {
  let summary = "Move buffer views into the GPU kernels that use them";
  let description = [{
    A `gpu.launch` that uses a view of a buffer (`memref.subview`,
    `memref.collapse_shape`, `memref.expand_shape`, `memref.cast`, with their
    index operands constant) gets a copy of the view inside its body, so the
    outlined kernel binds the whole underlying buffer and
    `fold-memref-alias-ops` turns the view into plain index arithmetic. The
    dispatch schedule then only ever binds whole buffers.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::gpu::GPUDialect"];
}

def AnimaGpuHostScalarsPass : Pass<"anima-gpu-host-scalars"> {
  let summary = "Move scalar host computations of a GPU step into a kernel";
  let description = [{
    Scalar work between kernels (a `tensor.extract` of a step result, a few
    arith/math ops, a `tensor.from_elements`, e.g. a learning-rate schedule)
    bufferizes to host loads, scalar ops and stores, which a GPU step cannot
    run without a round trip. Each such store gets a one-invocation
    `gpu.launch` holding a copy of the store and of its backward slice of
    scalar loads and arith/math ops, so the whole step stays on the GPU. A
    slice whose loaded buffers are touched between the load and the store is
    left alone (the Vulkan target reports it).
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::gpu::GPUDialect"];
}

def AnimaFuseElementwisePass : Pass<"anima-fuse-elementwise"> {
  let summary = "Elementwise fusion bounded by the kernels' binding budget";
  let description = [{
    Upstream elementwise fusion of `linalg.generic` producers into their
    consumers (and of splat constants into the ops that use them), except
    where the fused op would take more than `max-operands` tensors: each
    operand becomes a storage-buffer binding of one GPU kernel, and a mobile
    GPU may offer as few as 16 per shader stage.
  }];
  let options = [
    Option<"maxOperands", "max-operands", "int64_t", /*default=*/"15",
           "Most operands (inputs and outputs) of a fused elementwise op">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // ANIMA_TRANSFORMS_PASSES_TD
