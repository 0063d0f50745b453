//===- E2EHarness.h - compiled step vs reference kernels --------*- C++ -*-===//
//
// Runs a compiled artifact through the runtime C API and a C++ model built
// from the reference kernels side by side, step by step, and compares every
// output and every state tensor after every step (whole trajectories).
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_TESTS_E2E_E2EHARNESS_H
#define ANIMA_TESTS_E2E_E2EHARNESS_H

#include "anima/runtime/anima.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace anima::e2e {

/// A dense tensor of f32 or i32 values (one of the vectors is used).
struct Tensor {
  std::vector<float> f;
  std::vector<int32_t> i;
  bool isInt = false;

  static Tensor floats(std::vector<float> values) {
    Tensor t;
    t.f = std::move(values);
    return t;
  }
  static Tensor ints(std::vector<int32_t> values) {
    Tensor t;
    t.i = std::move(values);
    t.isInt = true;
    return t;
  }
};
using Tensors = std::vector<Tensor>;

/// A model written with the reference kernels: its state by name, and one
/// step that updates the state and returns the outputs.
class ReferenceModel {
public:
  virtual ~ReferenceModel() = default;
  /// Runs one step of inference and learning with learning scaled by
  /// `plasticity` (the runtime's knob; 1 = as compiled).
  virtual Tensors step(const Tensors &inputs) = 0;
  /// The state tensors, by manifest name.
  std::map<std::string, std::vector<float>> state;
};

/// Produces the inputs of step `t`.
using InputGenerator = std::function<Tensors(std::mt19937 &rng, int t)>;

/// Uniform values in [lo, hi).
std::vector<float> uniform(std::mt19937 &rng, size_t n, float lo = -1.0f,
                           float hi = 1.0f);
/// A one-hot vector of `n` entries with a random hot index.
std::vector<float> oneHot(std::mt19937 &rng, size_t n);

/// Tolerances of a trajectory comparison: |compiled - reference| must stay
/// within atol + rtol * |reference|.
struct Tolerance {
  float atol = 1e-5f;
  float rtol = 1e-4f;
};

/// Path of a compiled test artifact, e.g. artifactPath("plastic", true).
std::string artifactPath(const std::string &model, bool fused);

/// Opens `path` on `backend` and fails the test if that fails.
void openModel(const std::string &path, anima::Model *model,
               const char *backend = "cpu");

/// Runs one compiled step; returns its status and fills `outputs`.
anima::Status compiledStep(anima::Model &model, const Tensors &inputs,
                           Tensors *outputs);

/// Reads state tensor `name` of the compiled model.
std::vector<float> compiledState(anima::Model &model, const std::string &name);

/// Runs `steps` steps on both and compares outputs and states after each
/// one; first checks that the compiled initial state equals the reference's.
/// Returns the largest absolute difference seen.
float compareTrajectories(const std::string &artifact, ReferenceModel &ref,
                          const InputGenerator &inputs, int steps,
                          Tolerance tolerance = {},
                          const char *backend = "cpu");

} // namespace anima::e2e

#endif // ANIMA_TESTS_E2E_E2EHARNESS_H
