// RUN: anima-opt %s --anima-externalize-state -split-input-file -verify-diagnostics | FileCheck %s

// State globals become entry-point arguments: a leading step context, one
// tensor per global in declaration order, then the original inputs; results
// are the original results followed by the final value of every state. The
// module records the states and each entry function its ABI.

// CHECK: module attributes {anima.states = [
// CHECK-SAME: {guard = "journal", init = dense<0.000000e+00> : tensor<16x5xf32>, mutable = true, name = "w", type = tensor<16x5xf32>},
// CHECK-SAME: {guard = "journal", init = dense<5.000000e-01> : tensor<16xf32>, mutable = true, name = "d", type = tensor<16xf32>},
// CHECK-SAME: {guard = "journal", init = dense<1.000000e+00> : tensor<5xf32>, mutable = false, name = "c", type = tensor<5xf32>}]}
// CHECK-NOT: ml_program.global
// CHECK-LABEL: func.func @step(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr {anima.context},
// CHECK-SAME:    %[[W:[^:]+]]: tensor<16x5xf32> {anima.state = "w"},
// CHECK-SAME:    %[[D:[^:]+]]: tensor<16xf32> {anima.state = "d"},
// CHECK-SAME:    %[[C:[^:]+]]: tensor<5xf32> {anima.state = "c"},
// CHECK-SAME:    %[[X:[^:]+]]: tensor<5xf32>, %[[IDX:[^:]+]]: tensor<3xi32>)
// CHECK-SAME:    -> (tensor<3xf32>, tensor<16x5xf32>, tensor<16xf32>, tensor<5xf32>)
// The journal of a row update: k * (16-byte record header + row bytes padded
// to 8) = 3 * (16 + 24).
// CHECK-SAME:    attributes {anima.entry_point = {index_bounds = [0, 16], inputs = [tensor<5xf32>, tensor<3xi32>], journal_bytes = 120 : i64, name = "step", outputs = [tensor<3xf32>]}}
// CHECK-NOT:     ml_program.global_load
// CHECK:         %[[XC:.+]] = arith.addf %[[X]], %[[C]] : tensor<5xf32>
// CHECK:         %[[Y:.+]] = anima.gather_matvec %[[W]][%[[IDX]]], %[[XC]]
// CHECK:         %[[W2:.+]] = anima.plastic_update hebb %[[W]][%[[IDX]] : tensor<3xi32>] post(%[[Y]] : tensor<3xf32>) pre(%[[XC]] : tensor<5xf32>)
// CHECK-NOT:     ml_program.global_store
// CHECK:         %[[R:.+]] = call @helper(%[[Y]])
// CHECK:         return %[[R]], %[[W2]], %[[D]], %[[C]] : tensor<3xf32>, tensor<16x5xf32>, tensor<16xf32>, tensor<5xf32>

// Private functions are not entry points: untouched.
// CHECK-LABEL: func.func private @helper(
// CHECK-SAME:    %[[A:.+]]: tensor<3xf32>) -> tensor<3xf32> {
// CHECK-NEXT:    return %[[A]] : tensor<3xf32>
// CHECK-LABEL: func.func private @decl(tensor<3xf32>) -> tensor<3xf32>{{$}}

ml_program.global private mutable @w(dense<0.0> : tensor<16x5xf32>) : tensor<16x5xf32>
ml_program.global private mutable @d(dense<0.5> : tensor<16xf32>) : tensor<16xf32>
ml_program.global private @c(dense<1.0> : tensor<5xf32>) : tensor<5xf32>

