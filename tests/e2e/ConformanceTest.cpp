//===- ConformanceTest.cpp - compiled step == reference kernels, per backend ===//
//
// Every model in tests/e2e/models is compiled by animac twice (fused and
// --no-fusion), each time for both backends (--target cpu,vulkan), at build
// time. Each test is written once and instantiated for every backend: it
// runs the artifact through the runtime C API next to the same model written
// with the reference kernels and compares all outputs and all state tensors
// after every one of 250 steps. A last suite runs the CPU and the Vulkan
// backends side by side and compares their state trajectories directly.
//
// CPU tolerance (atol 1e-5 + rtol 1e-4): both sides compute in f32, but the
// microkernels may vectorize dot products and norms, reassociating sums of at
// most 128 terms; that changes a result by at most about 128 * 2^-24 ~ 8e-6
// of the sum of the terms' magnitudes (inputs are O(1)). The learning rates
// are small, so rounding differences shrink rather than grow along the
// trajectory, while any semantic slip (a wrong rule term, a missed row, a
// wrong decay order) shows up as O(eta) ~ 1e-2 differences within a step or
// two. Indices (k-WTA winners) must match exactly.
//
// Vulkan tolerance (atol 3e-5 + rtol 3e-4): the GPU kernels reassociate the
// same sums (subgroup reductions, then per-subgroup partials), and Vulkan
// lets exp be off by 3 + 2|x| ULP and division and sqrt by 2.5 ULP (spec
// "Precision and Operation of SPIR-V Instructions"); the softmax-delta and
// boosted k-WTA paths chain a few of those, so a few 1e-6 relative per step,
// still two orders of magnitude below a semantic slip. Winners must still
// match exactly. The Vulkan runs use the validation layer with
// synchronization validation (ctest sets ANIMA_VULKAN_VALIDATION=1): any
// validation message fails the step that produced it.
//
//===----------------------------------------------------------------------===//

#include "E2EHarness.h"
#include "ReferenceModels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace anima::e2e;

namespace {

constexpr int kSteps = 250;

struct ModelCase {
  const char *name;
  std::unique_ptr<ReferenceModel> (*make)();
  InputGenerator inputs;
};

std::unique_ptr<ReferenceModel> makePlasticDefault() {
  return makePlasticModel(1.0f);
}

std::vector<ModelCase> modelCases() {
  return {{"kwta", makeKwtaModel, kwtaInputs},
          {"matvec", makeMatvecModel, matvecInputs},
          {"memory", makeMemoryModel, memoryInputs},
          {"plastic", makePlasticDefault, plasticInputs},
          {"composed", makeComposedModel, composedInputs}};
}

/// The tolerance of a backend (see the file comment).
Tolerance toleranceOf(const std::string &backend) {
  if (backend == "vulkan")
    return {3e-5f, 3e-4f};
  return {};
}

/// Backends every conformance test runs on.
const char *const kBackends[] = {"cpu", "vulkan"};

class Conformance
    : public ::testing::TestWithParam<std::tuple<const char *, int, bool>> {};

TEST_P(Conformance, TrajectoryMatchesReference) {
  auto [backend, index, fused] = GetParam();
  ModelCase model = std::move(modelCases()[index]);
  std::unique_ptr<ReferenceModel> reference = model.make();
  float worst = compareTrajectories(artifactPath(model.name, fused),
                                    *reference, model.inputs, kSteps,
                                    toleranceOf(backend), backend);
  RecordProperty("max_abs_difference", std::to_string(worst));
}

INSTANTIATE_TEST_SUITE_P(
    Models, Conformance,
    ::testing::Combine(::testing::ValuesIn(kBackends), ::testing::Range(0, 5),
                       ::testing::Bool()),
    [](const ::testing::TestParamInfo<std::tuple<const char *, int, bool>>
           &info) {
      return std::string(std::get<0>(info.param)) + "_" +
             modelCases()[std::get<1>(info.param)].name +
             (std::get<2>(info.param) ? "_fused" : "_unfused");
    });

/// All state tensors of a compiled model, in manifest order.
std::vector<std::vector<float>> allState(anima::Model &model) {
  std::vector<std::vector<float>> out(model.stateCount());
  for (size_t i = 0; i < out.size(); ++i) {
    anima::Status status = model.readState(i, &out[i]);
    EXPECT_TRUE(status.ok()) << status.toString();
  }
  return out;
}

/// Bitwise equality of two state sets.
bool sameBits(const std::vector<std::vector<float>> &a,
              const std::vector<std::vector<float>> &b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].size() != b[i].size() ||
        std::memcmp(a[i].data(), b[i].data(), a[i].size() * 4) != 0)
      return false;
  return true;
}

