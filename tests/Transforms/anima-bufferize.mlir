// RUN: anima-opt %s --anima-externalize-state --anima-bufferize -split-input-file -verify-diagnostics | FileCheck %s
// RUN: anima-opt %s --anima-externalize-state --anima-bufferize -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=INPLACE

// Every anima op becomes a call of its microkernel (kernels/abi/include/
// anima/abi.h) on raw pointers: the step context, then pointers from
// memref.extract_aligned_pointer_as_index and the scalar arguments. Per-step
// outputs are stack allocations; state buffers are updated in place (no
// allocation or copy of a state buffer anywhere in the step: the INPLACE
// checks) and their results are dropped; outputs become trailing
// out-parameters filled by a copy.

ml_program.global private mutable @w(dense<0.0> : tensor<32x8xf32>) : tensor<32x8xf32>
ml_program.global private mutable @duty(dense<0.1> : tensor<32xf32>) : tensor<32xf32>

// CHECK-DAG:   func.func private @anima_uk_kwta(!llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64, i32, f32, f32, f32, !llvm.ptr, !llvm.ptr){{$}}
// CHECK-DAG:   func.func private @anima_uk_gather_matvec(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr){{$}}
// CHECK-DAG:   func.func private @anima_uk_plastic_update(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, i32, f32, f32, f32){{$}}
// CHECK-LABEL: func.func @kwta_gather_update(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context},
// CHECK-SAME:    %[[W:[^:]+]]: memref<32x8xf32> {anima.state = "w"}, %[[DUTY:[^:]+]]: memref<32xf32> {anima.state = "duty"},
// CHECK-SAME:    %[[U:[^:]+]]: memref<32xf32>, %[[X:[^:]+]]: memref<8xf32>,
// CHECK-SAME:    %[[OUT_IDX:[^:]+]]: memref<4xi32>, %[[OUT_Y:[^:]+]]: memref<4xf32>) attributes {anima.entry_point = {{.*}}outputs = [tensor<4xi32>, tensor<4xf32>]}} {
// kwta: u, n, duty, k, mode (softmax = 2), beta, tau, period, idx, val.
// CHECK:         %[[IDX:.+]] = memref.alloca() {alignment = 64 : i64} : memref<4xi32>
// CHECK:         %[[VAL:.+]] = memref.alloca() {alignment = 64 : i64} : memref<4xf32>
// CHECK:         %[[U_INT:.+]] = memref.extract_aligned_pointer_as_index %[[U]] : memref<32xf32> -> index
// CHECK:         %[[U_I64:.+]] = arith.index_cast %[[U_INT]] : index to i64
// CHECK:         %[[U_PTR:.+]] = llvm.inttoptr %[[U_I64]] : i64 to !llvm.ptr
// CHECK:         %[[N:.+]] = arith.constant 32 : i64
// CHECK:         %[[DUTY_INT:.+]] = memref.extract_aligned_pointer_as_index %[[DUTY]] : memref<32xf32> -> index
// CHECK:         %[[DUTY_I64:.+]] = arith.index_cast %[[DUTY_INT]] : index to i64
// CHECK:         %[[DUTY_PTR:.+]] = llvm.inttoptr %[[DUTY_I64]] : i64 to !llvm.ptr
// CHECK:         %[[K:.+]] = arith.constant 4 : i64
// CHECK:         %[[MODE:.+]] = arith.constant 2 : i32
// CHECK:         %[[BETA:.+]] = arith.constant 2.000000e+00 : f32
// CHECK:         %[[TAU:.+]] = arith.constant 5.000000e-01 : f32
// CHECK:         %[[PERIOD:.+]] = arith.constant 1.000000e+02 : f32
// CHECK:         %[[IDX_INT:.+]] = memref.extract_aligned_pointer_as_index %[[IDX]] : memref<4xi32> -> index
// CHECK:         %[[IDX_I64:.+]] = arith.index_cast %[[IDX_INT]] : index to i64
// CHECK:         %[[IDX_PTR:.+]] = llvm.inttoptr %[[IDX_I64]] : i64 to !llvm.ptr
// CHECK:         %[[VAL_INT:.+]] = memref.extract_aligned_pointer_as_index %[[VAL]] : memref<4xf32> -> index
// CHECK:         %[[VAL_I64:.+]] = arith.index_cast %[[VAL_INT]] : index to i64
// CHECK:         %[[VAL_PTR:.+]] = llvm.inttoptr %[[VAL_I64]] : i64 to !llvm.ptr
// CHECK:         call @anima_uk_kwta(%[[CTX]], %[[U_PTR]], %[[N]], %[[DUTY_PTR]], %[[K]], %[[MODE]], %[[BETA]], %[[TAU]], %[[PERIOD]], %[[IDX_PTR]], %[[VAL_PTR]])
// gather_matvec: W, n, d, idx, k, x, y.
// CHECK:         %[[Y:.+]] = memref.alloca() {alignment = 64 : i64} : memref<4xf32>
// CHECK:         %[[W_INT:.+]] = memref.extract_aligned_pointer_as_index %[[W]] : memref<32x8xf32> -> index
// CHECK:         %[[W_I64:.+]] = arith.index_cast %[[W_INT]] : index to i64
// CHECK:         %[[W_PTR:.+]] = llvm.inttoptr %[[W_I64]] : i64 to !llvm.ptr
// CHECK:         %[[GN:.+]] = arith.constant 32 : i64
// CHECK:         %[[GD:.+]] = arith.constant 8 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[IDX]]
// CHECK:         %[[G_IDX_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[GK:.+]] = arith.constant 4 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[X]]
// CHECK:         %[[G_X_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK:         %[[G_Y_PTR:.+]] = llvm.inttoptr
// CHECK:         call @anima_uk_gather_matvec(%[[CTX]], %[[W_PTR]], %[[GN]], %[[GD]], %[[G_IDX_PTR]], %[[GK]], %[[G_X_PTR]], %[[G_Y_PTR]])
// plastic_update: W, n, d, idx, k, post, pre, target, mod, rule (instar =
// 2), flags, eta, lambda, row_norm.
// CHECK:         memref.extract_aligned_pointer_as_index %[[W]]
// CHECK:         %[[U_W_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[UN:.+]] = arith.constant 32 : i64
// CHECK:         %[[UD:.+]] = arith.constant 8 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[IDX]]
// CHECK:         %[[U_IDX_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[UK:.+]] = arith.constant 4 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK:         %[[U_POST_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[X]]
// CHECK:         %[[U_PRE_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[NO_TARGET:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK:         %[[NO_MOD:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK:         %[[RULE:.+]] = arith.constant 2 : i32
// CHECK:         %[[FLAGS:.+]] = arith.constant 0 : i32
// CHECK:         %[[ETA:.+]] = arith.constant 2.500000e-01 : f32
// CHECK:         %[[LAMBDA:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[NORM:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         call @anima_uk_plastic_update(%[[CTX]], %[[U_W_PTR]], %[[UN]], %[[UD]], %[[U_IDX_PTR]], %[[UK]], %[[U_POST_PTR]], %[[U_PRE_PTR]], %[[NO_TARGET]], %[[NO_MOD]], %[[RULE]], %[[FLAGS]], %[[ETA]], %[[LAMBDA]], %[[NORM]])
// CHECK-NEXT:    memref.copy %[[IDX]], %[[OUT_IDX]] : memref<4xi32> to memref<4xi32>
// CHECK-NEXT:    memref.copy %[[Y]], %[[OUT_Y]] : memref<4xf32> to memref<4xf32>
// CHECK-NEXT:    return{{$}}