func.func @step(%x: tensor<5xf32>, %idx: tensor<3xi32>) -> tensor<3xf32> {
  %c = ml_program.global_load_const @c : tensor<5xf32>
  %w = ml_program.global_load @w : tensor<16x5xf32>
  %xc = arith.addf %x, %c : tensor<5xf32>
  %y = anima.gather_matvec %w[%idx], %xc : tensor<16x5xf32>, tensor<3xi32>, tensor<5xf32>
  %w2 = anima.plastic_update hebb %w[%idx : tensor<3xi32>] post(%y : tensor<3xf32>) pre(%xc : tensor<5xf32>) {eta = 0.01 : f32} : tensor<16x5xf32>
  ml_program.global_store @w = %w2 : tensor<16x5xf32>
  %r = call @helper(%y) : (tensor<3xf32>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

func.func private @helper(%a: tensor<3xf32>) -> tensor<3xf32> {
  return %a : tensor<3xf32>
}

func.func private @decl(%a: tensor<3xf32>) -> tensor<3xf32>

// -----

// Loads and stores are replaced in program order: a load after a store sees
// the stored value, and of two stores the last one wins.

// CHECK: module attributes {anima.states = [{guard = "journal", {{.*}}name = "w"{{.*}}}]}
// CHECK-LABEL: func.func @load_after_store(
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr {anima.context}, %[[W:[^:]+]]: tensor<8x4xf32> {anima.state = "w"},
// CHECK-SAME:    %[[X:[^:]+]]: tensor<4xf32>, %[[IDX:[^:]+]]: tensor<2xi32>)
// CHECK:         %[[Y1:.+]] = anima.gather_matvec %[[W]][%[[IDX]]], %[[X]]
// CHECK:         %[[W2:.+]] = anima.plastic_update hebb %[[W]]
// CHECK:         %[[Y2:.+]] = anima.gather_matvec %[[W2]][%[[IDX]]], %[[X]]
// CHECK:         %[[W3:.+]] = anima.plastic_update hebb %[[W2]]
// CHECK:         %[[W4:.+]] = anima.plastic_update oja %[[W3]]
// CHECK:         return %[[Y1]], %[[Y2]], %[[W4]] : tensor<2xf32>, tensor<2xf32>, tensor<8x4xf32>

ml_program.global private mutable @w(dense<0.0> : tensor<8x4xf32>) : tensor<8x4xf32>

func.func @load_after_store(%x: tensor<4xf32>, %idx: tensor<2xi32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %w = ml_program.global_load @w : tensor<8x4xf32>
  %y1 = anima.gather_matvec %w[%idx], %x : tensor<8x4xf32>, tensor<2xi32>, tensor<4xf32>
  %w2 = anima.plastic_update hebb %w[%idx : tensor<2xi32>] post(%y1 : tensor<2xf32>) pre(%x : tensor<4xf32>) {eta = 0.01 : f32} : tensor<8x4xf32>
  ml_program.global_store @w = %w2 : tensor<8x4xf32>
  %w_again = ml_program.global_load @w : tensor<8x4xf32>
  %y2 = anima.gather_matvec %w_again[%idx], %x : tensor<8x4xf32>, tensor<2xi32>, tensor<4xf32>
  %w3 = anima.plastic_update hebb %w_again[%idx : tensor<2xi32>] post(%y2 : tensor<2xf32>) pre(%x : tensor<4xf32>) {eta = 0.01 : f32} : tensor<8x4xf32>
  ml_program.global_store @w = %w3 : tensor<8x4xf32>
  %w4 = anima.plastic_update oja %w3[%idx : tensor<2xi32>] post(%y2 : tensor<2xf32>) pre(%x : tensor<4xf32>) {eta = 0.01 : f32} : tensor<8x4xf32>
  ml_program.global_store @w = %w4 : tensor<8x4xf32>
  return %y1, %y2 : tensor<2xf32>, tensor<2xf32>
}

// -----

// Guards: `journal` when every write of a state goes through anima update
// ops (here a chain of two), `copy` when something else writes it or the
// chain mixes both.

// CHECK: module attributes {anima.states = [
// CHECK-SAME: {guard = "journal", {{.*}}name = "journaled"
// CHECK-SAME: {guard = "copy", {{.*}}name = "arith"
// CHECK-SAME: {guard = "copy", {{.*}}name = "update_then_arith"
// CHECK-SAME: {guard = "copy", {{.*}}name = "arith_then_update"
// CHECK-SAME: {guard = "copy", {{.*}}name = "input"
// CHECK-SAME: {guard = "journal", {{.*}}name = "unwritten"
// CHECK-LABEL: func.func @guards(
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr {anima.context},
// CHECK-SAME:    %[[J:[^:]+]]: tensor<8x4xf32> {anima.state = "journaled"},
// CHECK-SAME:    %[[A:[^:]+]]: tensor<8x4xf32> {anima.state = "arith"},
// CHECK-SAME:    %[[UA:[^:]+]]: tensor<8x4xf32> {anima.state = "update_then_arith"},
// CHECK-SAME:    %[[AU:[^:]+]]: tensor<8x4xf32> {anima.state = "arith_then_update"},
// CHECK-SAME:    %[[IN:[^:]+]]: tensor<8x4xf32> {anima.state = "input"},
// CHECK-SAME:    %[[UN:[^:]+]]: tensor<8x4xf32> {anima.state = "unwritten"},
// CHECK-SAME:    %[[X:[^:]+]]: tensor<4xf32>, %[[IDX:[^:]+]]: tensor<2xi32>, %[[NEW:[^:]+]]: tensor<8x4xf32>)
// CHECK:         %[[J1:.+]] = anima.plastic_update hebb %[[J]]
// CHECK:         %[[J2:.+]] = anima.plastic_update oja %[[J1]]
// CHECK:         %[[A1:.+]] = arith.addf %[[A]], %[[NEW]]
// CHECK:         %[[UA1:.+]] = anima.plastic_update hebb %[[UA]]
// CHECK:         %[[UA2:.+]] = arith.mulf %[[UA1]], %[[NEW]]
// CHECK:         %[[AU1:.+]] = arith.mulf %[[AU]], %[[NEW]]
// CHECK:         %[[AU2:.+]] = anima.plastic_update hebb %[[AU1]]
// CHECK:         return %[[J2]], %[[A1]], %[[UA2]], %[[AU2]], %[[NEW]], %[[UN]] :

ml_program.global private mutable @journaled(dense<0.0> : tensor<8x4xf32>) : tensor<8x4xf32>
ml_program.global private mutable @arith(dense<0.0> : tensor<8x4xf32>) : tensor<8x4xf32>
ml_program.global private mutable @update_then_arith(dense<0.0> : tensor<8x4xf32>) : tensor<8x4xf32>
ml_program.global private mutable @arith_then_update(dense<0.0> : tensor<8x4xf32>) : tensor<8x4xf32>
ml_program.global private mutable @input(dense<0.0> : tensor<8x4xf32>) : tensor<8x4xf32>
ml_program.global private mutable @unwritten(dense<0.0> : tensor<8x4xf32>) : tensor<8x4xf32>

func.func @guards(%x: tensor<4xf32>, %idx: tensor<2xi32>, %new: tensor<8x4xf32>) {
  %post = arith.constant dense<1.0> : tensor<2xf32>
  %j = ml_program.global_load @journaled : tensor<8x4xf32>
  %j1 = anima.plastic_update hebb %j[%idx : tensor<2xi32>] post(%post : tensor<2xf32>) pre(%x : tensor<4xf32>) {eta = 0.01 : f32} : tensor<8x4xf32>
  %j2 = anima.plastic_update oja %j1[%idx : tensor<2xi32>] post(%post : tensor<2xf32>) pre(%x : tensor<4xf32>) {eta = 0.01 : f32} : tensor<8x4xf32>
  ml_program.global_store @journaled = %j2 : tensor<8x4xf32>

  %a = ml_program.global_load @arith : tensor<8x4xf32>
  %a1 = arith.addf %a, %new : tensor<8x4xf32>
  ml_program.global_store @arith = %a1 : tensor<8x4xf32>

  %ua = ml_program.global_load @update_then_arith : tensor<8x4xf32>
  %ua1 = anima.plastic_update hebb %ua[%idx : tensor<2xi32>] post(%post : tensor<2xf32>) pre(%x : tensor<4xf32>) {eta = 0.01 : f32} : tensor<8x4xf32>
  %ua2 = arith.mulf %ua1, %new : tensor<8x4xf32>
  ml_program.global_store @update_then_arith = %ua2 : tensor<8x4xf32>

  %au = ml_program.global_load @arith_then_update : tensor<8x4xf32>
  %au1 = arith.mulf %au, %new : tensor<8x4xf32>
  %au2 = anima.plastic_update hebb %au1[%idx : tensor<2xi32>] post(%post : tensor<2xf32>) pre(%x : tensor<4xf32>) {eta = 0.01 : f32} : tensor<8x4xf32>
  ml_program.global_store @arith_then_update = %au2 : tensor<8x4xf32>

  ml_program.global_store @input = %new : tensor<8x4xf32>
  return
}

// -----

// Journal bytes of one step, per journaling op, and several entry points in
// one module: each gets every state argument in declaration order.

// CHECK: module attributes {anima.states = [{guard = "journal", {{.*}}name = "w"{{.*}}}, {guard = "journal", {{.*}}name = "duty"{{.*}}}, {guard = "journal", {{.*}}name = "mem"{{.*}}}]}

// A dense update journals every row: 16 * (16 + 24).
// CHECK-LABEL: func.func @dense_update(
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr {anima.context}, %[[W:[^:]+]]: tensor<16x5xf32> {anima.state = "w"}, %[[DUTY:[^:]+]]: tensor<10xf32> {anima.state = "duty"}, %[[MEM:[^:]+]]: tensor<8x6xf32> {anima.state = "mem"}, %{{[^:]+}}: tensor<16xf32>, %{{[^:]+}}: tensor<5xf32>)
// CHECK-SAME:    -> (tensor<16x5xf32>, tensor<10xf32>, tensor<8x6xf32>)
// CHECK-SAME:    anima.entry_point = {index_bounds = [0, 0], inputs = [tensor<16xf32>, tensor<5xf32>], journal_bytes = 640 : i64, name = "dense_update", outputs = []}
// CHECK:         %[[W2:.+]] = anima.plastic_update hebb %[[W]] post
// CHECK:         return %[[W2]], %[[DUTY]], %[[MEM]] :
func.func @dense_update(%y: tensor<16xf32>, %x: tensor<5xf32>) {
  %w = ml_program.global_load @w : tensor<16x5xf32>
  %w2 = anima.plastic_update hebb %w post(%y : tensor<16xf32>) pre(%x : tensor<5xf32>) {eta = 0.01 : f32} : tensor<16x5xf32>
  ml_program.global_store @w = %w2 : tensor<16x5xf32>
  return
}

// kwta with duty cycles journals the whole duty vector: 16 + 10 * 4 = 56.
// CHECK-LABEL: func.func @kwta_duty(
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr {anima.context}, %[[W:[^:]+]]: tensor<16x5xf32> {anima.state = "w"}, %[[DUTY:[^:]+]]: tensor<10xf32> {anima.state = "duty"}, %[[MEM:[^:]+]]: tensor<8x6xf32> {anima.state = "mem"}, %[[U:[^:]+]]: tensor<10xf32>)
// CHECK-SAME:    -> (tensor<3xi32>, tensor<16x5xf32>, tensor<10xf32>, tensor<8x6xf32>)
// CHECK-SAME:    anima.entry_point = {index_bounds = [0], inputs = [tensor<10xf32>], journal_bytes = 56 : i64, name = "kwta_duty", outputs = [tensor<3xi32>]}
// CHECK:         %[[IDX:.+]], %{{.+}}, %[[DUTY2:.+]] = anima.kwta %[[U]], k = 3, value, duty(%[[DUTY]] : tensor<10xf32>)
// CHECK:         return %[[IDX]], %[[W]], %[[DUTY2]], %[[MEM]] :
func.func @kwta_duty(%u: tensor<10xf32>) -> tensor<3xi32> {
  %d = ml_program.global_load @duty : tensor<10xf32>
  %idx, %val, %d2 = anima.kwta %u, k = 3, value, duty(%d : tensor<10xf32>) {period = 100.0 : f32} : tensor<10xf32>
  ml_program.global_store @duty = %d2 : tensor<10xf32>
  return %idx : tensor<3xi32>
}

