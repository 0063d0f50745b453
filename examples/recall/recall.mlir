// Associative recall (MQAR-style): nine parametric memories written with the
// same stream of key/value bindings, one per write rule x key coding.
//
//   write rule (anima.mem_write)           key coding (d_k = 64)
//   hebb   gamma = 0   (linear attention)   dense  the key itself (normalized)
//   delta  gamma = 1   (DeltaNet)           kwta1k random expansion 64 -> 1024,
//   gated  gamma = 1, alpha = 0.995                k-WTA 32 active, binary
//          (Gated DeltaNet)                 kwta4k 64 -> 4096, 32 active, binary
//
// @write binds `value` to `key` in every memory. @read returns what every
// memory recalls for `key` and leaves the state untouched (it only loads
// globals). Dense memories are 64 x 64; a k-WTA-keyed memory is 64 x N and is
// read and written only in the 32 columns of the key's winning units (the
// gated write still decays all of it).

// Fixed random expansions of the key (state that is never written).
ml_program.global private @expand1k(#anima.random_normal<seed = 11, mean = 0.0, stddev = 0.125>) : tensor<1024x64xf32>
ml_program.global private @expand4k(#anima.random_normal<seed = 12, mean = 0.0, stddev = 0.125>) : tensor<4096x64xf32>

ml_program.global private mutable @hebb_dense(dense<0.0> : tensor<64x64xf32>) : tensor<64x64xf32>
ml_program.global private mutable @delta_dense(dense<0.0> : tensor<64x64xf32>) : tensor<64x64xf32>
ml_program.global private mutable @gated_dense(dense<0.0> : tensor<64x64xf32>) : tensor<64x64xf32>
ml_program.global private mutable @hebb_kwta1k(dense<0.0> : tensor<64x1024xf32>) : tensor<64x1024xf32>
ml_program.global private mutable @delta_kwta1k(dense<0.0> : tensor<64x1024xf32>) : tensor<64x1024xf32>
ml_program.global private mutable @gated_kwta1k(dense<0.0> : tensor<64x1024xf32>) : tensor<64x1024xf32>
ml_program.global private mutable @hebb_kwta4k(dense<0.0> : tensor<64x4096xf32>) : tensor<64x4096xf32>
ml_program.global private mutable @delta_kwta4k(dense<0.0> : tensor<64x4096xf32>) : tensor<64x4096xf32>
ml_program.global private mutable @gated_kwta4k(dense<0.0> : tensor<64x4096xf32>) : tensor<64x4096xf32>

/// Binds `value` to `key` in all nine memories.
func.func @write(%key: tensor<64xf32>, %value: tensor<64xf32>) {
  %e1 = ml_program.global_load_const @expand1k : tensor<1024x64xf32>
  %e4 = ml_program.global_load_const @expand4k : tensor<4096x64xf32>
  %hebb_dense = ml_program.global_load @hebb_dense : tensor<64x64xf32>
  %delta_dense = ml_program.global_load @delta_dense : tensor<64x64xf32>
  %gated_dense = ml_program.global_load @gated_dense : tensor<64x64xf32>
  %hebb_kwta1k = ml_program.global_load @hebb_kwta1k : tensor<64x1024xf32>
  %delta_kwta1k = ml_program.global_load @delta_kwta1k : tensor<64x1024xf32>
  %gated_kwta1k = ml_program.global_load @gated_kwta1k : tensor<64x1024xf32>
  %hebb_kwta4k = ml_program.global_load @hebb_kwta4k : tensor<64x4096xf32>
  %delta_kwta4k = ml_program.global_load @delta_kwta4k : tensor<64x4096xf32>
  %gated_kwta4k = ml_program.global_load @gated_kwta4k : tensor<64x4096xf32>

  %zero = arith.constant 0.0 : f32
  %kwta1k_init = tensor.empty() : tensor<1024xf32>
  %kwta1k_acc = linalg.fill ins(%zero : f32) outs(%kwta1k_init : tensor<1024xf32>) -> tensor<1024xf32>
  %kwta1k_u = linalg.matvec ins(%e1, %key : tensor<1024x64xf32>, tensor<64xf32>)
                        outs(%kwta1k_acc : tensor<1024xf32>) -> tensor<1024xf32>
  %kwta1k_idx, %kwta1k_val = anima.kwta %kwta1k_u, k = 32, binary : tensor<1024xf32>
  %kwta4k_init = tensor.empty() : tensor<4096xf32>
  %kwta4k_acc = linalg.fill ins(%zero : f32) outs(%kwta4k_init : tensor<4096xf32>) -> tensor<4096xf32>
  %kwta4k_u = linalg.matvec ins(%e4, %key : tensor<4096x64xf32>, tensor<64xf32>)
                        outs(%kwta4k_acc : tensor<4096xf32>) -> tensor<4096xf32>
  %kwta4k_idx, %kwta4k_val = anima.kwta %kwta4k_u, k = 32, binary : tensor<4096xf32>

  %hebb_dense_new = anima.mem_write %hebb_dense, %key, %value {beta = 1.0 : f32, gamma = 0.0 : f32, normalize_key}
      : tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>
  %delta_dense_new = anima.mem_write %delta_dense, %key, %value {beta = 1.0 : f32, gamma = 1.0 : f32, normalize_key}
      : tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>
  %gated_dense_new = anima.mem_write %gated_dense, %key, %value {alpha = 0.995 : f32, beta = 1.0 : f32, gamma = 1.0 : f32, normalize_key}
      : tensor<64x64xf32>, tensor<64xf32>, tensor<64xf32>
  %hebb_kwta1k_new = anima.mem_write %hebb_kwta1k, %kwta1k_val[%kwta1k_idx : tensor<32xi32>], %value {beta = 1.0 : f32, gamma = 0.0 : f32}
      : tensor<64x1024xf32>, tensor<32xf32>, tensor<64xf32>
  %delta_kwta1k_new = anima.mem_write %delta_kwta1k, %kwta1k_val[%kwta1k_idx : tensor<32xi32>], %value {beta = 1.0 : f32, gamma = 1.0 : f32}
      : tensor<64x1024xf32>, tensor<32xf32>, tensor<64xf32>
  %gated_kwta1k_new = anima.mem_write %gated_kwta1k, %kwta1k_val[%kwta1k_idx : tensor<32xi32>], %value {alpha = 0.995 : f32, beta = 1.0 : f32, gamma = 1.0 : f32}
      : tensor<64x1024xf32>, tensor<32xf32>, tensor<64xf32>
  %hebb_kwta4k_new = anima.mem_write %hebb_kwta4k, %kwta4k_val[%kwta4k_idx : tensor<32xi32>], %value {beta = 1.0 : f32, gamma = 0.0 : f32}
      : tensor<64x4096xf32>, tensor<32xf32>, tensor<64xf32>
  %delta_kwta4k_new = anima.mem_write %delta_kwta4k, %kwta4k_val[%kwta4k_idx : tensor<32xi32>], %value {beta = 1.0 : f32, gamma = 1.0 : f32}
      : tensor<64x4096xf32>, tensor<32xf32>, tensor<64xf32>
  %gated_kwta4k_new = anima.mem_write %gated_kwta4k, %kwta4k_val[%kwta4k_idx : tensor<32xi32>], %value {alpha = 0.995 : f32, beta = 1.0 : f32, gamma = 1.0 : f32}
      : tensor<64x4096xf32>, tensor<32xf32>, tensor<64xf32>

  ml_program.global_store @hebb_dense = %hebb_dense_new : tensor<64x64xf32>
  ml_program.global_store @delta_dense = %delta_dense_new : tensor<64x64xf32>
  ml_program.global_store @gated_dense = %gated_dense_new : tensor<64x64xf32>
  ml_program.global_store @hebb_kwta1k = %hebb_kwta1k_new : tensor<64x1024xf32>
  ml_program.global_store @delta_kwta1k = %delta_kwta1k_new : tensor<64x1024xf32>
  ml_program.global_store @gated_kwta1k = %gated_kwta1k_new : tensor<64x1024xf32>
  ml_program.global_store @hebb_kwta4k = %hebb_kwta4k_new : tensor<64x4096xf32>
  ml_program.global_store @delta_kwta4k = %delta_kwta4k_new : tensor<64x4096xf32>
  ml_program.global_store @gated_kwta4k = %gated_kwta4k_new : tensor<64x4096xf32>
  return
}

/// Returns what each memory recalls for `key`, in the order
/// hebb_dense, delta_dense, gated_dense, hebb_kwta1k, delta_kwta1k, gated_kwta1k, hebb_kwta4k, delta_kwta4k, gated_kwta4k;
/// the state is untouched.
func.func @read(%key: tensor<64xf32>)
    -> (tensor<64xf32>, tensor<64xf32>, tensor<64xf32>,
        tensor<64xf32>, tensor<64xf32>, tensor<64xf32>,
        tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) {
  %e1 = ml_program.global_load_const @expand1k : tensor<1024x64xf32>
  %e4 = ml_program.global_load_const @expand4k : tensor<4096x64xf32>
  %hebb_dense = ml_program.global_load @hebb_dense : tensor<64x64xf32>
  %delta_dense = ml_program.global_load @delta_dense : tensor<64x64xf32>
  %gated_dense = ml_program.global_load @gated_dense : tensor<64x64xf32>
  %hebb_kwta1k = ml_program.global_load @hebb_kwta1k : tensor<64x1024xf32>
  %delta_kwta1k = ml_program.global_load @delta_kwta1k : tensor<64x1024xf32>
  %gated_kwta1k = ml_program.global_load @gated_kwta1k : tensor<64x1024xf32>
  %hebb_kwta4k = ml_program.global_load @hebb_kwta4k : tensor<64x4096xf32>
  %delta_kwta4k = ml_program.global_load @delta_kwta4k : tensor<64x4096xf32>
  %gated_kwta4k = ml_program.global_load @gated_kwta4k : tensor<64x4096xf32>

  %zero = arith.constant 0.0 : f32
  %kwta1k_init = tensor.empty() : tensor<1024xf32>
  %kwta1k_acc = linalg.fill ins(%zero : f32) outs(%kwta1k_init : tensor<1024xf32>) -> tensor<1024xf32>
  %kwta1k_u = linalg.matvec ins(%e1, %key : tensor<1024x64xf32>, tensor<64xf32>)
                        outs(%kwta1k_acc : tensor<1024xf32>) -> tensor<1024xf32>
  %kwta1k_idx, %kwta1k_val = anima.kwta %kwta1k_u, k = 32, binary : tensor<1024xf32>
  %kwta4k_init = tensor.empty() : tensor<4096xf32>
  %kwta4k_acc = linalg.fill ins(%zero : f32) outs(%kwta4k_init : tensor<4096xf32>) -> tensor<4096xf32>
  %kwta4k_u = linalg.matvec ins(%e4, %key : tensor<4096x64xf32>, tensor<64xf32>)
                        outs(%kwta4k_acc : tensor<4096xf32>) -> tensor<4096xf32>
  %kwta4k_idx, %kwta4k_val = anima.kwta %kwta4k_u, k = 32, binary : tensor<4096xf32>

  %hebb_dense_out = anima.mem_read %hebb_dense, %key : tensor<64x64xf32>, tensor<64xf32>
  %delta_dense_out = anima.mem_read %delta_dense, %key : tensor<64x64xf32>, tensor<64xf32>
  %gated_dense_out = anima.mem_read %gated_dense, %key : tensor<64x64xf32>, tensor<64xf32>
  %hebb_kwta1k_out = anima.mem_read %hebb_kwta1k, %kwta1k_val[%kwta1k_idx : tensor<32xi32>]
      : tensor<64x1024xf32>, tensor<32xf32>
  %delta_kwta1k_out = anima.mem_read %delta_kwta1k, %kwta1k_val[%kwta1k_idx : tensor<32xi32>]
      : tensor<64x1024xf32>, tensor<32xf32>
  %gated_kwta1k_out = anima.mem_read %gated_kwta1k, %kwta1k_val[%kwta1k_idx : tensor<32xi32>]
      : tensor<64x1024xf32>, tensor<32xf32>
  %hebb_kwta4k_out = anima.mem_read %hebb_kwta4k, %kwta4k_val[%kwta4k_idx : tensor<32xi32>]
      : tensor<64x4096xf32>, tensor<32xf32>
  %delta_kwta4k_out = anima.mem_read %delta_kwta4k, %kwta4k_val[%kwta4k_idx : tensor<32xi32>]
      : tensor<64x4096xf32>, tensor<32xf32>
  %gated_kwta4k_out = anima.mem_read %gated_kwta4k, %kwta4k_val[%kwta4k_idx : tensor<32xi32>]
      : tensor<64x4096xf32>, tensor<32xf32>
  return %hebb_dense_out, %delta_dense_out, %gated_dense_out, %hebb_kwta1k_out, %delta_kwta1k_out, %gated_kwta1k_out, %hebb_kwta4k_out, %delta_kwta4k_out, %gated_kwta4k_out
      : tensor<64xf32>, tensor<64xf32>, tensor<64xf32>,
        tensor<64xf32>, tensor<64xf32>, tensor<64xf32>,
        tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
}
