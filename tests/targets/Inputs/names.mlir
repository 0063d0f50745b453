ml_program.global private mutable @W(dense<0.5> : tensor<8x4xf32>) : tensor<8x4xf32>
func.func @step(%x: tensor<4xf32> {anima.name = "pixels"}, %idx: tensor<2xi32> {anima.name = "active"}) -> (tensor<2xf32> {anima.name = "scores"}) {
  %W = ml_program.global_load @W : tensor<8x4xf32>
  %y = anima.gather_matvec %W[%idx], %x : tensor<8x4xf32>, tensor<2xi32>, tensor<4xf32>
  return %y : tensor<2xf32>
}