// INPLACE-LABEL: func.func @kwta_gather_update(
// INPLACE-NOT:     memref.alloc(
// INPLACE-NOT:     memref.alloca(){{.*}}memref<32x8xf32>
// INPLACE-NOT:     memref.alloca(){{.*}}memref<32xf32>
// INPLACE-NOT:     memref.copy{{.*}}memref<32x8xf32>
// INPLACE-NOT:     memref.copy{{.*}}memref<32xf32>
// INPLACE-NOT:     bufferization.
// INPLACE:         return
func.func @kwta_gather_update(%u: tensor<32xf32>, %x: tensor<8xf32>) -> (tensor<4xi32>, tensor<4xf32>) {
  %w = ml_program.global_load @w : tensor<32x8xf32>
  %d = ml_program.global_load @duty : tensor<32xf32>
  %idx, %val, %d2 = anima.kwta %u, k = 4, softmax, duty(%d : tensor<32xf32>) {beta = 2.0 : f32, tau = 0.5 : f32, period = 100.0 : f32} : tensor<32xf32>
  %y = anima.gather_matvec %w[%idx], %x : tensor<32x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update instar %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.25 : f32} : tensor<32x8xf32>
  ml_program.global_store @w = %w2 : tensor<32x8xf32>
  ml_program.global_store @duty = %d2 : tensor<32xf32>
  return %idx, %y : tensor<4xi32>, tensor<4xf32>
}

// -----

// A readout driven by a sparse code: sparse_matvec, then a pre-major
// softmax_delta update (rule 4, flags = ANIMA_PLASTIC_PRE_MAJOR) with
// target, modulator, decay and renormalization.

ml_program.global private mutable @readout(dense<0.0> : tensor<64x10xf32>) : tensor<64x10xf32>

