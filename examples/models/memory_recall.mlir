// Associative memory with a plastic sparse code: keys are re-coded through a
// random expansion and k-WTA (sparse keys are near-orthogonal), the value
// bound to a key is read before it is written (predict, then learn), and a
// gated delta-rule write stores the new binding with forgetting.

ml_program.global private mutable @expand(#anima.random_normal<seed = 3, mean = 0.0, stddev = 0.125>) : tensor<1024x64xf32>
ml_program.global private mutable @memory(dense<0.0> : tensor<64x1024xf32>) : tensor<64x1024xf32>

/// Returns the value recalled for `key`, then binds `value` to it.
func.func @step(%key: tensor<64xf32>, %value: tensor<64xf32>) -> tensor<64xf32> {
  %expand = ml_program.global_load @expand : tensor<1024x64xf32>
  %memory = ml_program.global_load @memory : tensor<64x1024xf32>

  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<1024xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<1024xf32>) -> tensor<1024xf32>
  %code = linalg.matvec ins(%expand, %key : tensor<1024x64xf32>, tensor<64xf32>)
                        outs(%acc : tensor<1024xf32>) -> tensor<1024xf32>
  %idx, %val = anima.kwta %code, k = 32, binary : tensor<1024xf32>

  %recalled = anima.mem_read %memory, %val[%idx : tensor<32xi32>]
      : tensor<64x1024xf32>, tensor<32xf32>
  %memory2 = anima.mem_write %memory, %val[%idx : tensor<32xi32>], %value
      {alpha = 0.999 : f32, beta = 1.0 : f32, gamma = 1.0 : f32, normalize_key}
      : tensor<64x1024xf32>, tensor<32xf32>, tensor<64xf32>

  ml_program.global_store @memory = %memory2 : tensor<64x1024xf32>
  return %recalled : tensor<64xf32>
}
