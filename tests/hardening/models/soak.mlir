// Soak model of the hardening tests: every kind of state a living model
// learns, each with the knob that bounds it, so that a long poisoned stream
// can check the bounds (tests/hardening/README.md):
//
//   @proj     256 x 32, Oja's rule on the k winning rows, rows renormalized
//             to norm 1 (row_norm): every row norm stays <= max(1, initial)
//   @duty     k-WTA duty cycles (boosting): convex updates, stay in [0, 1]
//   @readout  256 x 8 pre-major softmax-delta readout with weight decay
//             lambda: |W| <= eta (1 + max|target|) / lambda (pre <= 1)
//   @memory   8 x 256 memory, delta-rule writes with unit keys and decay
//             alpha: ||M||_F <= beta max||value|| / (1 - alpha)
//
// Per step: u = proj x; k-WTA (softmax values, so pre-synaptic activity is
// bounded by 1) with boosting; the winners' dot products and their Oja update
// (fused into one pass); logits from the readout, then its update; recall
// from memory, then a write binding the code to the target.

ml_program.global private mutable @proj(#anima.random_normal<seed = 17, mean = 0.0, stddev = 0.25>) : tensor<256x32xf32>
ml_program.global private mutable @duty(dense<0.0625> : tensor<256xf32>) : tensor<256xf32>
ml_program.global private mutable @readout(dense<0.0> : tensor<256x8xf32>) : tensor<256x8xf32>
ml_program.global private mutable @memory(dense<0.0> : tensor<8x256xf32>) : tensor<8x256xf32>

func.func @step(%x: tensor<32xf32>, %target: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<16xi32>) {
  %proj = ml_program.global_load @proj : tensor<256x32xf32>
  %duty = ml_program.global_load @duty : tensor<256xf32>
  %readout = ml_program.global_load @readout : tensor<256x8xf32>
  %memory = ml_program.global_load @memory : tensor<8x256xf32>

  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<256xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<256xf32>) -> tensor<256xf32>
  %u = linalg.matvec ins(%proj, %x : tensor<256x32xf32>, tensor<32xf32>)
                     outs(%acc : tensor<256xf32>) -> tensor<256xf32>
  %idx, %val, %duty2 = anima.kwta %u, k = 16, softmax, duty(%duty : tensor<256xf32>)
      {beta = 2.0 : f32, period = 100.0 : f32, tau = 1.0 : f32} : tensor<256xf32>

  %y = anima.gather_matvec %proj[%idx], %x : tensor<256x32xf32>, tensor<16xi32>, tensor<32xf32>
  %proj2 = anima.plastic_update oja %proj[%idx : tensor<16xi32>]
      post(%y : tensor<16xf32>) pre(%x : tensor<32xf32>)
      {eta = 0.01 : f32, row_norm = 1.0 : f32} : tensor<256x32xf32>

  %logits = anima.sparse_matvec %readout[%idx], %val
      : tensor<256x8xf32>, tensor<16xi32>, tensor<16xf32>
  %readout2 = anima.plastic_update softmax_delta %readout[%idx : tensor<16xi32>]
      post(%logits : tensor<8xf32>) pre(%val : tensor<16xf32>)
      target(%target : tensor<8xf32>) {eta = 0.1 : f32, lambda = 0.001 : f32, pre_major}
      : tensor<256x8xf32>

  %recalled = anima.mem_read %memory, %val[%idx : tensor<16xi32>]
      : tensor<8x256xf32>, tensor<16xf32>
  %memory2 = anima.mem_write %memory, %val[%idx : tensor<16xi32>], %target
      {alpha = 0.99 : f32, beta = 0.5 : f32, gamma = 1.0 : f32, normalize_key}
      : tensor<8x256xf32>, tensor<16xf32>, tensor<8xf32>

  ml_program.global_store @proj = %proj2 : tensor<256x32xf32>
  ml_program.global_store @duty = %duty2 : tensor<256xf32>
  ml_program.global_store @readout = %readout2 : tensor<256x8xf32>
  ml_program.global_store @memory = %memory2 : tensor<8x256xf32>
  return %logits, %recalled, %idx : tensor<8xf32>, tensor<8xf32>, tensor<16xi32>
}