/// Runtime behaviour every backend must show, instantiated per backend.
class Runtime : public ::testing::TestWithParam<const char *> {};

INSTANTIATE_TEST_SUITE_P(Backends, Runtime, ::testing::ValuesIn(kBackends),
                         [](const ::testing::TestParamInfo<const char *> &info) {
                           return std::string(info.param);
                         });

TEST_P(Runtime, PlasticityZeroFreezesEveryState) {
  for (bool fused : {true, false}) {
    anima::Model model;
    openModel(artifactPath("plastic", fused), &model, GetParam());
    ASSERT_TRUE(model);
    ASSERT_TRUE(model.setPlasticity(0.0f).ok());
    std::vector<std::vector<float>> before = allState(model);
    std::mt19937 rng(7);
    for (int t = 0; t < 20; ++t) {
      Tensors out;
      anima::Status status = compiledStep(model, plasticInputs(rng, t), &out);
      ASSERT_TRUE(status.ok()) << status.toString();
    }
    EXPECT_TRUE(sameBits(before, allState(model)))
        << (fused ? "fused" : "unfused");
  }
}

TEST_P(Runtime, HalfPlasticityScalesEveryRate) {
  std::unique_ptr<ReferenceModel> reference = makePlasticModel(0.5f);
  Tolerance tolerance = toleranceOf(GetParam());
  anima::Model model;
  openModel(artifactPath("plastic", true), &model, GetParam());
  ASSERT_TRUE(model);
  ASSERT_TRUE(model.setPlasticity(0.5f).ok());
  std::mt19937 rng(9);
  for (int t = 0; t < 50; ++t) {
    Tensors in = plasticInputs(rng, t), out;
    ASSERT_TRUE(compiledStep(model, in, &out).ok());
    reference->step(in);
  }
  for (auto &[name, values] : reference->state) {
    std::vector<float> compiled = compiledState(model, name);
    ASSERT_EQ(compiled.size(), values.size());
    for (size_t i = 0; i < values.size(); ++i)
      ASSERT_NEAR(compiled[i], values[i],
                  tolerance.atol + tolerance.rtol * std::fabs(values[i]))
          << name << "[" << i << "]";
  }
}

TEST_P(Runtime, NonFiniteInputIsRefusedAndStateKept) {
  for (bool fused : {true, false}) {
    anima::Model model;
    openModel(artifactPath("plastic", fused), &model, GetParam());
    ASSERT_TRUE(model);
    std::mt19937 rng(11);
    Tensors out;
    ASSERT_TRUE(compiledStep(model, plasticInputs(rng, 0), &out).ok());
    std::vector<std::vector<float>> before = allState(model);
    for (float poison : {NAN, INFINITY, -INFINITY}) {
      Tensors in = plasticInputs(rng, 1);
      in[1].f[3] = poison; // x feeds every plastic update
      anima::Status status = compiledStep(model, in, &out);
      EXPECT_EQ(status.code(), ANIMA_STATUS_NONFINITE) << status.toString();
      EXPECT_TRUE(sameBits(before, allState(model)))
          << "state changed by a refused step (" << poison << ")";
    }
    // The model keeps working after refused steps.
    EXPECT_TRUE(compiledStep(model, plasticInputs(rng, 2), &out).ok());
  }
}

