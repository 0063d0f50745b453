// The whole CPU pipeline, with and without fusion, and its three stages run
// one after the other (which gives the same module as the whole pipeline).

// RUN: anima-opt %s --anima-cpu-pipeline | FileCheck %s --check-prefixes=CHECK,FUSED
// RUN: anima-opt %s --anima-cpu-pipeline=fusion=false | FileCheck %s --check-prefixes=CHECK,UNFUSED
// RUN: anima-opt %s --anima-cpu-pipeline | FileCheck %s --check-prefix=LLVM-ONLY
// RUN: anima-opt %s --anima-cpu-pipeline=fusion=false | FileCheck %s --check-prefix=LLVM-ONLY

// RUN: anima-opt %s --anima-cpu-prepare | FileCheck %s --check-prefixes=PREPARE,PREPARE-FUSED
// RUN: anima-opt %s --anima-cpu-prepare=fusion=false | FileCheck %s --check-prefixes=PREPARE,PREPARE-UNFUSED
// RUN: anima-opt %s --anima-cpu-prepare | anima-opt --anima-cpu-bufferize | FileCheck %s --check-prefix=BUFFERIZE
// RUN: anima-opt %s --anima-cpu-prepare | anima-opt --anima-cpu-bufferize \
// RUN:   | anima-opt --anima-cpu-lower-to-llvm | FileCheck %s --check-prefixes=CHECK,FUSED

// A small composed model: k-WTA with boosting picks 4 of 32 units; their
// rows of @w are read and learn by Oja's rule; the code reads and then writes
// an associative memory. A second entry only reads.

