// RUN: anima-opt %s | anima-opt | FileCheck %s
// RUN: anima-opt %s --mlir-print-op-generic | anima-opt | FileCheck %s

// Round trip of the anima attributes: the state initializers as
// `ml_program.global` initial values, and the enum attributes written in
// generic form.

//===----------------------------------------------------------------------===//
// random_normal
//===----------------------------------------------------------------------===//

// CHECK-LABEL: ml_program.global private mutable @W(#anima.random_normal<seed = 7, mean = 0.000000e+00, stddev = 5.000000e-02>) : tensor<4096x784xf32>
ml_program.global private mutable @W(#anima.random_normal<seed = 7, mean = 0.0, stddev = 0.05>) : tensor<4096x784xf32>

// Negative mean, zero stddev (a constant), the largest seed.
// CHECK-LABEL: ml_program.global private @normal_const(#anima.random_normal<seed = 18446744073709551615, mean = -1.500000e+00, stddev = 0.000000e+00>) : tensor<8xf32>
ml_program.global private @normal_const(#anima.random_normal<seed = 18446744073709551615, mean = -1.5, stddev = 0.0>) : tensor<8xf32>

// A negative zero stddev is zero, not negative.
// CHECK-LABEL: ml_program.global private @normal_negative_zero(#anima.random_normal<seed = 0, mean = 1.000000e+00, stddev = -0.000000e+00>) : tensor<2x2xf32>
ml_program.global private @normal_negative_zero(#anima.random_normal<seed = 0, mean = 1.0, stddev = -0.0>) : tensor<2x2xf32>

// Hexadecimal parameters are f32 bit patterns (0x3E800000 = 0.25), as for
// `: f32` attributes; decimal ones are rounded to f32.
// CHECK-LABEL: ml_program.global public mutable @normal_hex(#anima.random_normal<seed = 3, mean = 2.500000e-01, stddev = 1.000000e-01>) : tensor<16xf32>
ml_program.global public mutable @normal_hex(#anima.random_normal<seed = 3, mean = 0x3E800000, stddev = 0.1>) : tensor<16xf32>

//===----------------------------------------------------------------------===//
// random_uniform
//===----------------------------------------------------------------------===//

// CHECK-LABEL: ml_program.global private mutable @M(#anima.random_uniform<seed = 1, low = -1.250000e-01, high = 1.250000e-01>) : tensor<64x64xf32>
ml_program.global private mutable @M(#anima.random_uniform<seed = 1, low = -0.125, high = 0.125>) : tensor<64x64xf32>

// CHECK-LABEL: ml_program.global private @uniform_wide(#anima.random_uniform<seed = 42, low = -3.40282347E+38, high = 3.40282347E+38>) : tensor<3xf32>
ml_program.global private @uniform_wide(#anima.random_uniform<seed = 42, low = -3.40282347E+38, high = 3.40282347E+38>) : tensor<3xf32>

// A global with an initializer is loaded like any other.
// CHECK-LABEL: func.func @load_state(
// CHECK:         %[[W:.+]] = ml_program.global_load @W : tensor<4096x784xf32>
// CHECK:         %[[M:.+]] = ml_program.global_load_const @uniform_wide : tensor<3xf32>
// CHECK:         return %[[W]], %[[M]] : tensor<4096x784xf32>, tensor<3xf32>
func.func @load_state() -> (tensor<4096x784xf32>, tensor<3xf32>) {
  %w = ml_program.global_load @W : tensor<4096x784xf32>
  %m = ml_program.global_load_const @uniform_wide : tensor<3xf32>
  return %w, %m : tensor<4096x784xf32>, tensor<3xf32>
}

//===----------------------------------------------------------------------===//
// Enum attributes
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @enum_attrs()
// CHECK-SAME:    decay_orders = [#anima.decay_order<decay_first>, #anima.decay_order<read_first>, #anima.decay_order<read_first>]
// CHECK-SAME:    modes = [#anima<kwta_mode value>, #anima<kwta_mode binary>, #anima<kwta_mode softmax>]
// CHECK-SAME:    rules = [#anima<rule hebb>, #anima<rule oja>, #anima<rule instar>, #anima<rule delta>, #anima<rule softmax_delta>]
func.func @enum_attrs() attributes {
    modes = [#anima<kwta_mode value>, #anima<kwta_mode binary>, #anima<kwta_mode softmax>],
    rules = [#anima<rule hebb>, #anima<rule oja>, #anima<rule instar>, #anima<rule delta>, #anima<rule softmax_delta>],
    decay_orders = [#anima.decay_order<decay_first>, #anima.decay_order<read_first>, #anima<decay_order<read_first>>]} {
  return
}

// The enum properties of the ops, in the generic op form.
// CHECK-LABEL: func.func @enum_properties(
// CHECK:         anima.kwta %{{.+}}, k = 2, value : tensor<4xf32>
// CHECK:         anima.kwta %{{.+}}, k = 2, binary : tensor<4xf32>
// CHECK:         anima.kwta %{{.+}}, k = 2, softmax : tensor<4xf32>
// CHECK:         anima.mem_write %{{.+}}, %{{.+}}, %{{.+}} {beta = 1.000000e+00 : f32} : tensor<4x4xf32>
// CHECK:         anima.mem_write %{{.+}}, %{{.+}}, %{{.+}} {beta = 1.000000e+00 : f32, decay_order = #anima.decay_order<read_first>} : tensor<4x4xf32>
// CHECK:         anima.plastic_update hebb
// CHECK:         anima.plastic_update oja
// CHECK:         anima.plastic_update instar
// CHECK:         anima.plastic_update delta
// CHECK:         anima.plastic_update softmax_delta
func.func @enum_properties(%u: tensor<4xf32>, %S: tensor<4x4xf32>) {
  %0:2 = "anima.kwta"(%u) <{k = 2 : i64, mode = #anima<kwta_mode value>}> : (tensor<4xf32>) -> (tensor<2xi32>, tensor<2xf32>)
  %1:2 = "anima.kwta"(%u) <{k = 2 : i64, mode = #anima<kwta_mode binary>}> : (tensor<4xf32>) -> (tensor<2xi32>, tensor<2xf32>)
  %2:2 = "anima.kwta"(%u) <{k = 2 : i64, mode = #anima<kwta_mode softmax>}> : (tensor<4xf32>) -> (tensor<2xi32>, tensor<2xf32>)
  %3 = "anima.mem_write"(%S, %u, %u) <{beta = 1.0 : f32, decay_order = #anima.decay_order<decay_first>}> : (tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %4 = "anima.mem_write"(%S, %u, %u) <{beta = 1.0 : f32, decay_order = #anima.decay_order<read_first>}> : (tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %5 = "anima.plastic_update"(%S, %u, %u) <{eta = 1.0 : f32, operandSegmentSizes = array<i32: 1, 0, 1, 1, 0, 0>, rule = #anima<rule hebb>}> : (tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %6 = "anima.plastic_update"(%S, %u, %u) <{eta = 1.0 : f32, operandSegmentSizes = array<i32: 1, 0, 1, 1, 0, 0>, rule = #anima<rule oja>}> : (tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %7 = "anima.plastic_update"(%S, %u, %u) <{eta = 1.0 : f32, operandSegmentSizes = array<i32: 1, 0, 1, 1, 0, 0>, rule = #anima<rule instar>}> : (tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %8 = "anima.plastic_update"(%S, %u, %u, %u) <{eta = 1.0 : f32, operandSegmentSizes = array<i32: 1, 0, 1, 1, 1, 0>, rule = #anima<rule delta>}> : (tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  %9 = "anima.plastic_update"(%S, %u, %u, %u) <{eta = 1.0 : f32, operandSegmentSizes = array<i32: 1, 0, 1, 1, 1, 0>, rule = #anima<rule softmax_delta>}> : (tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4x4xf32>
  return
}