/// Indices the caller passes in (manifest "index_bound") are checked before
/// the step runs: out of range or not strictly ascending refuses the step
/// with a message naming the input, state bit-identical (without the check
/// the CPU kernels would read and write outside the weights).
TEST_P(Runtime, IndexInputsAreChecked) {
  auto inputs = [](std::vector<int32_t> rows, std::vector<int32_t> cols) {
    return Tensors{Tensor::floats({0.3f, -0.2f, 0.1f, 0.5f, -0.4f, 0.2f, 0.0f,
                                   0.7f}),
                   Tensor::ints(std::move(rows)),
                   Tensor::floats({0.6f, -0.8f, 0.5f}),
                   Tensor::ints(std::move(cols))};
  };
  struct Bad {
    std::vector<int32_t> rows, cols;
    const char *input, *what;
  };
  const Bad bad[] = {
      {{0, 5, 9, 32}, {1, 2, 15}, "'rows'", "outside [0, 32)"},
      {{-1, 5, 9, 31}, {1, 2, 15}, "'rows'", "outside [0, 32)"},
      {{0, 9, 5, 31}, {1, 2, 15}, "'rows'", "strictly ascending"},
      {{0, 5, 5, 31}, {1, 2, 15}, "'rows'", "strictly ascending"},
      {{0, 5, 9, 31}, {1, 2, 16}, "'cols'", "outside [0, 16)"},
      {{0, 5, 9, 31}, {2, 1, 15}, "'cols'", "strictly ascending"},
  };
  for (bool fused : {true, false}) {
    SCOPED_TRACE(fused ? "fused" : "unfused");
    anima::Model model;
    openModel(artifactPath("indexed", fused), &model, GetParam());
    ASSERT_TRUE(model);
    Tensors out;
    ASSERT_TRUE(compiledStep(model, inputs({0, 5, 9, 31}, {0, 7, 15}), &out)
                    .ok());
    std::vector<std::vector<float>> before = allState(model);
    for (const Bad &b : bad) {
      anima::Status status = compiledStep(model, inputs(b.rows, b.cols), &out);
      EXPECT_EQ(status.code(), ANIMA_STATUS_INVALID_ARGUMENT)
          << status.toString();
      EXPECT_NE(status.toString().find(b.input), std::string::npos)
          << status.toString();
      EXPECT_NE(status.toString().find(b.what), std::string::npos)
          << status.toString();
      EXPECT_TRUE(sameBits(before, allState(model)));
    }
    // Valid indices still learn.
    ASSERT_TRUE(compiledStep(model, inputs({1, 2, 3, 4}, {3, 4, 5}), &out).ok());
    EXPECT_FALSE(sameBits(before, allState(model)));
  }
}

TEST_P(Runtime, InitialStateMatchesTheSeededInitializers) {
  std::unique_ptr<ReferenceModel> reference = makePlasticModel(1.0f);
  anima::Model model;
  openModel(artifactPath("plastic", true), &model, GetParam());
  ASSERT_TRUE(model);
  for (auto &[name, values] : reference->state) {
    std::vector<float> compiled = compiledState(model, name);
    ASSERT_EQ(compiled.size(), values.size()) << name;
    EXPECT_EQ(0, std::memcmp(compiled.data(), values.data(), values.size() * 4))
        << name;
  }
}

/// A state that overflows to Inf inside the step (not from a poisoned
/// input) is refused by the backend's own guard, state bit-identical: the
/// memory model (whole-memory writes) and the plastic model (row writes of
/// the active rows, fused and not).
TEST_P(Runtime, OverflowInsideTheStepIsRefused) {
  struct Case {
    const char *model;
    bool fused;
    InputGenerator inputs;
  };
  for (const Case &c : {Case{"memory", true, memoryInputs},
                        Case{"plastic", true, plasticInputs},
                        Case{"plastic", false, plasticInputs}}) {
    SCOPED_TRACE(std::string(c.model) + (c.fused ? " fused" : " unfused"));
    anima::Model model;
    openModel(artifactPath(c.model, c.fused), &model, GetParam());
    ASSERT_TRUE(model);
    std::mt19937 rng(5);
    Tensors out;
    ASSERT_TRUE(compiledStep(model, c.inputs(rng, 0), &out).ok());
    std::vector<std::vector<float>> before = allState(model);
    // Finite but huge values: the learning updates overflow f32.
    Tensors in = c.inputs(rng, 1);
    for (Tensor &t : in)
      for (float &v : t.f)
        v *= 3e37f;
    anima::Status status = compiledStep(model, in, &out);
    EXPECT_EQ(status.code(), ANIMA_STATUS_NONFINITE) << status.toString();
    EXPECT_TRUE(sameBits(before, allState(model)));
    EXPECT_TRUE(compiledStep(model, c.inputs(rng, 2), &out).ok());
  }
}