ml_program.global private mutable @w(#anima.random_uniform<seed = 7, low = -0.1, high = 0.1>) : tensor<32x8xf32>
ml_program.global private mutable @duty(dense<0.125> : tensor<32xf32>) : tensor<32xf32>
ml_program.global private mutable @mem(dense<0.0> : tensor<8x32xf32>) : tensor<8x32xf32>

func.func @step(%x: tensor<8xf32>, %u: tensor<32xf32>, %v: tensor<8xf32>) -> (tensor<4xf32>, tensor<8xf32>) {
  %w = ml_program.global_load @w : tensor<32x8xf32>
  %d = ml_program.global_load @duty : tensor<32xf32>
  %m = ml_program.global_load @mem : tensor<8x32xf32>
  %idx, %val, %d2 = anima.kwta %u, k = 4, binary, duty(%d : tensor<32xf32>) {beta = 1.0 : f32, period = 50.0 : f32} : tensor<32xf32>
  %y = anima.gather_matvec %w[%idx], %x : tensor<32x8xf32>, tensor<4xi32>, tensor<8xf32>
  %w2 = anima.plastic_update oja %w[%idx : tensor<4xi32>] post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<32x8xf32>
  %r = anima.mem_read %m, %val[%idx : tensor<4xi32>] : tensor<8x32xf32>, tensor<4xf32>
  %m2 = anima.mem_write %m, %val[%idx : tensor<4xi32>], %v {alpha = 0.5 : f32, beta = 1.0 : f32, normalize_key} : tensor<8x32xf32>, tensor<4xf32>, tensor<8xf32>
  ml_program.global_store @w = %w2 : tensor<32x8xf32>
  ml_program.global_store @duty = %d2 : tensor<32xf32>
  ml_program.global_store @mem = %m2 : tensor<8x32xf32>
  return %y, %r : tensor<4xf32>, tensor<8xf32>
}

func.func @infer(%x: tensor<8xf32>, %idx: tensor<4xi32>) -> tensor<4xf32> {
  %w = ml_program.global_load @w : tensor<32x8xf32>
  %y = anima.gather_matvec %w[%idx], %x : tensor<32x8xf32>, tensor<4xi32>, tensor<8xf32>
  %zero = arith.constant dense<0.0> : tensor<4xf32>
  %relu = arith.maximumf %y, %zero : tensor<4xf32>
  return %relu : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// Whole pipeline (and the three stages in sequence): LLVM dialect only.
//===----------------------------------------------------------------------===//

// The state list survives for the artifact writer.
// CHECK:       module attributes {anima.states = [{guard = "journal", init = #anima.random_uniform<seed = 7, low = -1.000000e-01, high = 1.000000e-01>, mutable = true, name = "w", type = tensor<32x8xf32>}, {guard = "journal", init = dense<1.250000e-01> : tensor<32xf32>, mutable = true, name = "duty", type = tensor<32xf32>}, {guard = "journal", init = dense<0.000000e+00> : tensor<8x32xf32>, mutable = true, name = "mem", type = tensor<8x32xf32>}]} {

// Microkernel declarations.
// CHECK-DAG:     llvm.func @anima_uk_kwta(!llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64, i32, f32, f32, f32, !llvm.ptr, !llvm.ptr)
// CHECK-DAG:     llvm.func @anima_uk_gather_matvec(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr)
// FUSED-DAG:     llvm.func @anima_uk_rows_dot(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr)
// FUSED-DAG:     llvm.func @anima_uk_rows_update(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, f32, f32, f32)
// FUSED-DAG:     llvm.func @anima_uk_fused_mem_step(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, f32, f32, f32, i32, !llvm.ptr)
// UNFUSED-DAG:   llvm.func @anima_uk_plastic_update(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, i32, f32, f32, f32)
// UNFUSED-DAG:   llvm.func @anima_uk_mem_read(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr)
// UNFUSED-DAG:   llvm.func @anima_uk_mem_write(!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, f32, f32, f32, i32)

// The entry takes only pointers (bare-pointer memrefs): context, states,
// inputs, outputs; its state results are gone and it is internal.
// CHECK-LABEL: llvm.func internal @step(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr,
// CHECK-SAME:    %[[W:[^:]+]]: !llvm.ptr, %[[DUTY:[^:]+]]: !llvm.ptr, %[[MEM:[^:]+]]: !llvm.ptr,
// CHECK-SAME:    %[[X:[^:]+]]: !llvm.ptr, %[[U:[^:]+]]: !llvm.ptr, %[[V:[^:]+]]: !llvm.ptr,
// CHECK-SAME:    %[[OUT_Y:[^:]+]]: !llvm.ptr, %[[OUT_R:[^:]+]]: !llvm.ptr)
// CHECK-SAME:    attributes {anima.entry_point = {index_bounds = [0, 0, 0], inputs = [tensor<8xf32>, tensor<32xf32>, tensor<8xf32>], journal_bytes = 2144 : i64, name = "step", outputs = [tensor<4xf32>, tensor<8xf32>]}} {
// CHECK:         %[[U_INT:.+]] = llvm.ptrtoint %[[U]] : !llvm.ptr to i64
// CHECK-NEXT:    %[[U_PTR:.+]] = llvm.inttoptr %[[U_INT]] : i64 to !llvm.ptr
// CHECK-NEXT:    %[[DUTY_INT:.+]] = llvm.ptrtoint %[[DUTY]] : !llvm.ptr to i64
// CHECK-NEXT:    %[[DUTY_PTR:.+]] = llvm.inttoptr %[[DUTY_INT]] : i64 to !llvm.ptr
// CHECK:         llvm.call @anima_uk_kwta(%[[CTX]], %[[U_PTR]], %{{.+}}, %[[DUTY_PTR]], %{{.+}}) : (!llvm.ptr, !llvm.ptr, i64, !llvm.ptr, i64, i32, f32, f32, f32, !llvm.ptr, !llvm.ptr) -> ()
// CHECK:         %[[W_INT:.+]] = llvm.ptrtoint %[[W]] : !llvm.ptr to i64
// CHECK-NEXT:    %[[W_PTR:.+]] = llvm.inttoptr %[[W_INT]] : i64 to !llvm.ptr

// Fused: one visit of the active rows, one pass over the memory's columns.
// FUSED-NOT:     llvm.call @anima_uk_gather_matvec
// FUSED:         llvm.call @anima_uk_rows_dot(%[[CTX]], %[[W_PTR]], %{{.+}}) : (!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr) -> ()
// FUSED-NEXT:    llvm.call @anima_uk_rows_update(%[[CTX]], %[[W_PTR]], %{{.+}}) : (!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, i64, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, i32, f32, f32, f32) -> ()
// FUSED-NOT:     llvm.call @anima_uk_plastic_update
// FUSED-NOT:     llvm.call @anima_uk_mem_read
// FUSED:         %[[MEM_INT:.+]] = llvm.ptrtoint %[[MEM]] : !llvm.ptr to i64
// FUSED-NEXT:    %[[MEM_PTR:.+]] = llvm.inttoptr %[[MEM_INT]] : i64 to !llvm.ptr
// FUSED:         llvm.call @anima_uk_fused_mem_step(%[[CTX]], %[[MEM_PTR]], %{{.+}}) : (!llvm.ptr, !llvm.ptr, i64, i64, !llvm.ptr, !llvm.ptr, i64, !llvm.ptr, f32, f32, f32, i32, !llvm.ptr) -> ()
// FUSED-NOT:     llvm.call @anima_uk_mem_write

// Unfused: each op calls its own microkernel.
// UNFUSED-NOT:   llvm.call @anima_uk_rows_dot
// UNFUSED:       llvm.call @anima_uk_gather_matvec(%[[CTX]], %[[W_PTR]], %{{.+}})
// UNFUSED:       %[[W_INT2:.+]] = llvm.ptrtoint %[[W]] : !llvm.ptr to i64
// UNFUSED-NEXT:  %[[W_PTR2:.+]] = llvm.inttoptr %[[W_INT2]] : i64 to !llvm.ptr
// UNFUSED:       llvm.call @anima_uk_plastic_update(%[[CTX]], %[[W_PTR2]], %{{.+}})
// UNFUSED:       %[[MEM_INT:.+]] = llvm.ptrtoint %[[MEM]] : !llvm.ptr to i64
// UNFUSED-NEXT:  %[[MEM_PTR:.+]] = llvm.inttoptr %[[MEM_INT]] : i64 to !llvm.ptr
// UNFUSED:       llvm.call @anima_uk_mem_read(%[[CTX]], %[[MEM_PTR]], %{{.+}})
// UNFUSED:       %[[MEM_INT2:.+]] = llvm.ptrtoint %[[MEM]] : !llvm.ptr to i64
// UNFUSED-NEXT:  %[[MEM_PTR2:.+]] = llvm.inttoptr %[[MEM_INT2]] : i64 to !llvm.ptr
// UNFUSED:       llvm.call @anima_uk_mem_write(%[[CTX]], %[[MEM_PTR2]], %{{.+}})
// UNFUSED-NOT:   llvm.call @anima_uk_fused_mem_step

// The outputs are copied into the out-parameters; the state is not.
// CHECK-NOT:     "llvm.intr.memcpy"(%[[W]]
// CHECK-NOT:     "llvm.intr.memcpy"(%[[DUTY]]
// CHECK-NOT:     "llvm.intr.memcpy"(%[[MEM]]
// CHECK:         "llvm.intr.memcpy"(%[[OUT_Y]], %{{.+}}, %{{.+}}) <{isVolatile = false}>
// CHECK:         "llvm.intr.memcpy"(%[[OUT_R]], %{{.+}}, %{{.+}}) <{isVolatile = false}>
// CHECK-NEXT:    llvm.return{{$}}

// The read-only entry: the relu is a loop in the LLVM dialect.
// CHECK-LABEL: llvm.func internal @infer(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr, %[[W:[^:]+]]: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr,
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %[[OUT:[^:]+]]: !llvm.ptr)
// CHECK-SAME:    attributes {anima.entry_point = {index_bounds = [0, 32], inputs = [tensor<8xf32>, tensor<4xi32>], journal_bytes = 0 : i64, name = "infer", outputs = [tensor<4xf32>]}} {
// CHECK:         llvm.call @anima_uk_gather_matvec(%[[CTX]],
// CHECK:         llvm.intr.maximum
// CHECK:         "llvm.intr.memcpy"(%[[OUT]],
// CHECK-NEXT:    llvm.return{{$}}

// The exported ABI: one wrapper per entry loading its 8 (3 states, 3 inputs,
// 2 outputs) and 6 (3 states, 2 inputs, 1 output) buffer pointers.
// CHECK-LABEL: llvm.func @anima_entry_step(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr, %[[BUFS:[^:]+]]: !llvm.ptr) {
// CHECK-NEXT:    %[[B0:.+]] = llvm.load %[[BUFS]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[S1:.+]] = llvm.getelementptr %[[BUFS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B1:.+]] = llvm.load %[[S1]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[S2:.+]] = llvm.getelementptr %[[BUFS]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B2:.+]] = llvm.load %[[S2]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[S3:.+]] = llvm.getelementptr %[[BUFS]][3] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B3:.+]] = llvm.load %[[S3]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[S4:.+]] = llvm.getelementptr %[[BUFS]][4] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B4:.+]] = llvm.load %[[S4]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[S5:.+]] = llvm.getelementptr %[[BUFS]][5] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B5:.+]] = llvm.load %[[S5]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[S6:.+]] = llvm.getelementptr %[[BUFS]][6] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B6:.+]] = llvm.load %[[S6]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[S7:.+]] = llvm.getelementptr %[[BUFS]][7] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B7:.+]] = llvm.load %[[S7]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    llvm.call @step(%[[CTX]], %[[B0]], %[[B1]], %[[B2]], %[[B3]], %[[B4]], %[[B5]], %[[B6]], %[[B7]])
// CHECK-NEXT:    llvm.return
// CHECK-NEXT:  }
// CHECK-LABEL: llvm.func @anima_entry_infer(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr, %[[BUFS:[^:]+]]: !llvm.ptr) {
// CHECK-COUNT-5: llvm.getelementptr %[[BUFS]]
// CHECK-NOT:     llvm.getelementptr
// CHECK:         llvm.call @infer(%[[CTX]], %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}) :
// CHECK-LABEL: llvm.func @anima_abi_version() -> i32 {
// CHECK-NEXT:    %[[VERSION:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    llvm.return %[[VERSION]] : i32

// Nothing but the LLVM dialect is left.
// LLVM-ONLY-NOT: func.func
// LLVM-ONLY-NOT: memref.
// LLVM-ONLY-NOT: arith.
// LLVM-ONLY-NOT: scf.
// LLVM-ONLY-NOT: cf.
// LLVM-ONLY-NOT: linalg.
// LLVM-ONLY-NOT: ml_program.
// LLVM-ONLY-NOT: bufferization.
// LLVM-ONLY-NOT: unrealized_conversion_cast
// LLVM-ONLY-NOT: {{= anima\.}}

//===----------------------------------------------------------------------===//
// Stage 1, anima-cpu-prepare: state externalized, canonicalized, fused.
//===----------------------------------------------------------------------===//

// PREPARE:               module attributes {anima.states = [
// PREPARE-NOT:           ml_program.global
// PREPARE-LABEL:         func.func @step(
// PREPARE-SAME:            %[[CTX:[^:]+]]: !llvm.ptr {anima.context}, %[[W:[^:]+]]: tensor<32x8xf32> {anima.state = "w"}, %[[DUTY:[^:]+]]: tensor<32xf32> {anima.state = "duty"}, %[[MEM:[^:]+]]: tensor<8x32xf32> {anima.state = "mem"},
// PREPARE-SAME:            %[[X:[^:]+]]: tensor<8xf32>, %[[U:[^:]+]]: tensor<32xf32>, %[[V:[^:]+]]: tensor<8xf32>)
// PREPARE-SAME:            -> (tensor<4xf32>, tensor<8xf32>, tensor<32x8xf32>, tensor<32xf32>, tensor<8x32xf32>)
// PREPARE:                 %[[IDX:.+]], %[[VAL:.+]], %[[DUTY2:.+]] = anima.kwta %[[U]], k = 4, binary, duty(%[[DUTY]] : tensor<32xf32>)
// PREPARE-FUSED-NEXT:      %[[Y:.+]], %[[W2:.+]] = anima.fused_plastic_step oja %[[W]][%[[IDX]] : tensor<4xi32>], %[[X]] pre(%[[X]] : tensor<8xf32>)
// PREPARE-FUSED-NEXT:      ^bb0(%[[D:.+]]: f32):
// PREPARE-FUSED-NEXT:        anima.yield %[[D]] : f32
// PREPARE-FUSED-NEXT:      }
// PREPARE-FUSED-NEXT:      %[[R:.+]], %[[MEM2:.+]] = anima.fused_mem_step %[[MEM]], %[[VAL]][%[[IDX]] : tensor<4xi32>], %[[V]] {alpha = 5.000000e-01 : f32, beta = 1.000000e+00 : f32, normalize_key}
// PREPARE-UNFUSED-NEXT:    %[[Y:.+]] = anima.gather_matvec %[[W]][%[[IDX]]], %[[X]]
// PREPARE-UNFUSED-NEXT:    %[[W2:.+]] = anima.plastic_update oja %[[W]][%[[IDX]] : tensor<4xi32>] post(%[[Y]] : tensor<4xf32>) pre(%[[X]] : tensor<8xf32>)
// PREPARE-UNFUSED-NEXT:    %[[R:.+]] = anima.mem_read %[[MEM]], %[[VAL]][%[[IDX]] : tensor<4xi32>]
// PREPARE-UNFUSED-NEXT:    %[[MEM2:.+]] = anima.mem_write %[[MEM]], %[[VAL]][%[[IDX]] : tensor<4xi32>], %[[V]] {alpha = 5.000000e-01 : f32, beta = 1.000000e+00 : f32, normalize_key}
// PREPARE-NEXT:            return %[[Y]], %[[R]], %[[W2]], %[[DUTY2]], %[[MEM2]] :
// Elementwise tensor ops become linalg.generic (bufferizable).
// PREPARE-LABEL:         func.func @infer(
// PREPARE:                 %[[Y:.+]] = anima.gather_matvec
// PREPARE:                 %[[RELU:.+]] = linalg.generic {{.*}} ins(%[[Y]], %{{.+}} : tensor<4xf32>, tensor<4xf32>) outs(%[[Y]] : tensor<4xf32>)
// PREPARE:                   arith.maximumf
// PREPARE:                 return %[[RELU]], %{{.+}}, %{{.+}}, %{{.+}} :

//===----------------------------------------------------------------------===//
// Stage 2, anima-cpu-bufferize: microkernel calls on memrefs, in place.
//===----------------------------------------------------------------------===//

// BUFFERIZE-LABEL: func.func @step(
// BUFFERIZE-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context}, %[[W:[^:]+]]: memref<32x8xf32> {anima.state = "w"}, %[[DUTY:[^:]+]]: memref<32xf32> {anima.state = "duty"}, %[[MEM:[^:]+]]: memref<8x32xf32> {anima.state = "mem"},
// BUFFERIZE-SAME:    %{{[^:]+}}: memref<8xf32>, %{{[^:]+}}: memref<32xf32>, %{{[^:]+}}: memref<8xf32>, %[[OUT_Y:[^:]+]]: memref<4xf32>, %[[OUT_R:[^:]+]]: memref<8xf32>) attributes
// BUFFERIZE-NOT:     memref.alloc(
// BUFFERIZE-NOT:     memref.alloca(){{.*}}memref<32x8xf32>
// BUFFERIZE-NOT:     memref.alloca(){{.*}}memref<8x32xf32>
// BUFFERIZE:         call @anima_uk_kwta(%[[CTX]],
// BUFFERIZE:         %[[Y:.+]] = memref.alloca() {alignment = 64 : i64} : memref<4xf32>
// BUFFERIZE:         memref.extract_aligned_pointer_as_index %[[W]]
// BUFFERIZE:         call @anima_uk_rows_dot(%[[CTX]],
// BUFFERIZE-NEXT:    call @anima_uk_rows_update(%[[CTX]],
// BUFFERIZE:         %[[R:.+]] = memref.alloca() {alignment = 64 : i64} : memref<8xf32>
// BUFFERIZE:         memref.extract_aligned_pointer_as_index %[[MEM]]
// BUFFERIZE:         call @anima_uk_fused_mem_step(%[[CTX]],
// BUFFERIZE-NEXT:    memref.copy %[[Y]], %[[OUT_Y]] : memref<4xf32> to memref<4xf32>
// BUFFERIZE-NEXT:    memref.copy %[[R]], %[[OUT_R]] : memref<8xf32> to memref<8xf32>
// BUFFERIZE-NEXT:    return{{$}}
// BUFFERIZE-LABEL: func.func @infer(
// BUFFERIZE-SAME:    %{{[^:]+}}: memref<8xf32>, %{{[^:]+}}: memref<4xi32>, %[[OUT:[^:]+]]: memref<4xf32>) attributes
// BUFFERIZE:         %[[Y:.+]] = memref.alloca() {alignment = 64 : i64} : memref<4xf32>
// BUFFERIZE:         call @anima_uk_gather_matvec(
// BUFFERIZE:         linalg.generic {{.*}} outs(%[[Y]] : memref<4xf32>)
// BUFFERIZE:         memref.copy %[[Y]], %[[OUT]] : memref<4xf32> to memref<4xf32>
// BUFFERIZE-NEXT:    return{{$}}
