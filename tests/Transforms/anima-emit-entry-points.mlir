// RUN: anima-opt %s --anima-emit-entry-points -split-input-file -verify-diagnostics | FileCheck %s

// On the LLVM dialect: each entry function (context, then one pointer per
// state, input and output buffer) gets internal linkage and an exported
// `void anima_entry_<name>(ctx, buffers)` that loads the buffer pointers in
// order and calls it; the module exports `uint32_t anima_abi_version()`.

// CHECK-LABEL: llvm.func @anima_uk_rows_dot(!llvm.ptr, !llvm.ptr){{$}}
// CHECK-LABEL: llvm.func internal @step(
// CHECK-SAME:    %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr, %{{[^:]+}}: !llvm.ptr)
// CHECK-SAME:    attributes {anima.entry_point =
// CHECK-LABEL: llvm.func internal @ctx_only(
// CHECK-LABEL: llvm.func @helper(

// CHECK-LABEL: llvm.func @anima_entry_step(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr, %[[BUFS:[^:]+]]: !llvm.ptr) {
// CHECK-NEXT:    %[[SLOT0:.+]] = llvm.getelementptr %[[BUFS]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B0:.+]] = llvm.load %[[SLOT0]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[SLOT1:.+]] = llvm.getelementptr %[[BUFS]][1] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B1:.+]] = llvm.load %[[SLOT1]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    %[[SLOT2:.+]] = llvm.getelementptr %[[BUFS]][2] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK-NEXT:    %[[B2:.+]] = llvm.load %[[SLOT2]] : !llvm.ptr -> !llvm.ptr
// CHECK-NEXT:    llvm.call @step(%[[CTX]], %[[B0]], %[[B1]], %[[B2]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// CHECK-NEXT:    llvm.return
// CHECK-NEXT:  }

// An entry without buffers passes only the context.
// CHECK-LABEL: llvm.func @anima_entry_ctx_only(
// CHECK-SAME:    %[[CTX:[^:]+]]: !llvm.ptr, %{{[^:]+}}: !llvm.ptr) {
// CHECK-NEXT:    llvm.call @ctx_only(%[[CTX]]) : (!llvm.ptr) -> ()
// CHECK-NEXT:    llvm.return

// Only entry functions get a wrapper.
// CHECK-NOT:   llvm.func @anima_entry_helper
// CHECK-NOT:   llvm.func @anima_entry_anima_uk_rows_dot

// CHECK-LABEL: llvm.func @anima_abi_version() -> i32 {
// CHECK-NEXT:    %[[V:.+]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    llvm.return %[[V]] : i32
// CHECK-NEXT:  }

llvm.func @anima_uk_rows_dot(!llvm.ptr, !llvm.ptr)

llvm.func @step(%ctx: !llvm.ptr {anima.context}, %w: !llvm.ptr {anima.state = "w"}, %x: !llvm.ptr, %y: !llvm.ptr) attributes {anima.entry_point = {inputs = [tensor<8xf32>], journal_bytes = 0 : i64, name = "step", outputs = [tensor<4xf32>]}} {
  llvm.call @anima_uk_rows_dot(%ctx, %w) : (!llvm.ptr, !llvm.ptr) -> ()
  llvm.return
}

llvm.func @ctx_only(%ctx: !llvm.ptr {anima.context}) attributes {anima.entry_point = {inputs = [], journal_bytes = 0 : i64, name = "ctx_only", outputs = []}} {
  llvm.return
}

llvm.func @helper(%a: !llvm.ptr) {
  llvm.return
}

// -----

// A module without entry points still reports its ABI version.

// CHECK-NOT:   anima_entry_
// CHECK-LABEL: llvm.func @anima_abi_version() -> i32 {
// CHECK-NEXT:    llvm.mlir.constant(1 : i32) : i32
llvm.func @not_an_entry(%a: !llvm.ptr) {
  llvm.return
}

// -----

// expected-error @below {{entry function 'negative_scalar_param' must take only pointers after lowering (bare-pointer memrefs), got 'i64'}}
llvm.func @negative_scalar_param(%ctx: !llvm.ptr, %n: i64) attributes {anima.entry_point = {inputs = [], journal_bytes = 0 : i64, name = "negative_scalar_param", outputs = []}} {
  llvm.return
}

// -----

// expected-error @below {{entry function 'negative_no_context' must take the step context as its first argument}}
llvm.func @negative_no_context() attributes {anima.entry_point = {inputs = [], journal_bytes = 0 : i64, name = "negative_no_context", outputs = []}} {
  llvm.return
}

// -----

// expected-error @below {{entry function 'negative_result' must return nothing after lowering (outputs are out-parameters), got 'i32'}}
llvm.func @negative_result(%ctx: !llvm.ptr) -> i32 attributes {anima.entry_point = {inputs = [], journal_bytes = 0 : i64, name = "negative_result", outputs = []}} {
  %0 = llvm.mlir.constant(1 : i32) : i32
  llvm.return %0 : i32
}