// kwta without duty cycles writes no state.
// CHECK-LABEL: func.func @kwta_no_duty(
// CHECK-SAME:    anima.entry_point = {index_bounds = [0], inputs = [tensor<10xf32>], journal_bytes = 0 : i64, name = "kwta_no_duty", outputs = [tensor<3xi32>]}
func.func @kwta_no_duty(%u: tensor<10xf32>) -> tensor<3xi32> {
  %idx, %val = anima.kwta %u, k = 3, value : tensor<10xf32>
  return %idx : tensor<3xi32>
}

// A dense-key write journals the whole memory: 16 + 8 * 6 * 4 = 208.
// CHECK-LABEL: func.func @mem_write_dense(
// CHECK-SAME:    anima.entry_point = {index_bounds = [0, 0], inputs = [tensor<6xf32>, tensor<8xf32>], journal_bytes = 208 : i64, name = "mem_write_dense", outputs = []}
// CHECK:         %[[MEM2:.+]] = anima.mem_write
// CHECK:         return %{{.+}}, %{{.+}}, %[[MEM2]] :
func.func @mem_write_dense(%k: tensor<6xf32>, %v: tensor<8xf32>) {
  %m = ml_program.global_load @mem : tensor<8x6xf32>
  %m2 = anima.mem_write %m, %k, %v {alpha = 0.5 : f32, beta = 1.0 : f32} : tensor<8x6xf32>, tensor<6xf32>, tensor<8xf32>
  ml_program.global_store @mem = %m2 : tensor<8x6xf32>
  return
}

