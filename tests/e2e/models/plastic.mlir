// e2e: every plastic_update rule. Oja, Hebb (with elementwise work between
// gather and update), instar and delta are fused with their gather unless
// --no-fusion; post-major softmax_delta, the pre-major readout and the dense
// update are never fused.
ml_program.global private mutable @Woja(#anima.random_normal<seed = 21, mean = 0.0, stddev = 0.2>) : tensor<64x32xf32>
ml_program.global private mutable @Whebb(#anima.random_normal<seed = 22, mean = 0.0, stddev = 0.2>) : tensor<64x32xf32>
ml_program.global private mutable @Winstar(#anima.random_normal<seed = 23, mean = 0.0, stddev = 0.2>) : tensor<64x32xf32>
ml_program.global private mutable @Wdelta(#anima.random_normal<seed = 24, mean = 0.0, stddev = 0.2>) : tensor<64x32xf32>
ml_program.global private mutable @Wsoft(#anima.random_normal<seed = 25, mean = 0.0, stddev = 0.2>) : tensor<64x32xf32>
ml_program.global private mutable @R(dense<0.0> : tensor<64x10xf32>) : tensor<64x10xf32>
ml_program.global private mutable @D(#anima.random_normal<seed = 26, mean = 0.0, stddev = 0.2>) : tensor<10x32xf32>

func.func @step(%u: tensor<64xf32>, %x: tensor<32xf32>, %t: tensor<8xf32>, %onehot: tensor<10xf32>, %m: tensor<f32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<10xf32>) {
  %Woja = ml_program.global_load @Woja : tensor<64x32xf32>
  %Whebb = ml_program.global_load @Whebb : tensor<64x32xf32>
  %Winstar = ml_program.global_load @Winstar : tensor<64x32xf32>
  %Wdelta = ml_program.global_load @Wdelta : tensor<64x32xf32>
  %Wsoft = ml_program.global_load @Wsoft : tensor<64x32xf32>
  %R = ml_program.global_load @R : tensor<64x10xf32>
  %D = ml_program.global_load @D : tensor<10x32xf32>
  %idx, %val = anima.kwta %u, k = 8, value : tensor<64xf32>

  %y1 = anima.gather_matvec %Woja[%idx], %x : tensor<64x32xf32>, tensor<8xi32>, tensor<32xf32>
  %Woja2 = anima.plastic_update oja %Woja[%idx : tensor<8xi32>] post(%y1 : tensor<8xf32>) pre(%x : tensor<32xf32>) {eta = 0.05 : f32} : tensor<64x32xf32>

  %y2 = anima.gather_matvec %Whebb[%idx], %x : tensor<64x32xf32>, tensor<8xi32>, tensor<32xf32>
  %half = arith.constant dense<0.5> : tensor<8xf32>
  %th = math.tanh %y2 : tensor<8xf32>
  %p2 = arith.mulf %th, %half : tensor<8xf32>
  %Whebb2 = anima.plastic_update hebb %Whebb[%idx : tensor<8xi32>] post(%p2 : tensor<8xf32>) pre(%x : tensor<32xf32>) {eta = 0.02 : f32, lambda = 0.01 : f32} : tensor<64x32xf32>

  %y3 = anima.gather_matvec %Winstar[%idx], %x : tensor<64x32xf32>, tensor<8xi32>, tensor<32xf32>
  %Winstar2 = anima.plastic_update instar %Winstar[%idx : tensor<8xi32>] post(%y3 : tensor<8xf32>) pre(%x : tensor<32xf32>) mod(%m : tensor<f32>) {eta = 0.05 : f32, row_norm = 1.0 : f32} : tensor<64x32xf32>

  %y4 = anima.gather_matvec %Wdelta[%idx], %x : tensor<64x32xf32>, tensor<8xi32>, tensor<32xf32>
  %Wdelta2 = anima.plastic_update delta %Wdelta[%idx : tensor<8xi32>] post(%y4 : tensor<8xf32>) pre(%x : tensor<32xf32>) target(%t : tensor<8xf32>) {eta = 0.02 : f32} : tensor<64x32xf32>

  %y5 = anima.gather_matvec %Wsoft[%idx], %x : tensor<64x32xf32>, tensor<8xi32>, tensor<32xf32>
  %Wsoft2 = anima.plastic_update softmax_delta %Wsoft[%idx : tensor<8xi32>] post(%y5 : tensor<8xf32>) pre(%x : tensor<32xf32>) target(%t : tensor<8xf32>) {eta = 0.1 : f32} : tensor<64x32xf32>

  %logits = anima.sparse_matvec %R[%idx], %val : tensor<64x10xf32>, tensor<8xi32>, tensor<8xf32>
  %R2 = anima.plastic_update softmax_delta %R[%idx : tensor<8xi32>] post(%logits : tensor<10xf32>) pre(%val : tensor<8xf32>) target(%onehot : tensor<10xf32>) {eta = 0.5 : f32, pre_major} : tensor<64x10xf32>

  %D2 = anima.plastic_update delta %D post(%logits : tensor<10xf32>) pre(%x : tensor<32xf32>) target(%onehot : tensor<10xf32>) {eta = 0.01 : f32, lambda = 0.001 : f32} : tensor<10x32xf32>

  ml_program.global_store @Woja = %Woja2 : tensor<64x32xf32>
  ml_program.global_store @Whebb = %Whebb2 : tensor<64x32xf32>
  ml_program.global_store @Winstar = %Winstar2 : tensor<64x32xf32>
  ml_program.global_store @Wdelta = %Wdelta2 : tensor<64x32xf32>
  ml_program.global_store @Wsoft = %Wsoft2 : tensor<64x32xf32>
  ml_program.global_store @R = %R2 : tensor<64x10xf32>
  ml_program.global_store @D = %D2 : tensor<10x32xf32>
  return %y1, %y2, %y3, %y4, %y5, %logits : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<10xf32>
}
