#!/usr/bin/env python3
"""Writes model.mlir, the living Fashion-MNIST classifier of this demo.

The model is 36 local populations, each a fixed random expansion of one 8x8
image patch, a k-WTA with boosting and a softmax-delta readout; unrolled
because every state-updating anima op must sit at the top level of @step
(and linalg.matvec reaches the microkernel only on whole state tensors, not
on slices of a shared one). Edit the constants here, then run

    python3 examples/fashion-online/gen_model.py > examples/fashion-online/model.mlir
"""

import sys

# Patches: SIZE x SIZE pixels every STRIDE pixels -> GRID x GRID patches.
SIZE, STRIDE = 8, 4
GRID = (28 - SIZE) // STRIDE + 1  # 6
PATCH = SIZE * SIZE  # 64 inputs per population
UNITS, ACTIVE = 512, 25  # units per population, k-WTA winners (4.9%)
CLASSES = 10
BOOST, PERIOD = 30.0, 1000.0  # kwta boosting strength, duty-cycle period
ETA = 0.11  # readout learning rate at step 0
DECAY = 10000.0  # learning rate eta / sqrt(1 + n / DECAY) after n samples


def fmt(v):
    return repr(float(v))


def main():
    pops = [(r, c) for r in range(GRID) for c in range(GRID)]
    name = lambda rc: f"{rc[0]}_{rc[1]}"
    g, b = [], []  # globals, body of @step
    w = b.append

    # ---- state -------------------------------------------------------------
    g.append("// Running mean of the pixels (784 x 1: learned by the delta rule")
    g.append("// from the constant input 1, rate 1/(n+1): the exact stream mean).")
    g.append("ml_program.global private mutable @pixel_mean(dense<0.0> : "
             "tensor<784x1xf32>) : tensor<784x1xf32>")
    g.append("// Samples learned so far (a 1x1 memory that adds 1 per step, scaled")
    g.append("// by the plasticity like every update; it drives the schedules).")
    g.append("ml_program.global private mutable @samples(dense<0.0> : "
             "tensor<1x1xf32>) : tensor<1x1xf32>")
    g.append(f"// Per patch: fixed random projection {PATCH} -> {UNITS}, duty "
             f"cycles, readout ({UNITS} x {CLASSES}, one row per unit).")
    for i, rc in enumerate(pops):
        n = name(rc)
        g.append(f"ml_program.global private mutable @proj_{n}(#anima.random_normal"
                 f"<seed = {i + 1}, mean = 0.0, stddev = {fmt(PATCH ** -0.5)}>) : "
                 f"tensor<{UNITS}x{PATCH}xf32>")
        g.append(f"ml_program.global private mutable @duty_{n}(dense<"
                 f"{fmt(ACTIVE / UNITS)}> : tensor<{UNITS}xf32>) : tensor<{UNITS}xf32>")
        g.append(f"ml_program.global private mutable @readout_{n}(dense<0.0> : "
                 f"tensor<{UNITS}x{CLASSES}xf32>) : tensor<{UNITS}x{CLASSES}xf32>")

    # ---- step --------------------------------------------------------------
    w("  // Centre the input with the mean of the samples seen before this one.")
    w("  %mean2 = ml_program.global_load @pixel_mean : tensor<784x1xf32>")
    w("  %mean = tensor.collapse_shape %mean2 [[0, 1]] : tensor<784x1xf32> "
      "into tensor<784xf32>")
    w("  %x = arith.subf %pixels, %mean : tensor<784xf32>")
    w("  %img = tensor.expand_shape %x [[0, 1]] output_shape [28, 28] : "
      "tensor<784xf32> into tensor<28x28xf32>")
    w("  %zero = arith.constant 0.0 : f32")
    w(f"  %empty = tensor.empty() : tensor<{UNITS}xf32>")
    w(f"  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<{UNITS}xf32>) "
      f"-> tensor<{UNITS}xf32>")
    w(f"  %patch_empty = tensor.empty() : tensor<{SIZE}x{SIZE}xf32>")
    vs = f"tensor<{UNITS}xf32>"
    for rc in pops:
        n = name(rc)
        r0, c0 = rc[0] * STRIDE, rc[1] * STRIDE
        w("")
        w(f"  // Patch ({n.replace('_', ', ')}): rows {r0}..{r0 + SIZE - 1}, "
          f"columns {c0}..{c0 + SIZE - 1}.")
        w(f"  %proj_{n} = ml_program.global_load @proj_{n} : "
          f"tensor<{UNITS}x{PATCH}xf32>")
        w(f"  %duty_{n} = ml_program.global_load @duty_{n} : {vs}")
        w(f"  %readout_{n} = ml_program.global_load @readout_{n} : "
          f"tensor<{UNITS}x{CLASSES}xf32>")
        w(f"  %slice_{n} = tensor.extract_slice %img[{r0}, {c0}] [{SIZE}, {SIZE}] "
          f"[1, 1] : tensor<28x28xf32> to tensor<{SIZE}x{SIZE}xf32>")
        w(f"  %copy_{n} = linalg.copy ins(%slice_{n} : tensor<{SIZE}x{SIZE}xf32>) "
          f"outs(%patch_empty : tensor<{SIZE}x{SIZE}xf32>) -> "
          f"tensor<{SIZE}x{SIZE}xf32>")
        w(f"  %in_{n} = tensor.collapse_shape %copy_{n} [[0, 1]] : "
          f"tensor<{SIZE}x{SIZE}xf32> into tensor<{PATCH}xf32>")
        w(f"  %u_{n} = linalg.matvec ins(%proj_{n}, %in_{n} : "
          f"tensor<{UNITS}x{PATCH}xf32>, tensor<{PATCH}xf32>) outs(%acc : {vs}) "
          f"-> {vs}")
        w(f"  %idx_{n}, %val_{n}, %duty2_{n} = anima.kwta %u_{n}, k = {ACTIVE}, "
          f"binary, duty(%duty_{n} : {vs}) {{beta = {fmt(BOOST)} : f32, "
          f"period = {fmt(PERIOD)} : f32}} : {vs}")
        w(f"  %logits_{n} = anima.sparse_matvec %readout_{n}[%idx_{n}], %val_{n} : "
          f"tensor<{UNITS}x{CLASSES}xf32>, tensor<{ACTIVE}xi32>, "
          f"tensor<{ACTIVE}xf32>")

    w("")
    w("  // Logits: the sum over all patches (computed before any learning).")
    total = f"%logits_{name(pops[0])}"
    for i, rc in enumerate(pops[1:], 1):
        w(f"  %sum{i} = arith.addf {total}, %logits_{name(rc)} : "
          f"tensor<{CLASSES}xf32>")
        total = f"%sum{i}"

    w("")
    w("  // Learn. Samples seen so far: n (read before this step adds 1).")
    w("  %samples = ml_program.global_load @samples : tensor<1x1xf32>")
    w("  %one = arith.constant dense<1.0> : tensor<1xf32>")
    w("  %n1, %samples2 = anima.fused_mem_step %samples, %one, %one "
      "{alpha = 1.0 : f32, beta = 1.0 : f32, gamma = 0.0 : f32} : "
      "tensor<1x1xf32>, tensor<1xf32>, tensor<1xf32>")
    w("  %c0 = arith.constant 0 : index")
    w("  %n = tensor.extract %n1[%c0] : tensor<1xf32>")
    w("  %f1 = arith.constant 1.0 : f32")
    w("  // Running mean: mean += (pixels - mean) / (n + 1).")
    w("  %np1 = arith.addf %n, %f1 : f32")
    w("  %mean_rate = arith.divf %f1, %np1 : f32")
    w("  %mean_mod = tensor.from_elements %mean_rate : tensor<f32>")
    w("  %mean2_new = anima.plastic_update delta %mean2 post(%mean : "
      "tensor<784xf32>) pre(%one : tensor<1xf32>) target(%pixels : "
      "tensor<784xf32>) mod(%mean_mod : tensor<f32>) {eta = 1.0 : f32} : "
      "tensor<784x1xf32>")
    w(f"  // Readout learning-rate schedule: 1 / sqrt(1 + n / {DECAY:g}).")
    w(f"  %inv_decay = arith.constant {fmt(1.0 / DECAY)} : f32")
    w("  %t = arith.mulf %n, %inv_decay : f32")
    w("  %t1 = arith.addf %t, %f1 : f32")
    w("  %sqrt_t1 = math.sqrt %t1 : f32")
    w("  %rate = arith.divf %f1, %sqrt_t1 : f32")
    w("  %rate_mod = tensor.from_elements %rate : tensor<f32>")
    for rc in pops:
        n = name(rc)
        w(f"  %readout2_{n} = anima.plastic_update softmax_delta "
          f"%readout_{n}[%idx_{n} : tensor<{ACTIVE}xi32>] post({total} : "
          f"tensor<{CLASSES}xf32>) pre(%val_{n} : tensor<{ACTIVE}xf32>) "
          f"target(%target : tensor<{CLASSES}xf32>) mod(%rate_mod : tensor<f32>) "
          f"{{eta = {fmt(ETA)} : f32, pre_major}} : tensor<{UNITS}x{CLASSES}xf32>")

    w("")
    w("  ml_program.global_store @pixel_mean = %mean2_new : tensor<784x1xf32>")
    w("  ml_program.global_store @samples = %samples2 : tensor<1x1xf32>")
    for rc in pops:
        n = name(rc)
        w(f"  ml_program.global_store @duty_{n} = %duty2_{n} : {vs}")
        w(f"  ml_program.global_store @readout_{n} = %readout2_{n} : "
          f"tensor<{UNITS}x{CLASSES}xf32>")
    w(f"  return {total} : tensor<{CLASSES}xf32>")

    out = sys.stdout
    out.write(f"""\
// Living Fashion-MNIST classifier: learns online while it classifies.
//
// GENERATED by gen_model.py (same folder); edit that script, not this file.
//
// {GRID * GRID} local populations, one per {SIZE}x{SIZE} patch of the centred \
image
// (stride {STRIDE}, a {GRID}x{GRID} grid). Each: a fixed seeded random \
projection
// {PATCH} -> {UNITS}, k-WTA keeping {ACTIVE} winners ({100 * ACTIVE / UNITS:.1f}%, \
binary code, boosting by
// duty cycles so every unit gets used), and a softmax-delta readout stored
// one row per unit (pre_major), so reading and learning touch only the
// winners' rows. The logits are the sum over the populations; every readout
// learns from the same softmax error (joint softmax regression on the sparse
// code). The readout rate decays as 1/sqrt(1 + n/{DECAY:g}); the input mean is
// learned in the model. All learning is scaled by the runtime's plasticity:
// at 0 the model is frozen and no state changes.
//
// @step(pixels in [0, 1], one-hot target) returns the logits computed
// before learning from the target (test-then-train).

""")
    out.write("\n".join(g) + "\n\n")
    out.write("func.func @step(%pixels: tensor<784xf32> {anima.name = \"pixels\"},\n"
              "                %target: tensor<10xf32> {anima.name = \"target\"})\n"
              "    -> tensor<10xf32> {\n")
    out.write("\n".join(b) + "\n}\n")


if __name__ == "__main__":
    main()
