//===- AnimaFusedOps.td - ops produced by the fusion passes -*- tablegen -*-===//
//
// Users do not write these; the fusion passes in passes/ produce them so that
// one step reads each active row (or memory column) once.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_DIALECT_ANIMAFUSEDOPS_TD
#define ANIMA_DIALECT_ANIMAFUSEDOPS_TD

include "anima/Dialect/AnimaBase.td"
include "anima/Dialect/AnimaAttrs.td"
include "mlir/IR/RegionKindInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Anima_YieldOp : Anima_Op<"yield", [Pure, Terminator,
    HasParent<"FusedPlasticStepOp">]> {
  let summary = "yields the post-synaptic value of one row";
  let arguments = (ins F32:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
}

def Anima_FusedPlasticStepOp : Anima_Op<"fused_plastic_step", [Pure,
    AttrSizedOperandSegments, SingleBlock,
    AllTypesMatch<["weights", "new_weights"]>]> {
  let summary = "gather_matvec and plastic_update over the same active rows";
  let description = [{
    The fusion of `y = anima.gather_matvec %W[%idx], %x` with an
    `anima.plastic_update` (post-major, rule hebb, oja, instar or delta) of
    the same `W` and `idx` whose post activity is `f(y)` for an elementwise
    `f` (the region, applied to each dot product; the identity when the
    update used `y` directly). For each active row `j`, in one visit of the
    row: `y_j = W[idx_j] . x`, `p_j = f(y_j)`, then the update of row `idx_j`
    with post `p_j`, `pre` and, for delta, `target_j`. Returns `y` (the
    unmodified dot products) and the new weights.

    ```mlir
    %y, %W2 = anima.fused_plastic_step oja %W[%idx : tensor<4xi32>], %x
        pre(%x : tensor<8xf32>) {eta = 0.01 : f32}
        : tensor<16x8xf32>, tensor<8xf32> -> tensor<4xf32> {
    ^bb0(%d: f32):
      anima.yield %d : f32
    }
    ```
  }];
  let arguments = (ins Anima_F32Matrix:$weights, Anima_IndexVector:$indices,
                       Anima_F32Vector:$input, Anima_F32Vector:$pre,
                       Optional<Anima_F32Vector>:$target,
                       Optional<Anima_F32Scalar>:$modulator,
                       Anima_RuleAttr:$rule, F32Attr:$eta,
                       DefaultValuedAttr<F32Attr, "0.0f">:$lambda,
                       DefaultValuedAttr<F32Attr, "0.0f">:$row_norm);
  let results = (outs Anima_F32Vector:$dots, Anima_F32Matrix:$new_weights);
  let regions = (region SizedRegion<1>:$post_fn);
  let assemblyFormat = [{
    `` $rule $weights `[` $indices `:` type($indices) `]` `,` $input
    `pre` `(` $pre `:` type($pre) `)`
    (`target` `(` $target^ `:` type($target) `)`)?
    (`mod` `(` $modulator^ `:` type($modulator) `)`)?
    attr-dict `:` type($weights) `,` type($input) `->` type($dots)
    $post_fn
  }];
  let extraClassDeclaration = [{
    /// Whether the region returns its argument unchanged.
    bool hasIdentityPostFn();
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
}

def Anima_FusedMemStepOp : Anima_Op<"fused_mem_step", [Pure,
    AllTypesMatch<["state", "new_state"]>, AllTypesMatch<["value", "read"]>]> {
  let summary = "mem_read and mem_write with the same key in one pass";
  let description = [{
    The fusion of `o = anima.mem_read %S, %k` with
    `S' = anima.mem_write %S, %k, %v {...}` (same memory, same key, dense or
    sparse): `o = S k` is read from the memory before the write (with the
    key as given, not normalized), then the write's equations apply. One pass
    over the key's columns serves both.

    ```mlir
    %o, %S2 = anima.fused_mem_step %S, %k, %v {beta = 1.0 : f32}
        : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
    ```
  }];
  // The optional operand goes last so that the type of `read` can be
  // inferred from `value` at a fixed operand position.
  let arguments = (ins Anima_F32Matrix:$state, Anima_F32Vector:$key,
                       Anima_F32Vector:$value,
                       Optional<Anima_IndexVector>:$key_indices,
                       DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                       F32Attr:$beta,
                       DefaultValuedAttr<F32Attr, "1.0f">:$gamma,
                       DefaultValuedAttr<Anima_DecayOrderAttr,
                           "::mlir::anima::DecayOrder::decay_first">:$decay_order,
                       UnitAttr:$normalize_key);
  let results = (outs Anima_F32Vector:$read, Anima_F32Matrix:$new_state);
  let assemblyFormat = [{
    $state `,` $key (`[` $key_indices^ `:` type($key_indices) `]`)? `,` $value
    attr-dict `:` type($state) `,` type($key) `,` type($value)
  }];
  let hasVerifier = 1;
}

#endif // ANIMA_DIALECT_ANIMAFUSEDOPS_TD