// A sparse-key write journals at most the whole memory (decay) plus one
// 4-byte record per row and key column: 208 + 8 * 2 * (16 + 8) = 592.
// CHECK-LABEL: func.func @mem_write_sparse(
// CHECK-SAME:    anima.entry_point = {index_bounds = [0, 6, 0], inputs = [tensor<2xf32>, tensor<2xi32>, tensor<8xf32>], journal_bytes = 592 : i64, name = "mem_write_sparse", outputs = []}
func.func @mem_write_sparse(%k: tensor<2xf32>, %kidx: tensor<2xi32>, %v: tensor<8xf32>) {
  %m = ml_program.global_load @mem : tensor<8x6xf32>
  %m2 = anima.mem_write %m, %k[%kidx : tensor<2xi32>], %v {beta = 1.0 : f32} : tensor<8x6xf32>, tensor<2xf32>, tensor<8xf32>
  ml_program.global_store @mem = %m2 : tensor<8x6xf32>
  return
}

// The journal of a step is the sum over its ops: 56 + 2 * (16 + 24) + 208.
// CHECK-LABEL: func.func @sum(
// CHECK-SAME:    journal_bytes = 344 : i64
func.func @sum(%u: tensor<10xf32>, %x: tensor<5xf32>, %k: tensor<6xf32>, %v: tensor<8xf32>) {
  %d = ml_program.global_load @duty : tensor<10xf32>
  %w = ml_program.global_load @w : tensor<16x5xf32>
  %m = ml_program.global_load @mem : tensor<8x6xf32>
  %idx, %val, %d2 = anima.kwta %u, k = 2, binary, duty(%d : tensor<10xf32>) {period = 10.0 : f32} : tensor<10xf32>
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x5xf32>, tensor<2xi32>, tensor<5xf32>
  %w2 = anima.plastic_update oja %w[%idx : tensor<2xi32>] post(%y : tensor<2xf32>) pre(%x : tensor<5xf32>) {eta = 0.01 : f32} : tensor<16x5xf32>
  %m2 = anima.mem_write %m, %k, %v {beta = 1.0 : f32} : tensor<8x6xf32>, tensor<6xf32>, tensor<8xf32>
  ml_program.global_store @duty = %d2 : tensor<10xf32>
  ml_program.global_store @w = %w2 : tensor<16x5xf32>
  ml_program.global_store @mem = %m2 : tensor<8x6xf32>
  return
}