// CHECK-LABEL: func.func @sparse_readout(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context}, %[[R:[^:]+]]: memref<64x10xf32> {anima.state = "readout"},
// CHECK-SAME:    %[[IDX:[^:]+]]: memref<4xi32>, %[[VAL:[^:]+]]: memref<4xf32>, %[[T:[^:]+]]: memref<10xf32>, %[[M:[^:]+]]: memref<f32>,
// CHECK-SAME:    %[[OUT:[^:]+]]: memref<10xf32>) attributes
// sparse_matvec: W, n, d, idx, val, k, y.
// CHECK:         %[[LOGITS:.+]] = memref.alloca() {alignment = 64 : i64} : memref<10xf32>
// CHECK:         memref.extract_aligned_pointer_as_index %[[R]]
// CHECK:         %[[S_R_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[SN:.+]] = arith.constant 64 : i64
// CHECK:         %[[SD:.+]] = arith.constant 10 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[IDX]]
// CHECK:         %[[S_IDX_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[VAL]]
// CHECK:         %[[S_VAL_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[SK:.+]] = arith.constant 4 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[LOGITS]]
// CHECK:         %[[S_Y_PTR:.+]] = llvm.inttoptr
// CHECK:         call @anima_uk_sparse_matvec(%[[CTX]], %[[S_R_PTR]], %[[SN]], %[[SD]], %[[S_IDX_PTR]], %[[S_VAL_PTR]], %[[SK]], %[[S_Y_PTR]])
// CHECK:         memref.extract_aligned_pointer_as_index %[[R]]
// CHECK:         %[[U_R_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[UN:.+]] = arith.constant 64 : i64
// CHECK:         %[[UD:.+]] = arith.constant 10 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[IDX]]
// CHECK:         %[[U_IDX_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[UK:.+]] = arith.constant 4 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[LOGITS]]
// CHECK:         %[[U_POST_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[VAL]]
// CHECK:         %[[U_PRE_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[T]]
// CHECK:         %[[U_T_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[M]] : memref<f32> -> index
// CHECK:         %[[U_M_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[RULE:.+]] = arith.constant 4 : i32
// CHECK:         %[[FLAGS:.+]] = arith.constant 1 : i32
// CHECK:         %[[ETA:.+]] = arith.constant 5.000000e-01 : f32
// CHECK:         %[[LAMBDA:.+]] = arith.constant 1.250000e-01 : f32
// CHECK:         %[[NORM:.+]] = arith.constant 2.000000e+00 : f32
// CHECK:         call @anima_uk_plastic_update(%[[CTX]], %[[U_R_PTR]], %[[UN]], %[[UD]], %[[U_IDX_PTR]], %[[UK]], %[[U_POST_PTR]], %[[U_PRE_PTR]], %[[U_T_PTR]], %[[U_M_PTR]], %[[RULE]], %[[FLAGS]], %[[ETA]], %[[LAMBDA]], %[[NORM]])
// CHECK-NEXT:    memref.copy %[[LOGITS]], %[[OUT]] : memref<10xf32> to memref<10xf32>
// CHECK-NEXT:    return{{$}}

// INPLACE-LABEL: func.func @sparse_readout(
// INPLACE-NOT:     memref.alloc(
// INPLACE-NOT:     memref.alloca(){{.*}}memref<64x10xf32>
// INPLACE-NOT:     memref.copy{{.*}}memref<64x10xf32>
// INPLACE-NOT:     bufferization.
// INPLACE:         return
func.func @sparse_readout(%idx: tensor<4xi32>, %val: tensor<4xf32>, %target: tensor<10xf32>, %m: tensor<f32>) -> tensor<10xf32> {
  %r = ml_program.global_load @readout : tensor<64x10xf32>
  %logits = anima.sparse_matvec %r[%idx], %val : tensor<64x10xf32>, tensor<4xi32>, tensor<4xf32>
  %r2 = anima.plastic_update softmax_delta %r[%idx : tensor<4xi32>] post(%logits : tensor<10xf32>) pre(%val : tensor<4xf32>) target(%target : tensor<10xf32>) mod(%m : tensor<f32>) {eta = 0.5 : f32, lambda = 0.125 : f32, row_norm = 2.0 : f32, pre_major} : tensor<64x10xf32>
  ml_program.global_store @readout = %r2 : tensor<64x10xf32>
  return %logits : tensor<10xf32>
}

// -----

// Memory: a dense read (null key indices) before a sparse-key write
// (flags = ANIMA_MEM_READ_FIRST | ANIMA_MEM_NORMALIZE_KEY).

ml_program.global private mutable @mem(dense<0.0> : tensor<8x32xf32>) : tensor<8x32xf32>

// CHECK-LABEL: func.func @memory(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context}, %[[S:[^:]+]]: memref<8x32xf32> {anima.state = "mem"},
// CHECK-SAME:    %[[Q:[^:]+]]: memref<32xf32>, %[[K:[^:]+]]: memref<4xf32>, %[[KI:[^:]+]]: memref<4xi32>, %[[V:[^:]+]]: memref<8xf32>,
// CHECK-SAME:    %[[OUT:[^:]+]]: memref<8xf32>) attributes
// mem_read: S, dv, dk, q, qidx, kq, o.
// CHECK:         %[[O:.+]] = memref.alloca() {alignment = 64 : i64} : memref<8xf32>
// CHECK:         memref.extract_aligned_pointer_as_index %[[S]]
// CHECK:         %[[R_S_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[RDV:.+]] = arith.constant 8 : i64
// CHECK:         %[[RDK:.+]] = arith.constant 32 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[Q]]
// CHECK:         %[[R_Q_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[NO_QIDX:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK:         %[[RKQ:.+]] = arith.constant 32 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[O]]
// CHECK:         %[[R_O_PTR:.+]] = llvm.inttoptr
// CHECK:         call @anima_uk_mem_read(%[[CTX]], %[[R_S_PTR]], %[[RDV]], %[[RDK]], %[[R_Q_PTR]], %[[NO_QIDX]], %[[RKQ]], %[[R_O_PTR]])
// mem_write: S, dv, dk, key, kidx, kk, v, alpha, beta, gamma, flags.
// CHECK:         memref.extract_aligned_pointer_as_index %[[S]]
// CHECK:         %[[W_S_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[WDV:.+]] = arith.constant 8 : i64
// CHECK:         %[[WDK:.+]] = arith.constant 32 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[K]]
// CHECK:         %[[W_K_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[KI]]
// CHECK:         %[[W_KI_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[WKK:.+]] = arith.constant 4 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[V]]
// CHECK:         %[[W_V_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[ALPHA:.+]] = arith.constant 5.000000e-01 : f32
// CHECK:         %[[BETA:.+]] = arith.constant 2.500000e-01 : f32
// CHECK:         %[[GAMMA:.+]] = arith.constant 7.500000e-01 : f32
// CHECK:         %[[FLAGS:.+]] = arith.constant 3 : i32
// CHECK:         call @anima_uk_mem_write(%[[CTX]], %[[W_S_PTR]], %[[WDV]], %[[WDK]], %[[W_K_PTR]], %[[W_KI_PTR]], %[[WKK]], %[[W_V_PTR]], %[[ALPHA]], %[[BETA]], %[[GAMMA]], %[[FLAGS]])
// CHECK-NEXT:    memref.copy %[[O]], %[[OUT]] : memref<8xf32> to memref<8xf32>
// CHECK-NEXT:    return{{$}}

