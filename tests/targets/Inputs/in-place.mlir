// The old weights are read after the update: no in-place update possible.
ml_program.global private mutable @W(dense<0.5> : tensor<8x4xf32>) : tensor<8x4xf32>
func.func @step(%x: tensor<4xf32>, %x2: tensor<4xf32>, %idx: tensor<2xi32>) -> tensor<2xf32> {
  %W = ml_program.global_load @W : tensor<8x4xf32>
  %y = anima.gather_matvec %W[%idx], %x : tensor<8x4xf32>, tensor<2xi32>, tensor<4xf32>
  %W2 = anima.plastic_update hebb %W[%idx : tensor<2xi32>] post(%y : tensor<2xf32>) pre(%x : tensor<4xf32>) {eta = 0.1 : f32} : tensor<8x4xf32>
  ml_program.global_store @W = %W2 : tensor<8x4xf32>
  %late = anima.gather_matvec %W[%idx], %x2 : tensor<8x4xf32>, tensor<2xi32>, tensor<4xf32>
  return %late : tensor<2xf32>
}
