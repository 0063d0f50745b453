// A step with a constant tensor that is neither a splat nor an arithmetic
// sequence (not supported on vulkan).
func.func @step(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense<[1.0, 5.0, 2.0, 7.0]> : tensor<4xf32>
  %y = arith.mulf %x, %c : tensor<4xf32>
  return %y : tensor<4xf32>
}