// An entry that touches no state still takes and returns every state.
// CHECK-LABEL: func.func @stateless(
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr {anima.context}, %[[W:[^:]+]]: tensor<16x5xf32> {anima.state = "w"}, %[[DUTY:[^:]+]]: tensor<10xf32> {anima.state = "duty"}, %[[MEM:[^:]+]]: tensor<8x6xf32> {anima.state = "mem"}, %[[A:[^:]+]]: f32)
// CHECK-SAME:    -> (f32, tensor<16x5xf32>, tensor<10xf32>, tensor<8x6xf32>)
// CHECK-SAME:    anima.entry_point = {index_bounds = [0], inputs = [f32], journal_bytes = 0 : i64, name = "stateless", outputs = [f32]}
// CHECK-NEXT:    return %[[A]], %[[W]], %[[DUTY]], %[[MEM]] : f32, tensor<16x5xf32>, tensor<10xf32>, tensor<8x6xf32>
func.func @stateless(%a: f32) -> f32 {
  return %a : f32
}

ml_program.global private mutable @w(dense<0.0> : tensor<16x5xf32>) : tensor<16x5xf32>
ml_program.global private mutable @duty(dense<0.1> : tensor<10xf32>) : tensor<10xf32>
ml_program.global private mutable @mem(dense<0.0> : tensor<8x6xf32>) : tensor<8x6xf32>

