// The consumer's model: k-WTA picks 4 of 32 units, their rows' dot products
// with x are the output, and Oja's rule learns on those rows only.
ml_program.global private mutable @w(#anima.random_uniform<seed = 11, low = -0.5, high = 0.5>) : tensor<32x8xf32>

func.func @step(%u: tensor<32xf32>, %x: tensor<8xf32>) -> tensor<4xf32> {
  %w = ml_program.global_load @w : tensor<32x8xf32>
  %idx, %val = anima.kwta %u, k = 4, value : tensor<32xf32>
  %y = anima.gather_matvec %w[%idx], %x : tensor<32x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update oja %w[%idx : tensor<4xi32>]
      post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>)
      {eta = 0.01 : f32} : tensor<32x8xf32>
  ml_program.global_store @w = %w2 : tensor<32x8xf32>
  return %y : tensor<4xf32>
}