// INPLACE-LABEL: func.func @memory(
// INPLACE-NOT:     memref.alloc(
// INPLACE-NOT:     memref.alloca(){{.*}}memref<8x32xf32>
// INPLACE-NOT:     memref.copy{{.*}}memref<8x32xf32>
// INPLACE-NOT:     bufferization.
// INPLACE:         return
func.func @memory(%q: tensor<32xf32>, %k: tensor<4xf32>, %ki: tensor<4xi32>, %v: tensor<8xf32>) -> tensor<8xf32> {
  %m = ml_program.global_load @mem : tensor<8x32xf32>
  %o = anima.mem_read %m, %q : tensor<8x32xf32>, tensor<32xf32>
  %m2 = anima.mem_write %m, %k[%ki : tensor<4xi32>], %v {alpha = 0.5 : f32, beta = 0.25 : f32, gamma = 0.75 : f32, decay_order = #anima.decay_order<read_first>, normalize_key} : tensor<8x32xf32>, tensor<4xf32>, tensor<8xf32>
  ml_program.global_store @mem = %m2 : tensor<8x32xf32>
  return %o : tensor<8xf32>
}

// -----

// fused_mem_step: the mem_write arguments, then the read's output.

ml_program.global private mutable @mem(dense<0.0> : tensor<8x32xf32>) : tensor<8x32xf32>

// CHECK-LABEL: func.func @fused_memory(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context}, %[[S:[^:]+]]: memref<8x32xf32> {anima.state = "mem"},
// CHECK-SAME:    %[[K:[^:]+]]: memref<32xf32>, %[[V:[^:]+]]: memref<8xf32>, %[[OUT:[^:]+]]: memref<8xf32>) attributes
// CHECK:         %[[O:.+]] = memref.alloca() {alignment = 64 : i64} : memref<8xf32>
// CHECK:         memref.extract_aligned_pointer_as_index %[[S]]
// CHECK:         %[[S_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[DV:.+]] = arith.constant 8 : i64
// CHECK:         %[[DK:.+]] = arith.constant 32 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[K]]
// CHECK:         %[[K_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[NO_KIDX:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK:         %[[KK:.+]] = arith.constant 32 : i64
// CHECK:         memref.extract_aligned_pointer_as_index %[[V]]
// CHECK:         %[[V_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[ALPHA:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:         %[[BETA:.+]] = arith.constant 5.000000e-01 : f32
// CHECK:         %[[GAMMA:.+]] = arith.constant 1.000000e+00 : f32
// CHECK:         %[[FLAGS:.+]] = arith.constant 2 : i32
// CHECK:         memref.extract_aligned_pointer_as_index %[[O]]
// CHECK:         %[[O_PTR:.+]] = llvm.inttoptr
// CHECK:         call @anima_uk_fused_mem_step(%[[CTX]], %[[S_PTR]], %[[DV]], %[[DK]], %[[K_PTR]], %[[NO_KIDX]], %[[KK]], %[[V_PTR]], %[[ALPHA]], %[[BETA]], %[[GAMMA]], %[[FLAGS]], %[[O_PTR]])
// CHECK-NEXT:    memref.copy %[[O]], %[[OUT]] : memref<8xf32> to memref<8xf32>
// CHECK-NEXT:    return{{$}}

// INPLACE-LABEL: func.func @fused_memory(
// INPLACE-NOT:     memref.alloc(
// INPLACE-NOT:     memref.alloca(){{.*}}memref<8x32xf32>
// INPLACE-NOT:     memref.copy{{.*}}memref<8x32xf32>
// INPLACE-NOT:     bufferization.
// INPLACE:         return
func.func @fused_memory(%k: tensor<32xf32>, %v: tensor<8xf32>) -> tensor<8xf32> {
  %m = ml_program.global_load @mem : tensor<8x32xf32>
  %o, %m2 = anima.fused_mem_step %m, %k, %v {beta = 0.5 : f32, normalize_key} : tensor<8x32xf32>, tensor<32xf32>, tensor<8xf32>
  ml_program.global_store @mem = %m2 : tensor<8x32xf32>
  return %o : tensor<8xf32>
}

// -----

// fused_plastic_step with the identity: a loop over tiles of rows (32 KiB of
// rows per tile: 2 rows of 4096 floats), each tile's dot products, then its
// update with post = the dot products. idx, dots and target advance with the
// tile; pre and the modulator do not.

ml_program.global private mutable @w(dense<0.0> : tensor<16x4096xf32>) : tensor<16x4096xf32>

// CHECK-DAG:   func.func private @anima_uk_rows_dot(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr){{$}}
// CHECK-DAG:   func.func private @anima_uk_rows_update(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, f32, f32, f32){{$}}
// CHECK-LABEL: func.func @fused_rows(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context}, %[[W:[^:]+]]: memref<16x4096xf32> {anima.state = "w"},
// CHECK-SAME:    %[[X:[^:]+]]: memref<4096xf32>, %[[IDX:[^:]+]]: memref<5xi32>, %[[T:[^:]+]]: memref<5xf32>, %[[M:[^:]+]]: memref<f32>,
// CHECK-SAME:    %[[OUT:[^:]+]]: memref<5xf32>) attributes
// CHECK:         %[[DOTS:.+]] = memref.alloca() {alignment = 64 : i64} : memref<5xf32>
// CHECK-NOT:     memref.alloca
// CHECK:         memref.extract_aligned_pointer_as_index %[[W]]
// CHECK:         %[[W_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[IDX]]
// CHECK:         %[[IDX_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[X]]
// CHECK:         %[[X_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[X]]
// CHECK:         %[[PRE_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[DOTS]]
// CHECK:         %[[DOTS_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[DOTS]]
// CHECK:         %[[POST_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[T]]
// CHECK:         %[[T_PTR:.+]] = llvm.inttoptr
// CHECK:         memref.extract_aligned_pointer_as_index %[[M]]
// CHECK:         %[[M_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[TILE:.+]] = arith.constant 2 : index
// CHECK:         %[[K:.+]] = arith.constant 5 : index
// CHECK:         %[[ZERO:.+]] = arith.constant 0 : index
// CHECK:         scf.for %[[START:.+]] = %[[ZERO]] to %[[K]] step %[[TILE]] {
// CHECK:           %[[K2:.+]] = arith.constant 5 : index
// CHECK:           %[[LEFT:.+]] = arith.subi %[[K2]], %[[START]] : index
// CHECK:           %[[TILE2:.+]] = arith.constant 2 : index
// CHECK:           %[[COUNT:.+]] = arith.minsi %[[LEFT]], %[[TILE2]] : index
// CHECK:           %[[START64:.+]] = arith.index_cast %[[START]] : index to i64
// CHECK:           %[[COUNT64:.+]] = arith.index_cast %[[COUNT]] : index to i64
// CHECK:           %[[TILE_IDX:.+]] = llvm.getelementptr %[[IDX_PTR]][%[[START64]]] : (!llvm.ptr, i64) -> !llvm.ptr, i32
// CHECK:           %[[TILE_DOTS:.+]] = llvm.getelementptr %[[DOTS_PTR]][%[[START64]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:           %[[N:.+]] = arith.constant 16 : i64
// CHECK:           %[[D:.+]] = arith.constant 4096 : i64
// CHECK:           func.call @anima_uk_rows_dot(%[[CTX]], %[[W_PTR]], %[[N]], %[[D]], %[[TILE_IDX]], %[[COUNT64]], %[[X_PTR]], %[[TILE_DOTS]])
// CHECK-NOT:       scf.for
// CHECK:           %[[TILE_T:.+]] = llvm.getelementptr %[[T_PTR]][%[[START64]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:           %[[N2:.+]] = arith.constant 16 : i64
// CHECK:           %[[D2:.+]] = arith.constant 4096 : i64
// CHECK:           %[[TILE_POST:.+]] = llvm.getelementptr %[[POST_PTR]][%[[START64]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:           %[[RULE:.+]] = arith.constant 3 : i32
// CHECK:           %[[ETA:.+]] = arith.constant 5.000000e-01 : f32
// CHECK:           %[[LAMBDA:.+]] = arith.constant 2.500000e-01 : f32
// CHECK:           %[[NORM:.+]] = arith.constant 3.000000e+00 : f32
// CHECK:           func.call @anima_uk_rows_update(%[[CTX]], %[[W_PTR]], %[[N2]], %[[D2]], %[[TILE_IDX]], %[[COUNT64]], %[[TILE_POST]], %[[PRE_PTR]], %[[TILE_T]], %[[M_PTR]], %[[RULE]], %[[ETA]], %[[LAMBDA]], %[[NORM]])
// CHECK-NEXT:    }
// CHECK-NEXT:    memref.copy %[[DOTS]], %[[OUT]] : memref<5xf32> to memref<5xf32>
// CHECK-NEXT:    return{{$}}

// INPLACE-LABEL: func.func @fused_rows(
// INPLACE-NOT:     memref.alloc(
// INPLACE-NOT:     memref.alloca(){{.*}}memref<16x4096xf32>
// INPLACE-NOT:     memref.copy{{.*}}memref<16x4096xf32>
// INPLACE-NOT:     bufferization.
// INPLACE:         return
func.func @fused_rows(%x: tensor<4096xf32>, %idx: tensor<5xi32>, %t: tensor<5xf32>, %m: tensor<f32>) -> tensor<5xf32> {
  %w = ml_program.global_load @w : tensor<16x4096xf32>
  %y, %w2 = anima.fused_plastic_step delta %w[%idx : tensor<5xi32>], %x pre(%x : tensor<4096xf32>) target(%t : tensor<5xf32>) mod(%m : tensor<f32>) {eta = 0.5 : f32, lambda = 0.25 : f32, row_norm = 3.0 : f32} : tensor<16x4096xf32>, tensor<4096xf32> -> tensor<5xf32> {
  ^bb0(%d: f32):
    anima.yield %d : f32
  }
  ml_program.global_store @w = %w2 : tensor<16x4096xf32>
  return %y : tensor<5xf32>
}

// -----

// fused_plastic_step with a post function: post is its own stack buffer,
// filled per tile by a scalar loop that applies the region to the tile's dot
// products before the tile is updated. All 4 rows fit in one tile.

ml_program.global private mutable @w(dense<0.0> : tensor<16x8xf32>) : tensor<16x8xf32>

// CHECK-LABEL: func.func @fused_rows_relu(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context}, %[[W:[^:]+]]: memref<16x8xf32> {anima.state = "w"},
// CHECK-SAME:    %[[X:[^:]+]]: memref<8xf32>, %[[IDX:[^:]+]]: memref<4xi32>, %[[OUT:[^:]+]]: memref<4xf32>) attributes
// CHECK:         %[[DOTS:.+]] = memref.alloca() {alignment = 64 : i64} : memref<4xf32>
// CHECK:         %[[POST:.+]] = memref.alloca() {alignment = 64 : i64} : memref<4xf32>
// CHECK:         memref.extract_aligned_pointer_as_index %[[POST]]
// CHECK:         %[[POST_PTR:.+]] = llvm.inttoptr
// CHECK:         %[[NO_TARGET:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK:         %[[NO_MOD:.+]] = llvm.mlir.zero : !llvm.ptr
// CHECK:         %[[TILE:.+]] = arith.constant 4 : index
// CHECK:         %[[K:.+]] = arith.constant 4 : index
// CHECK:         scf.for %[[START:.+]] = %{{.+}} to %[[K]] step %[[TILE]] {
// CHECK:           %[[COUNT:.+]] = arith.minsi
// CHECK:           %[[START64:.+]] = arith.index_cast %[[START]] : index to i64
// CHECK:           func.call @anima_uk_rows_dot(
// CHECK:           %[[END:.+]] = arith.addi %[[START]], %[[COUNT]] : index
// CHECK:           %[[ONE:.+]] = arith.constant 1 : index
// CHECK:           scf.for %[[J:.+]] = %[[START]] to %[[END]] step %[[ONE]] {
// CHECK-NEXT:        %[[DOT:.+]] = memref.load %[[DOTS]][%[[J]]] : memref<4xf32>
// CHECK-NEXT:        %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:        %[[P:.+]] = arith.maximumf %[[DOT]], %[[ZERO]] : f32
// CHECK-NEXT:        memref.store %[[P]], %[[POST]][%[[J]]] : memref<4xf32>
// CHECK-NEXT:      }
// CHECK:           %[[TILE_POST:.+]] = llvm.getelementptr %[[POST_PTR]][%[[START64]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:           %[[RULE:.+]] = arith.constant 1 : i32
// CHECK:           func.call @anima_uk_rows_update(%[[CTX]], %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %[[TILE_POST]], %{{.+}}, %[[NO_TARGET]], %[[NO_MOD]], %[[RULE]],
// CHECK-NEXT:    }
// CHECK-NEXT:    memref.copy %[[DOTS]], %[[OUT]] : memref<4xf32> to memref<4xf32>
// CHECK-NEXT:    return{{$}}

// INPLACE-LABEL: func.func @fused_rows_relu(
// INPLACE-NOT:     memref.alloc(
// INPLACE-NOT:     memref.alloca(){{.*}}memref<16x8xf32>
// INPLACE-NOT:     memref.copy{{.*}}memref<16x8xf32>
// INPLACE-NOT:     bufferization.
// INPLACE:         return
func.func @fused_rows_relu(%x: tensor<8xf32>, %idx: tensor<4xi32>) -> tensor<4xf32> {
  %w = ml_program.global_load @w : tensor<16x8xf32>
  %y, %w2 = anima.fused_plastic_step oja %w[%idx : tensor<4xi32>], %x pre(%x : tensor<8xf32>) {eta = 0.5 : f32} : tensor<16x8xf32>, tensor<8xf32> -> tensor<4xf32> {
  ^bb0(%d: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %d, %zero : f32
    anima.yield %r : f32
  }
  ml_program.global_store @w = %w2 : tensor<16x8xf32>
  return %y : tensor<4xf32>
}

// -----

// Several entries, a state updated twice in one step, an entry without
// outputs: every state result is dropped, nothing is copied.

ml_program.global private mutable @w(dense<0.0> : tensor<16x8xf32>) : tensor<16x8xf32>

// CHECK-LABEL: func.func @twice(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context}, %[[W:[^:]+]]: memref<16x8xf32> {anima.state = "w"},
// CHECK-SAME:    %{{[^:]+}}: memref<8xf32>, %{{[^:]+}}: memref<4xi32>, %{{[^:]+}}: memref<4xf32>) attributes
// CHECK:         memref.extract_aligned_pointer_as_index %[[W]]
// CHECK:         call @anima_uk_plastic_update(
// CHECK:         memref.extract_aligned_pointer_as_index %[[W]]
// CHECK:         call @anima_uk_plastic_update(
// CHECK-NEXT:    return{{$}}
// CHECK-LABEL: func.func @read_only(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context}, %[[W:[^:]+]]: memref<16x8xf32> {anima.state = "w"},
// CHECK-SAME:    %{{[^:]+}}: memref<8xf32>, %{{[^:]+}}: memref<4xi32>, %[[OUT:[^:]+]]: memref<4xf32>) attributes
// CHECK:         %[[Y:.+]] = memref.alloca() {alignment = 64 : i64} : memref<4xf32>
// CHECK:         memref.extract_aligned_pointer_as_index %[[W]]
// CHECK:         call @anima_uk_gather_matvec(
// CHECK-NEXT:    memref.copy %[[Y]], %[[OUT]] : memref<4xf32> to memref<4xf32>
// CHECK-NEXT:    return{{$}}

// INPLACE-LABEL: func.func @twice(
// INPLACE-NOT:     memref.alloc
// INPLACE-NOT:     memref.copy
// INPLACE-NOT:     bufferization.
// INPLACE:         return
// INPLACE-LABEL: func.func @read_only(
// INPLACE-NOT:     memref.alloc(
// INPLACE-NOT:     memref.alloca(){{.*}}memref<16x8xf32>
// INPLACE-NOT:     memref.copy{{.*}}memref<16x8xf32>
// INPLACE-NOT:     bufferization.
// INPLACE:         return
func.func @twice(%x: tensor<8xf32>, %idx: tensor<4xi32>, %post: tensor<4xf32>) {
  %w = ml_program.global_load @w : tensor<16x8xf32>
  %w2 = anima.plastic_update hebb %w[%idx : tensor<4xi32>] post(%post : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.5 : f32} : tensor<16x8xf32>
  ml_program.global_store @w = %w2 : tensor<16x8xf32>
  %w3 = ml_program.global_load @w : tensor<16x8xf32>
  %w4 = anima.plastic_update oja %w3[%idx : tensor<4xi32>] post(%post : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.5 : f32} : tensor<16x8xf32>
  ml_program.global_store @w = %w4 : tensor<16x8xf32>
  return
}

func.func @read_only(%x: tensor<8xf32>, %idx: tensor<4xi32>) -> tensor<4xf32> {
  %w = ml_program.global_load @w : tensor<16x8xf32>
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  return %y : tensor<4xf32>
}

// -----

// A dense linalg.matvec of an entry function becomes the accumulating
// microkernel (W, n, d, x, y), after the fill of y; elsewhere it stays.

ml_program.global private mutable @proj(dense<1.0> : tensor<16x8xf32>) : tensor<16x8xf32>

// CHECK-DAG:   func.func private @anima_uk_matvec_acc(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, !llvm.ptr){{$}}
// CHECK-LABEL: func.func @matvec(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context}, %[[P:[^:]+]]: memref<16x8xf32> {anima.state = "proj"},
// CHECK-SAME:    %[[X:[^:]+]]: memref<8xf32>, %[[OUT:[^:]+]]: memref<16xf32>) attributes
// CHECK:         %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[U:.+]] = memref.alloca() {alignment = 64 : i64} : memref<16xf32>
// CHECK-NEXT:    linalg.fill ins(%[[ZERO]] : f32) outs(%[[U]] : memref<16xf32>)
// CHECK-NEXT:    %[[P_INT:.+]] = memref.extract_aligned_pointer_as_index %[[P]] : memref<16x8xf32> -> index
// CHECK-NEXT:    %[[P_I64:.+]] = arith.index_cast %[[P_INT]] : index to i64
// CHECK-NEXT:    %[[P_PTR:.+]] = llvm.inttoptr %[[P_I64]] : i64 to !llvm.ptr
// CHECK-NEXT:    %[[N:.+]] = arith.constant 16 : i64
// CHECK-NEXT:    %[[D:.+]] = arith.constant 8 : i64
// CHECK-NEXT:    %[[X_INT:.+]] = memref.extract_aligned_pointer_as_index %[[X]] : memref<8xf32> -> index
// CHECK-NEXT:    %[[X_I64:.+]] = arith.index_cast %[[X_INT]] : index to i64
// CHECK-NEXT:    %[[X_PTR:.+]] = llvm.inttoptr %[[X_I64]] : i64 to !llvm.ptr
// CHECK-NEXT:    %[[U_INT:.+]] = memref.extract_aligned_pointer_as_index %[[U]] : memref<16xf32> -> index
// CHECK-NEXT:    %[[U_I64:.+]] = arith.index_cast %[[U_INT]] : index to i64
// CHECK-NEXT:    %[[U_PTR:.+]] = llvm.inttoptr %[[U_I64]] : i64 to !llvm.ptr
// CHECK-NEXT:    call @anima_uk_matvec_acc(%[[CTX]], %[[P_PTR]], %[[N]], %[[D]], %[[X_PTR]], %[[U_PTR]]) : (!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, !llvm.ptr) -> ()
// CHECK-NEXT:    memref.copy %[[U]], %[[OUT]] : memref<16xf32> to memref<16xf32>
// CHECK-NEXT:    return{{$}}
// CHECK-LABEL: func.func private @negative_matvec_in_private(
// CHECK:         linalg.matvec
// CHECK-NOT:     call @anima_uk_matvec_acc

// INPLACE-LABEL: func.func @matvec(
// INPLACE-NOT:     memref.alloc(
// INPLACE-NOT:     memref.alloca(){{.*}}memref<16x8xf32>
// INPLACE-NOT:     memref.copy{{.*}}memref<16x8xf32>
// INPLACE-NOT:     bufferization.
// INPLACE:         return
func.func @matvec(%x: tensor<8xf32>) -> tensor<16xf32> {
  %p = ml_program.global_load @proj : tensor<16x8xf32>
  %zero = arith.constant 0.0 : f32
  %init = tensor.empty() : tensor<16xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<16xf32>) -> tensor<16xf32>
  %u = linalg.matvec ins(%p, %x : tensor<16x8xf32>, tensor<8xf32>) outs(%acc : tensor<16xf32>) -> tensor<16xf32>
  return %u : tensor<16xf32>
}

func.func private @negative_matvec_in_private(%w: tensor<16x8xf32>, %x: tensor<8xf32>, %acc: tensor<16xf32>) -> tensor<16xf32> {
  %u = linalg.matvec ins(%w, %x : tensor<16x8xf32>, tensor<8xf32>) outs(%acc : tensor<16xf32>) -> tensor<16xf32>
  return %u : tensor<16xf32>
}

// -----

// Inputs are read-only (the runtime owns them and a refused step must leave
// them as they were): an op whose result could reuse an input's buffer
// writes a stack temporary instead.

ml_program.global private mutable @w(dense<0.0> : tensor<16x8xf32>) : tensor<16x8xf32>

// CHECK-LABEL: func.func @input_read_only(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context}, %[[W:[^:]+]]: memref<16x8xf32> {anima.state = "w"},
// CHECK-SAME:    %[[X:[^:]+]]: memref<8xf32>, %[[IDX:[^:]+]]: memref<4xi32>, %{{[^:]+}}: memref<4xf32>) attributes
// CHECK-NOT:     outs(%[[X]]
// CHECK:         %[[XX:.+]] = memref.alloca() {alignment = 64 : i64} : memref<8xf32>
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[X]], %[[X]] : memref<8xf32>, memref<8xf32>) outs(%[[XX]] : memref<8xf32>)
// CHECK:         memref.extract_aligned_pointer_as_index %[[XX]]
// CHECK:         call @anima_uk_gather_matvec(
#map = affine_map<(d0) -> (d0)>
func.func @input_read_only(%x: tensor<8xf32>, %idx: tensor<4xi32>) -> tensor<4xf32> {
  %w = ml_program.global_load @w : tensor<16x8xf32>
  %xx = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]} ins(%x, %x : tensor<8xf32>, tensor<8xf32>) outs(%x : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  %y = anima.gather_matvec %w[%idx], %xx : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  return %y : tensor<4xf32>
}

