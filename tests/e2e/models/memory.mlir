// e2e: mem_read/mem_write, dense and sparse keys, both decay orders. @S1 is
// read with another query (never fused); @S2 and @S3 are read with their
// write key (fused unless --no-fusion).
ml_program.global private mutable @S1(dense<0.0> : tensor<16x32xf32>) : tensor<16x32xf32>
ml_program.global private mutable @S2(dense<0.0> : tensor<16x64xf32>) : tensor<16x64xf32>
ml_program.global private mutable @S3(#anima.random_uniform<seed = 3, low = -0.1, high = 0.1>) : tensor<16x32xf32>

func.func @step(%k: tensor<32xf32>, %v: tensor<16xf32>, %q: tensor<32xf32>, %u: tensor<64xf32>) -> (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) {
  %S1 = ml_program.global_load @S1 : tensor<16x32xf32>
  %S2 = ml_program.global_load @S2 : tensor<16x64xf32>
  %S3 = ml_program.global_load @S3 : tensor<16x32xf32>
  %o1 = anima.mem_read %S1, %q : tensor<16x32xf32>, tensor<32xf32>
  %S1n = anima.mem_write %S1, %k, %v {alpha = 0.95 : f32, beta = 0.5 : f32, gamma = 1.0 : f32, normalize_key} : tensor<16x32xf32>, tensor<32xf32>, tensor<16xf32>
  %idx, %val = anima.kwta %u, k = 8, binary : tensor<64xf32>
  %o2 = anima.mem_read %S2, %val[%idx : tensor<8xi32>] : tensor<16x64xf32>, tensor<8xf32>
  %S2n = anima.mem_write %S2, %val[%idx : tensor<8xi32>], %v {beta = 1.0 : f32} : tensor<16x64xf32>, tensor<8xf32>, tensor<16xf32>
  %o3 = anima.mem_read %S3, %k : tensor<16x32xf32>, tensor<32xf32>
  %S3n = anima.mem_write %S3, %k, %v {alpha = 0.9 : f32, beta = 0.25 : f32, gamma = 0.5 : f32, decay_order = #anima.decay_order<read_first>} : tensor<16x32xf32>, tensor<32xf32>, tensor<16xf32>
  ml_program.global_store @S1 = %S1n : tensor<16x32xf32>
  ml_program.global_store @S2 = %S2n : tensor<16x64xf32>
  ml_program.global_store @S3 = %S3n : tensor<16x32xf32>
  return %o1, %o2, %o3 : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
}
