// e2e: anima.kwta in every mode, with boosting and duty-cycle updates.
ml_program.global private mutable @duty(dense<0.0625> : tensor<64xf32>) : tensor<64xf32>

func.func @step(%u: tensor<64xf32>) -> (tensor<4xi32>, tensor<4xf32>, tensor<8xi32>, tensor<8xf32>, tensor<4xi32>, tensor<4xf32>) {
  %duty = ml_program.global_load @duty : tensor<64xf32>
  %i1, %v1, %d2 = anima.kwta %u, k = 4, value, duty(%duty : tensor<64xf32>) {beta = 1.0 : f32, period = 50.0 : f32} : tensor<64xf32>
  %i2, %v2 = anima.kwta %u, k = 8, binary : tensor<64xf32>
  %i3, %v3 = anima.kwta %u, k = 4, softmax {tau = 0.5 : f32} : tensor<64xf32>
  ml_program.global_store @duty = %d2 : tensor<64xf32>
  return %i1, %v1, %i2, %v2, %i3, %v3 : tensor<4xi32>, tensor<4xf32>, tensor<8xi32>, tensor<8xf32>, tensor<4xi32>, tensor<4xf32>
}