// -----

// Fused ops journal like the ops they fuse, and are journaling updates.

// CHECK: module attributes {anima.states = [{guard = "journal", {{.*}}name = "w"{{.*}}}, {guard = "journal", {{.*}}name = "mem"{{.*}}}]}
// 3 * (16 + 24) + 208 + 8 * 2 * (16 + 8)
// CHECK-LABEL: func.func @fused(
// CHECK-SAME:    journal_bytes = 712 : i64
// CHECK:         %{{.+}}, %[[W2:.+]] = anima.fused_plastic_step
// CHECK:         %{{.+}}, %[[MEM2:.+]] = anima.fused_mem_step
// CHECK:         return %{{.+}}, %{{.+}}, %[[W2]], %[[MEM2]] :

ml_program.global private mutable @w(dense<0.0> : tensor<16x5xf32>) : tensor<16x5xf32>
ml_program.global private mutable @mem(dense<0.0> : tensor<8x6xf32>) : tensor<8x6xf32>

func.func @fused(%x: tensor<5xf32>, %idx: tensor<3xi32>, %k: tensor<2xf32>, %kidx: tensor<2xi32>, %v: tensor<8xf32>) -> (tensor<3xf32>, tensor<8xf32>) {
  %w = ml_program.global_load @w : tensor<16x5xf32>
  %m = ml_program.global_load @mem : tensor<8x6xf32>
  %y, %w2 = anima.fused_plastic_step oja %w[%idx : tensor<3xi32>], %x pre(%x : tensor<5xf32>) {eta = 0.01 : f32} : tensor<16x5xf32>, tensor<5xf32> -> tensor<3xf32> {
  ^bb0(%d: f32):
    anima.yield %d : f32
  }
  %o, %m2 = anima.fused_mem_step %m, %k[%kidx : tensor<2xi32>], %v {alpha = 0.9 : f32, beta = 1.0 : f32} : tensor<8x6xf32>, tensor<2xf32>, tensor<8xf32>
  ml_program.global_store @w = %w2 : tensor<16x5xf32>
  ml_program.global_store @mem = %m2 : tensor<8x6xf32>
  return %y, %o : tensor<3xf32>, tensor<8xf32>
}

// -----

// A module without state: entries get only the context.

