// An unsupervised plastic layer: k-WTA over gathered dot products, with Oja's
// rule applied to the winning rows only. gather_matvec and plastic_update
// read and write the same active rows of @weights (the pair a later fusion
// pass turns into one pass over those rows).

ml_program.global private mutable @weights(#anima.random_uniform<seed = 5, low = -0.05, high = 0.05>) : tensor<2048x256xf32>

/// Returns the sparse code of `x` and learns from it.
func.func @step(%x: tensor<256xf32>) -> (tensor<64xi32>, tensor<64xf32>) {
  %w = ml_program.global_load @weights : tensor<2048x256xf32>
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<2048xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<2048xf32>) -> tensor<2048xf32>
  %u = linalg.matvec ins(%w, %x : tensor<2048x256xf32>, tensor<256xf32>)
                     outs(%acc : tensor<2048xf32>) -> tensor<2048xf32>
  %idx, %val = anima.kwta %u, k = 64, value : tensor<2048xf32>
  %y = anima.gather_matvec %w[%idx], %x : tensor<2048x256xf32>, tensor<64xi32>, tensor<256xf32>
  %w2 = anima.plastic_update oja %w[%idx : tensor<64xi32>]
      post(%y : tensor<64xf32>) pre(%x : tensor<256xf32>)
      {eta = 0.005 : f32} : tensor<2048x256xf32>
  ml_program.global_store @weights = %w2 : tensor<2048x256xf32>
  return %idx, %val : tensor<64xi32>, tensor<64xf32>
}
