// RUN: anima-opt %s --anima-gpu-host-scalars --split-input-file | FileCheck %s --check-prefix=SCALARS
// RUN: anima-opt %s --anima-gpu-sink-views --split-input-file | FileCheck %s --check-prefix=VIEWS

// Scalar work between kernels moves into a one-invocation kernel, with the
// loads and arithmetic it needs.
// SCALARS-LABEL: func.func @rate
// SCALARS:       gpu.launch blocks({{.*}}) in ({{.*}} = %{{.*}}, {{.*}}) threads
// SCALARS:         %[[N:.+]] = memref.load %arg0[%{{.+}}] : memref<1xf32>
// SCALARS:         %[[S:.+]] = math.sqrt
// SCALARS:         memref.store %{{.+}}, %arg1[] : memref<f32>
// SCALARS:         gpu.terminator
// SCALARS-NOT:   memref.store
func.func @rate(%n: memref<1xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  %v = memref.load %n[%c0] : memref<1xf32>
  %p = arith.addf %v, %one : f32
  %s = math.sqrt %p : f32
  %r = arith.divf %one, %s : f32
  memref.store %r, %out[] : memref<f32>
  return
}

// -----

// A load whose buffer a later op may write before the store stays put.
// SCALARS-LABEL: func.func @clobbered
// SCALARS-NOT:   gpu.launch
func.func @clobbered(%n: memref<1xf32>, %out: memref<f32>, %other: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %v = memref.load %n[%c0] : memref<1xf32>
  memref.copy %other, %n : memref<1xf32> to memref<1xf32>
  memref.store %v, %out[] : memref<f32>
  return
}

// -----

// A kernel using a slice binds the whole buffer; the slice is recomputed
// inside it.
// SCALARS-LABEL: func.func @slice
// VIEWS-LABEL: func.func @slice
// VIEWS:       gpu.launch
// VIEWS-NEXT:    %[[V:.+]] = memref.subview %arg0[0, 4] [8, 8] [1, 1]
// VIEWS:         memref.load %[[V]]
func.func @slice(%img: memref<28x28xf32>, %out: memref<8x8xf32>) {
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %view = memref.subview %img[0, 4] [8, 8] [1, 1] : memref<28x28xf32> to memref<8x8xf32, strided<[28, 1], offset: 4>>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %view[%tx, %c4] : memref<8x8xf32, strided<[28, 1], offset: 4>>
    memref.store %v, %out[%tx, %tx] : memref<8x8xf32>
    gpu.terminator
  }
  return
}