// -----

// The old weights are read after the update: updating in place would change
// what the second gather reads.

ml_program.global private mutable @w(dense<0.0> : tensor<16x8xf32>) : tensor<16x8xf32>

// expected-error @below {{state 'w' of entry 'negative_read_after_update' cannot be updated in place: its old value is still used after the update (read it before the update, or load it again after the store)}}
func.func @negative_read_after_update(%x: tensor<8xf32>, %idx: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %w = ml_program.global_load @w : tensor<16x8xf32>
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update hebb %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  %z = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  ml_program.global_store @w = %w2 : tensor<16x8xf32>
  return %y, %z : tensor<4xf32>, tensor<4xf32>
}

// -----

// Likewise for a memory read of the old value after the write.

ml_program.global private mutable @mem(dense<0.0> : tensor<8x32xf32>) : tensor<8x32xf32>

// expected-error @below {{state 'mem' of entry 'negative_mem_read_after_write' cannot be updated in place}}
func.func @negative_mem_read_after_write(%k: tensor<32xf32>, %v: tensor<8xf32>) -> tensor<8xf32> {
  %m = ml_program.global_load @mem : tensor<8x32xf32>
  %m2 = anima.mem_write %m, %k, %v {beta = 1.0 : f32} : tensor<8x32xf32>, tensor<32xf32>, tensor<8xf32>
  %o = anima.mem_read %m, %k : tensor<8x32xf32>, tensor<32xf32>
  ml_program.global_store @mem = %m2 : tensor<8x32xf32>
  return %o : tensor<8xf32>
}