/// Snapshots, rollback and checkpoints round-trip learned state.
TEST_P(Runtime, SnapshotAndCheckpointRoundTrip) {
  anima::Model model;
  openModel(artifactPath("composed", true), &model, GetParam());
  ASSERT_TRUE(model);
  std::mt19937 rng(3);
  Tensors out;
  for (int t = 0; t < 10; ++t)
    ASSERT_TRUE(compiledStep(model, composedInputs(rng, t), &out).ok());
  std::vector<std::vector<float>> learned = allState(model);
  anima::Snapshot snapshot;
  ASSERT_TRUE(model.snapshot(&snapshot).ok());
  std::string path = ::testing::TempDir() + "/conformance-" + GetParam() +
                     ".ckpt";
  ASSERT_TRUE(model.saveCheckpoint(path).ok());
  for (int t = 10; t < 20; ++t)
    ASSERT_TRUE(compiledStep(model, composedInputs(rng, t), &out).ok());
  EXPECT_FALSE(sameBits(learned, allState(model)));
  ASSERT_TRUE(model.rollback(snapshot).ok());
  EXPECT_TRUE(sameBits(learned, allState(model)));
  ASSERT_TRUE(model.reset().ok());
  EXPECT_FALSE(sameBits(learned, allState(model)));
  ASSERT_TRUE(model.loadCheckpoint(path).ok());
  EXPECT_TRUE(sameBits(learned, allState(model)));
  // The restored state is what the next step learns from.
  ASSERT_TRUE(compiledStep(model, composedInputs(rng, 20), &out).ok());
}

/// The C++ API's options overload reaches every option: a device that does
/// not exist is NOT_FOUND, a budget too small is RESOURCE_EXHAUSTED.
TEST(RuntimeOptions, CppOptionsOverload) {
  anima_open_options options;
  anima_open_options_init(&options);
  options.backend = "vulkan";
  options.device = "no-such-gpu";
  anima::Model model;
  anima::Status status =
      anima::Model::openFile(artifactPath("kwta", true), &model, options);
  EXPECT_EQ(status.code(), ANIMA_STATUS_NOT_FOUND) << status.toString();
  options.device = nullptr;
  options.max_memory_bytes = 16;
  status = anima::Model::openFile(artifactPath("kwta", true), &model, options);
  EXPECT_EQ(status.code(), ANIMA_STATUS_RESOURCE_EXHAUSTED)
      << status.toString();
  options.max_memory_bytes = 0;
  EXPECT_TRUE(
      anima::Model::openFile(artifactPath("kwta", true), &model, options).ok());
  EXPECT_STREQ(anima_model_backend(model.get()), "vulkan");
}

/// CPU and Vulkan run the same artifact side by side for 250 steps; their
/// state trajectories agree within the Vulkan tolerance.
class CrossBackend : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(CrossBackend, CpuAndVulkanTrajectoriesAgree) {
  auto [index, fused] = GetParam();
  ModelCase model = std::move(modelCases()[index]);
  anima::Model cpu, vulkan;
  openModel(artifactPath(model.name, fused), &cpu, "cpu");
  openModel(artifactPath(model.name, fused), &vulkan, "vulkan");
  ASSERT_TRUE(cpu && vulkan);
  Tolerance tolerance = toleranceOf("vulkan");
  std::mt19937 rng(77);
  float worst = 0.0f;
  for (int t = 0; t < kSteps; ++t) {
    Tensors in = model.inputs(rng, t), outCpu, outVulkan;
    ASSERT_TRUE(compiledStep(cpu, in, &outCpu).ok());
    ASSERT_TRUE(compiledStep(vulkan, in, &outVulkan).ok()) << "step " << t;
    std::vector<std::vector<float>> a = allState(cpu), b = allState(vulkan);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      ASSERT_EQ(a[i].size(), b[i].size());
      for (size_t j = 0; j < a[i].size(); ++j) {
        float diff = std::fabs(a[i][j] - b[i][j]);
        worst = std::max(worst, diff);
        ASSERT_LE(diff, tolerance.atol + tolerance.rtol * std::fabs(a[i][j]))
            << "step " << t << " state " << i << "[" << j << "]";
      }
    }
  }
  RecordProperty("max_abs_difference", std::to_string(worst));
}

INSTANTIATE_TEST_SUITE_P(
    Models, CrossBackend,
    ::testing::Combine(::testing::Range(0, 5), ::testing::Bool()),
    [](const ::testing::TestParamInfo<std::tuple<int, bool>> &info) {
      return std::string(modelCases()[std::get<0>(info.param)].name) +
             (std::get<1>(info.param) ? "_fused" : "_unfused");
    });

} // namespace
