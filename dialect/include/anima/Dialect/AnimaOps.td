//===- AnimaOps.td - Anima dialect ops ---------------------*- tablegen -*-===//

#ifndef ANIMA_DIALECT_ANIMAOPS_TD
#define ANIMA_DIALECT_ANIMAOPS_TD

include "anima/Dialect/AnimaBase.td"
include "anima/Dialect/AnimaAttrs.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// kwta
//===----------------------------------------------------------------------===//

def Anima_KwtaOp : Anima_Op<"kwta", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "k-winners-take-all with optional boosting and duty cycles";
  let description = [{
    Selects the `k` most active of `N` units. With boost factors
    `b_i = exp(beta * (k/N - duty_i))` (all 1 when `beta = 0`):

    ```
    s    = u * b
    idx  = argtop_k(s)            ascending indices; ties go to the lower index
    val  = u[idx]                 (value)
         | 1/sqrt(k)              (binary)
         | softmax(u[idx] / tau)  (softmax)
    duty' = duty + (1[i in idx] - duty) / period
    ```

    The duty-cycle operand is optional; when given, the op also returns the
    updated duty cycles and `period` (>= 1) sets their time constant.
    Boosting (`beta != 0`) needs the duty cycles. `NaN` scores rank below
    every number.

    ```mlir
    %idx, %val = anima.kwta %u, k = 4, value : tensor<16xf32>
    %i, %v, %duty2 = anima.kwta %u, k = 4, binary, duty(%duty : tensor<16xf32>)
        {beta = 1.0 : f32, period = 1000.0 : f32} : tensor<16xf32>
    ```
  }];
  let arguments = (ins Anima_F32Vector:$input,
                       Optional<Anima_F32Vector>:$duty,
                       I64Attr:$k,
                       Anima_KwtaModeAttr:$mode,
                       DefaultValuedAttr<F32Attr, "0.0f">:$beta,
                       DefaultValuedAttr<F32Attr, "1.0f">:$tau,
                       DefaultValuedAttr<F32Attr, "0.0f">:$period);
  let results = (outs Anima_IndexVector:$indices,
                      Anima_F32Vector:$values,
                      Optional<Anima_F32Vector>:$new_duty);
  let assemblyFormat = [{
    $input `,` `k` `=` $k `,` `` $mode
    (`,` `duty` `(` $duty^ `:` type($duty) `)`)?
    attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// gather_matvec / sparse_matvec
//===----------------------------------------------------------------------===//

def Anima_GatherMatvecOp : Anima_Op<"gather_matvec", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "output-sparse matrix-vector product over active rows";
  let description = [{
    `y_j = W[idx_j, :] . x` for the `k` active rows `idx` of `W : N x D`.
    Only the active rows are read, so the cost follows `k`, not `N`.

    ```mlir
    %y = anima.gather_matvec %W[%idx], %x
        : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
    ```
  }];
  let arguments = (ins Anima_F32Matrix:$weights, Anima_IndexVector:$indices,
                       Anima_F32Vector:$input);
  let results = (outs Anima_F32Vector:$result);
  let assemblyFormat = [{
    $weights `[` $indices `]` `,` $input attr-dict `:`
    type($weights) `,` type($indices) `,` type($input)
  }];
  let hasVerifier = 1;
}

def Anima_SparseMatvecOp : Anima_Op<"sparse_matvec", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "input-sparse matrix-vector product";
  let description = [{
    `y = sum_j val_j * W[idx_j, :]` for a sparse input `(idx, val)` and
    `W : N x D` stored with one row per input unit. Only the active rows
    are read.

    ```mlir
    %y = anima.sparse_matvec %W[%idx], %val
        : tensor<16x8xf32>, tensor<4xi32>, tensor<4xf32>
    ```
  }];
  let arguments = (ins Anima_F32Matrix:$weights, Anima_IndexVector:$indices,
                       Anima_F32Vector:$values);
  let results = (outs Anima_F32Vector:$result);
  let assemblyFormat = [{
    $weights `[` $indices `]` `,` $values attr-dict `:`
    type($weights) `,` type($indices) `,` type($values)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// mem_read / mem_write
//===----------------------------------------------------------------------===//

def Anima_MemReadOp : Anima_Op<"mem_read", [Pure,
    DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "read a parametric memory with a query";
  let description = [{
    `o = S q` for a memory `S : Dv x Dk` and a query of `Dk` entries. The
    query is dense, or sparse when indices are given
    (`o = sum_j q_j S[:, idx_j]`, only those columns are read). The op reads
    the state value it is given, i.e. the memory before any later write.

    ```mlir
    %o = anima.mem_read %S, %q : tensor<8x16xf32>, tensor<16xf32>
    %o2 = anima.mem_read %S, %qv[%qi : tensor<4xi32>]
        : tensor<8x16xf32>, tensor<4xf32>
    ```
  }];
  let arguments = (ins Anima_F32Matrix:$state, Anima_F32Vector:$query,
                       Optional<Anima_IndexVector>:$query_indices);
  let results = (outs Anima_F32Vector:$result);
  let assemblyFormat = [{
    $state `,` $query (`[` $query_indices^ `:` type($query_indices) `]`)?
    attr-dict `:` type($state) `,` type($query)
  }];
  let hasVerifier = 1;
}

def Anima_MemWriteOp : Anima_Op<"mem_write", [Pure,
    AllTypesMatch<["state", "result"]>]> {
  let summary = "gated delta-rule write into a parametric memory";
  let description = [{
    Writes value `v` (`Dv` entries) under key `k` (`Dk` entries) into the
    memory `S : Dv x Dk` and returns the new memory:

    ```
    k  = k / |k|                   if normalize_key
    S~ = alpha * S
    r  = gamma * (R k)             R = S~ (decay_first) or S (read_first)
    S' = S~ + beta * (v - r) k^T
    ```

    `gamma = 0` is a Hebbian write (linear attention), `gamma = 1` the delta
    rule (DeltaNet), and `alpha < 1` adds forgetting (Gated DeltaNet). With
    key indices the key is sparse: only its columns are read and receive the
    rank-1 term; the decay still applies to the whole memory.

    ```mlir
    %S2 = anima.mem_write %S, %k, %v {alpha = 0.95 : f32, beta = 0.5 : f32,
        gamma = 1.0 : f32, normalize_key}
        : tensor<8x16xf32>, tensor<16xf32>, tensor<8xf32>
    ```
  }];
  let arguments = (ins Anima_F32Matrix:$state, Anima_F32Vector:$key,
                       Optional<Anima_IndexVector>:$key_indices,
                       Anima_F32Vector:$value,
                       DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                       F32Attr:$beta,
                       DefaultValuedAttr<F32Attr, "1.0f">:$gamma,
                       DefaultValuedAttr<Anima_DecayOrderAttr,
                           "::mlir::anima::DecayOrder::decay_first">:$decay_order,
                       UnitAttr:$normalize_key);
  let results = (outs Anima_F32Matrix:$result);
  let assemblyFormat = [{
    $state `,` $key (`[` $key_indices^ `:` type($key_indices) `]`)? `,` $value
    attr-dict `:` type($state) `,` type($key) `,` type($value)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// plastic_update
//===----------------------------------------------------------------------===//

def Anima_PlasticUpdateOp : Anima_Op<"plastic_update", [Pure,
    AllTypesMatch<["weights", "result"]>, AttrSizedOperandSegments]> {
  let summary = "local weight update (Hebb, Oja, instar, delta, softmax-delta)";
  let description = [{
    Applies a local learning rule to the rows `idx` of `W : N x D` (all rows
    when no indices are given) and returns the new weights:

    ```
    W'_i = (1 - lambda) W_i + eta * m * (a_i * b - c_i * W_i)
    ```

    Post-major rows (the default; row `i` is output unit `i`, the layout
    `gather_matvec` reads): `post` has one entry per updated row, `pre` has
    `D`, `target` one per updated row.

    | rule            | a_i                  | b   | c_i     |
    |-----------------|----------------------|-----|---------|
    | `hebb`          | y_i                  | x   | 0       |
    | `oja`           | y_i                  | x   | y_i^2   |
    | `instar`        | y_i                  | x   | y_i     |
    | `delta`         | t_i - y_i            | x   | 0       |
    | `softmax_delta` | t_i - softmax(y)_i   | x   | 0       |

    Pre-major rows (`pre_major`; row `i` is input unit `i`, the layout
    `sparse_matvec` reads, e.g. a readout driven by a sparse code): `pre` has
    one entry per updated row, `post` and `target` have `D`; `a_i = x_i` and
    `b = y` (hebb), `t - y` (delta) or `t - softmax(y)` (softmax_delta),
    `c = 0`. Oja and instar decay per output unit and need post-major rows.

    `m` is the optional scalar modulator (third factor, default 1). With
    `row_norm > 0` every updated row is rescaled to that L2 norm.

    ```mlir
    %W2 = anima.plastic_update oja %W[%idx : tensor<4xi32>]
        post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>)
        {eta = 0.01 : f32} : tensor<16x8xf32>
    %R2 = anima.plastic_update softmax_delta %R[%idx : tensor<4xi32>]
        post(%logits : tensor<10xf32>) pre(%val : tensor<4xf32>)
        target(%onehot : tensor<10xf32>) {eta = 0.5 : f32, pre_major}
        : tensor<4096x10xf32>
    ```
  }];
  let arguments = (ins Anima_F32Matrix:$weights,
                       Optional<Anima_IndexVector>:$indices,
                       Anima_F32Vector:$post,
                       Anima_F32Vector:$pre,
                       Optional<Anima_F32Vector>:$target,
                       Optional<Anima_F32Scalar>:$modulator,
                       Anima_RuleAttr:$rule,
                       F32Attr:$eta,
                       DefaultValuedAttr<F32Attr, "0.0f">:$lambda,
                       DefaultValuedAttr<F32Attr, "0.0f">:$row_norm,
                       UnitAttr:$pre_major);
  let results = (outs Anima_F32Matrix:$result);
  let assemblyFormat = [{
    `` $rule $weights (`[` $indices^ `:` type($indices) `]`)?
    `post` `(` $post `:` type($post) `)`
    `pre` `(` $pre `:` type($pre) `)`
    (`target` `(` $target^ `:` type($target) `)`)?
    (`mod` `(` $modulator^ `:` type($modulator) `)`)?
    attr-dict `:` type($weights)
  }];
  let extraClassDeclaration = [{
    /// Whether the rule needs a target operand (delta, softmax_delta).
    bool ruleNeedsTarget();
    /// Number of rows the update touches (k with indices, else N).
    int64_t getNumUpdatedRows();
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

include "anima/Dialect/AnimaFusedOps.td"

#endif // ANIMA_DIALECT_ANIMAOPS_TD