// -----

// Returning the old weights as an output after storing the new ones.

ml_program.global private mutable @w(dense<0.0> : tensor<16x8xf32>) : tensor<16x8xf32>

// expected-error @below {{state 'w' of entry 'negative_return_old_state' cannot be updated in place}}
func.func @negative_return_old_state(%x: tensor<8xf32>, %idx: tensor<4xi32>, %post: tensor<4xf32>) -> tensor<16x8xf32> {
  %w = ml_program.global_load @w : tensor<16x8xf32>
  %w2 = anima.plastic_update hebb %w[%idx : tensor<4xi32>] post(%post : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
  ml_program.global_store @w = %w2 : tensor<16x8xf32>
  return %w : tensor<16x8xf32>
}

// -----

// Anima ops need the step context of an entry function.

func.func private @negative_no_context(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<4xf32> {
  // expected-error @below {{anima op outside an entry function with a step context; run anima-externalize-state first}}
  // expected-error @below {{failed to bufferize op}}
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  return %y : tensor<4xf32>
}

// -----

// A microkernel symbol declared with another signature.

func.func private @anima_uk_gather_matvec(i32)

func.func @negative_wrong_declaration(%w: tensor<16x8xf32>, %idx: tensor<4xi32>, %x: tensor<8xf32>) -> tensor<4xf32> {
  // expected-error @below {{microkernel 'anima_uk_gather_matvec' is declared with type '(i32) -> ()', expected '(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr) -> ()'}}
  // expected-error @below {{failed to bufferize op}}
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
  return %y : tensor<4xf32>
}