// CHECK: module attributes {anima.states = []}
// CHECK-LABEL: func.func @no_state(
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr {anima.context}, %[[X:[^:]+]]: tensor<4xf32>) -> tensor<4xf32>
// CHECK-SAME:    anima.entry_point = {index_bounds = [0], inputs = [tensor<4xf32>], journal_bytes = 0 : i64, name = "no_state", outputs = [tensor<4xf32>]}
// CHECK-NEXT:    return %[[X]] : tensor<4xf32>
func.func @no_state(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// expected-error @below {{state 'dynamic' must be a statically shaped tensor of f32 or i32, got 'tensor<?xf32>'}}
ml_program.global private mutable @dynamic : tensor<?xf32>

// -----

// expected-error @below {{state 'half' must be a statically shaped tensor of f32 or i32, got 'tensor<4xf16>'}}
ml_program.global private mutable @half(dense<0.0> : tensor<4xf16>) : tensor<4xf16>

// -----

ml_program.global private mutable @s(dense<0.0> : tensor<4xf32>) : tensor<4xf32>

func.func @negative_load_in_region(%c: i1, %x: tensor<4xf32>) -> tensor<4xf32> {
  %r = scf.if %c -> tensor<4xf32> {
    // expected-error @below {{model state can only be loaded and stored at the top level of a public entry function}}
    %s = ml_program.global_load @s : tensor<4xf32>
    scf.yield %s : tensor<4xf32>
  } else {
    scf.yield %x : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}

// -----

ml_program.global private mutable @s(dense<0.0> : tensor<4xf32>) : tensor<4xf32>

func.func @negative_store_in_region(%c: i1, %x: tensor<4xf32>) {
  scf.if %c {
    // expected-error @below {{model state can only be loaded and stored at the top level of a public entry function}}
    ml_program.global_store @s = %x : tensor<4xf32>
  }
  return
}

// -----

ml_program.global private mutable @s(dense<0.0> : tensor<4xf32>) : tensor<4xf32>

func.func private @negative_load_in_private() -> tensor<4xf32> {
  // expected-error @below {{model state can only be loaded and stored at the top level of a public entry function}}
  %s = ml_program.global_load @s : tensor<4xf32>
  return %s : tensor<4xf32>
}

func.func @step() -> tensor<4xf32> {
  %s = call @negative_load_in_private() : () -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

ml_program.global private mutable @s(dense<0.0> : tensor<4xf32>) : tensor<4xf32>

// expected-error @below {{entry function 'negative_multi_block' must have a single block to hold model state}}
func.func @negative_multi_block(%c: i1) -> tensor<4xf32> {
  %s = ml_program.global_load @s : tensor<4xf32>
  cf.cond_br %c, ^bb1, ^bb2
^bb1:
  return %s : tensor<4xf32>
^bb2:
  %z = arith.constant dense<0.0> : tensor<4xf32>
  return %z : tensor<4xf32>
}

// -----

// Reads in nested regions are fine: they journal nothing.

// CHECK-LABEL: func.func @nested_read(
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr {anima.context}, %[[W:[^:]+]]: tensor<16x8xf32> {anima.state = "w"}, %[[C:[^:]+]]: i1, %[[X:[^:]+]]: tensor<8xf32>, %[[IDX:[^:]+]]: tensor<4xi32>)
// CHECK-SAME:    journal_bytes = 0 : i64
// CHECK:         scf.if %[[C]]
// CHECK-NEXT:      anima.gather_matvec %[[W]][%[[IDX]]], %[[X]]
ml_program.global private mutable @w(dense<0.0> : tensor<16x8xf32>) : tensor<16x8xf32>

func.func @nested_read(%c: i1, %x: tensor<8xf32>, %idx: tensor<4xi32>) -> tensor<4xf32> {
  %w = ml_program.global_load @w : tensor<16x8xf32>
  %y = scf.if %c -> tensor<4xf32> {
    %g = anima.gather_matvec %w[%idx], %x : tensor<16x8xf32>, tensor<4xi32>, tensor<8xf32>
    scf.yield %g : tensor<4xf32>
  } else {
    %z = arith.constant dense<0.0> : tensor<4xf32>
    scf.yield %z : tensor<4xf32>
  }
  return %y : tensor<4xf32>
}

// -----

// An update in a branch would escape the step's journal bound.

ml_program.global private mutable @w(dense<0.0> : tensor<16x8xf32>) : tensor<16x8xf32>

func.func @negative_update_in_branch(%c: i1, %x: tensor<8xf32>, %idx: tensor<4xi32>, %post: tensor<4xf32>) {
  %w = ml_program.global_load @w : tensor<16x8xf32>
  %w2 = scf.if %c -> tensor<16x8xf32> {
    // expected-error @below {{anima ops that update state must be at the top level of entry function 'negative_update_in_branch' (the step's undo journal is sized from them); scale learning with a modulator instead of control flow}}
    %u = anima.plastic_update hebb %w[%idx : tensor<4xi32>] post(%post : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : tensor<16x8xf32>
    scf.yield %u : tensor<16x8xf32>
  } else {
    scf.yield %w : tensor<16x8xf32>
  }
  ml_program.global_store @w = %w2 : tensor<16x8xf32>
  return
}

// -----

// Likewise in a loop body (a duty-cycle update of kwta here).

ml_program.global private mutable @duty(dense<0.0> : tensor<16xf32>) : tensor<16xf32>

func.func @negative_update_in_loop(%u: tensor<16xf32>) {
  %d = ml_program.global_load @duty : tensor<16xf32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %d2 = scf.for %i = %c0 to %c3 step %c1 iter_args(%di = %d) -> tensor<16xf32> {
    // expected-error @below {{anima ops that update state must be at the top level of entry function 'negative_update_in_loop'}}
    %idx, %val, %dn = anima.kwta %u, k = 2, value, duty(%di : tensor<16xf32>) {period = 10.0 : f32} : tensor<16xf32>
    scf.yield %dn : tensor<16xf32>
  }
  ml_program.global_store @duty = %d2 : tensor<16xf32>
  return
}

// -----

// Entry functions get the runtime's signature, so nothing may call them.

ml_program.global private mutable @s(dense<0.0> : tensor<4xf32>) : tensor<4xf32>

func.func @callee(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

func.func @negative_call_entry(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{entry function 'callee' cannot be called (its signature becomes the runtime's ABI); call a private function holding the shared code instead}}
  %r = call @callee(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// index_bounds: an i32 input used directly as indices gets the smallest
// extent it indexes (rows of @w: 16, key columns of @mem: 6 -> 6); an i32
// input that only feeds other ops (here a cast to f32) gets no bound.
// CHECK-LABEL: func.func @index_bounds(
// CHECK-SAME:    anima.entry_point = {index_bounds = [0, 6, 0, 0],
ml_program.global private mutable @w(dense<0.0> : tensor<16x5xf32>) : tensor<16x5xf32>
ml_program.global private mutable @mem(dense<0.0> : tensor<8x6xf32>) : tensor<8x6xf32>

func.func @index_bounds(%x: tensor<5xf32>, %idx: tensor<2xi32>, %v: tensor<8xf32>, %other: tensor<2xi32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %w = ml_program.global_load @w : tensor<16x5xf32>
  %m = ml_program.global_load @mem : tensor<8x6xf32>
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x5xf32>, tensor<2xi32>, tensor<5xf32>
  %m2 = anima.mem_write %m, %y[%idx : tensor<2xi32>], %v {beta = 1.0 : f32} : tensor<8x6xf32>, tensor<2xf32>, tensor<8xf32>
  %f = arith.sitofp %other : tensor<2xi32> to tensor<2xf32>
  ml_program.global_store @mem = %m2 : tensor<8x6xf32>
  return %y, %f : tensor<2xf32>, tensor<2xf32>
}

// -----

// index_bounds follow calls: %idx reaches a gather in a private function
// (rows of @w: 16), %cols a sparse key two calls down (columns of @mem: 6).
// CHECK-LABEL: func.func @index_bounds_through_calls(
// CHECK-SAME:    anima.entry_point = {index_bounds = [0, 16, 6, 0],
ml_program.global private mutable @w(dense<0.0> : tensor<16x5xf32>) : tensor<16x5xf32>
ml_program.global private mutable @mem(dense<0.0> : tensor<8x6xf32>) : tensor<8x6xf32>

func.func private @gather(%w: tensor<16x5xf32>, %idx: tensor<2xi32>, %x: tensor<5xf32>) -> tensor<2xf32> {
  %y = anima.gather_matvec %w[%idx], %x : tensor<16x5xf32>, tensor<2xi32>, tensor<5xf32>
  return %y : tensor<2xf32>
}

func.func private @read(%m: tensor<8x6xf32>, %k: tensor<2xf32>, %cols: tensor<2xi32>) -> tensor<8xf32> {
  %o = anima.mem_read %m, %k[%cols : tensor<2xi32>] : tensor<8x6xf32>, tensor<2xf32>
  return %o : tensor<8xf32>
}

func.func private @outer(%m: tensor<8x6xf32>, %k: tensor<2xf32>, %cols: tensor<2xi32>) -> tensor<8xf32> {
  %o = func.call @read(%m, %k, %cols) : (tensor<8x6xf32>, tensor<2xf32>, tensor<2xi32>) -> tensor<8xf32>
  return %o : tensor<8xf32>
}

func.func @index_bounds_through_calls(%x: tensor<5xf32>, %idx: tensor<2xi32>, %cols: tensor<2xi32>, %k: tensor<2xf32>) -> (tensor<2xf32>, tensor<8xf32>) {
  %w = ml_program.global_load @w : tensor<16x5xf32>
  %m = ml_program.global_load @mem : tensor<8x6xf32>
  %y = func.call @gather(%w, %idx, %x) : (tensor<16x5xf32>, tensor<2xi32>, tensor<5xf32>) -> tensor<2xf32>
  %o = func.call @outer(%m, %k, %cols) : (tensor<8x6xf32>, tensor<2xf32>, tensor<2xi32>) -> tensor<8xf32>
  return %y, %o : tensor<2xf32>, tensor<8xf32>
}
