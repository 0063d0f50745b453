// A living classifier: a fixed random expansion, k-winners-take-all with
// boosting, and a softmax-delta readout that learns in the same step that
// predicts. State lives in ml_program mutable globals; @step loads it,
// predicts, learns, and stores the new state.
//
// Shapes follow the Fashion-MNIST demo: 784 pixels -> 4096 units, 128 active
// (3%), 10 classes. The readout is stored pre-major (one row per hidden
// unit), so both reading and learning touch only the 128 active rows.

// Input centring (set by the driver from the first stream samples).
ml_program.global private mutable @mean(dense<0.0> : tensor<784xf32>) : tensor<784xf32>
// Fixed random expansion: P[i, :] is unit i's receptive field.
ml_program.global private mutable @proj(#anima.random_normal<seed = 1, mean = 0.0, stddev = 0.0357>) : tensor<4096x784xf32>
// Duty cycles for boosting.
ml_program.global private mutable @duty(dense<0.03125> : tensor<4096xf32>) : tensor<4096xf32>
// Plastic readout, one row per hidden unit.
ml_program.global private mutable @readout(dense<0.0> : tensor<4096x10xf32>) : tensor<4096x10xf32>

/// One step: returns the logits computed before learning (predict, then
/// learn from `target`, a one-hot label).
func.func @step(%pixels: tensor<784xf32>, %target: tensor<10xf32>) -> tensor<10xf32> {
  %mean = ml_program.global_load @mean : tensor<784xf32>
  %proj = ml_program.global_load @proj : tensor<4096x784xf32>
  %duty = ml_program.global_load @duty : tensor<4096xf32>
  %readout = ml_program.global_load @readout : tensor<4096x10xf32>

  %x = arith.subf %pixels, %mean : tensor<784xf32>
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<4096xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<4096xf32>) -> tensor<4096xf32>
  %u = linalg.matvec ins(%proj, %x : tensor<4096x784xf32>, tensor<784xf32>)
                     outs(%acc : tensor<4096xf32>) -> tensor<4096xf32>

  %idx, %val, %duty2 = anima.kwta %u, k = 128, value, duty(%duty : tensor<4096xf32>)
      {beta = 2.0 : f32, period = 1000.0 : f32} : tensor<4096xf32>

  %logits = anima.sparse_matvec %readout[%idx], %val
      : tensor<4096x10xf32>, tensor<128xi32>, tensor<128xf32>
  %readout2 = anima.plastic_update softmax_delta %readout[%idx : tensor<128xi32>]
      post(%logits : tensor<10xf32>) pre(%val : tensor<128xf32>)
      target(%target : tensor<10xf32>) {eta = 0.5 : f32, pre_major}
      : tensor<4096x10xf32>

  ml_program.global_store @duty = %duty2 : tensor<4096xf32>
  ml_program.global_store @readout = %readout2 : tensor<4096x10xf32>
  return %logits : tensor<10xf32>
}
