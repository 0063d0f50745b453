// e2e: indices that come from the caller (not from a kwta), which the
// runtime checks before the step runs (the manifest's "index_bound"): %rows
// selects rows of @W (gather, Oja update; bound 32), %cols the sparse key
// columns of @S (bound 16; the memory is 8 x 16). Out-of-range or not
// strictly ascending indices refuse the step with INVALID_ARGUMENT.
ml_program.global private mutable @W(#anima.random_normal<seed = 31, mean = 0.0, stddev = 0.2>) : tensor<32x8xf32>
ml_program.global private mutable @S(dense<0.0> : tensor<8x16xf32>) : tensor<8x16xf32>

func.func @step(%x: tensor<8xf32> {anima.name = "x"},
                %rows: tensor<4xi32> {anima.name = "rows"},
                %key: tensor<3xf32> {anima.name = "key"},
                %cols: tensor<3xi32> {anima.name = "cols"})
    -> (tensor<4xf32>, tensor<8xf32>) {
  %W = ml_program.global_load @W : tensor<32x8xf32>
  %S = ml_program.global_load @S : tensor<8x16xf32>
  %y = anima.gather_matvec %W[%rows], %x : tensor<32x8xf32>, tensor<4xi32>, tensor<8xf32>
  %W2 = anima.plastic_update oja %W[%rows : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.05 : f32} : tensor<32x8xf32>
  %o = anima.mem_read %S, %key[%cols : tensor<3xi32>] : tensor<8x16xf32>, tensor<3xf32>
  %S2 = anima.mem_write %S, %key[%cols : tensor<3xi32>], %x {beta = 0.5 : f32} : tensor<8x16xf32>, tensor<3xf32>, tensor<8xf32>
  ml_program.global_store @W = %W2 : tensor<32x8xf32>
  ml_program.global_store @S = %S2 : tensor<8x16xf32>
  return %y, %o : tensor<4xf32>, tensor<8xf32>
}
