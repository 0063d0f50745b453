// e2e: gather_matvec and sparse_matvec over a k-WTA active set (read-only).
ml_program.global private @W(#anima.random_normal<seed = 11, mean = 0.0, stddev = 0.5>) : tensor<64x32xf32>

func.func @step(%u: tensor<64xf32>, %x: tensor<32xf32>) -> (tensor<8xf32>, tensor<32xf32>) {
  %W = ml_program.global_load_const @W : tensor<64x32xf32>
  %idx, %val = anima.kwta %u, k = 8, value : tensor<64xf32>
  %y = anima.gather_matvec %W[%idx], %x : tensor<64x32xf32>, tensor<8xi32>, tensor<32xf32>
  %z = anima.sparse_matvec %W[%idx], %val : tensor<64x32xf32>, tensor<8xi32>, tensor<8xf32>
  return %y, %z : tensor<8xf32>, tensor<32xf32>
}
