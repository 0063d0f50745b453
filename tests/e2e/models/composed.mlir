// e2e: a composed living model: centring, a fixed random expansion, k-WTA
// with boosting, a plastic softmax-delta readout, and a sparse-keyed memory
// that binds each code to its label (read before write).
ml_program.global private mutable @mean(dense<0.1> : tensor<32xf32>) : tensor<32xf32>
ml_program.global private @P(#anima.random_normal<seed = 5, mean = 0.0, stddev = 0.3>) : tensor<128x32xf32>
ml_program.global private mutable @duty(dense<0.0625> : tensor<128xf32>) : tensor<128xf32>
ml_program.global private mutable @R(dense<0.0> : tensor<128x10xf32>) : tensor<128x10xf32>
ml_program.global private mutable @M(dense<0.0> : tensor<10x128xf32>) : tensor<10x128xf32>

func.func @step(%x: tensor<32xf32>, %onehot: tensor<10xf32>) -> (tensor<10xf32>, tensor<10xf32>, tensor<8xi32>) {
  %mean = ml_program.global_load @mean : tensor<32xf32>
  %P = ml_program.global_load_const @P : tensor<128x32xf32>
  %duty = ml_program.global_load @duty : tensor<128xf32>
  %R = ml_program.global_load @R : tensor<128x10xf32>
  %M = ml_program.global_load @M : tensor<10x128xf32>
  %xc = arith.subf %x, %mean : tensor<32xf32>
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<128xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<128xf32>) -> tensor<128xf32>
  %u = linalg.matvec ins(%P, %xc : tensor<128x32xf32>, tensor<32xf32>) outs(%acc : tensor<128xf32>) -> tensor<128xf32>
  %idx, %val, %duty2 = anima.kwta %u, k = 8, value, duty(%duty : tensor<128xf32>) {beta = 2.0 : f32, period = 100.0 : f32} : tensor<128xf32>
  %logits = anima.sparse_matvec %R[%idx], %val : tensor<128x10xf32>, tensor<8xi32>, tensor<8xf32>
  %R2 = anima.plastic_update softmax_delta %R[%idx : tensor<8xi32>] post(%logits : tensor<10xf32>) pre(%val : tensor<8xf32>) target(%onehot : tensor<10xf32>) {eta = 0.5 : f32, pre_major} : tensor<128x10xf32>
  %recalled = anima.mem_read %M, %val[%idx : tensor<8xi32>] : tensor<10x128xf32>, tensor<8xf32>
  %M2 = anima.mem_write %M, %val[%idx : tensor<8xi32>], %onehot {alpha = 0.99 : f32, beta = 0.5 : f32, gamma = 1.0 : f32, normalize_key} : tensor<10x128xf32>, tensor<8xf32>, tensor<10xf32>
  ml_program.global_store @duty = %duty2 : tensor<128xf32>
  ml_program.global_store @R = %R2 : tensor<128x10xf32>
  ml_program.global_store @M = %M2 : tensor<10x128xf32>
  return %logits, %recalled, %idx : tensor<10xf32>, tensor<10xf32>, tensor<8xi32>
}
