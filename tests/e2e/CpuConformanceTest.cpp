//===- CpuConformanceTest.cpp - compiled CPU step == reference kernels ----===//
//
// Every model in tests/e2e/models is compiled by animac twice (fused and
// --no-fusion) at build time. Each test runs the artifact through the runtime
// C API next to the same model written with the reference kernels and
// compares all outputs and all state tensors after every one of 250 steps.
//
// Tolerance (atol 1e-5 + rtol 1e-4): both sides compute in f32, but the
// microkernels may vectorize dot products and norms, reassociating sums of at
// most 128 terms; that changes a result by at most about 128 * 2^-24 ~ 8e-6
// of the sum of the terms' magnitudes (inputs are O(1)). The learning rates
// are small, so rounding differences shrink rather than grow along the
// trajectory, while any semantic slip (a wrong rule term, a missed row, a
// wrong decay order) shows up as O(eta) ~ 1e-2 differences within a step or
// two. Indices (k-WTA winners) must match exactly.
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

class CpuConformance
    : public ::testing::TestWithParam<std::tuple<int, bool>> {};

TEST_P(CpuConformance, TrajectoryMatchesReference) {
  auto [index, fused] = GetParam();
  ModelCase model = std::move(modelCases()[index]);
  std::unique_ptr<ReferenceModel> reference = model.make();
  float worst = compareTrajectories(artifactPath(model.name, fused),
                                    *reference, model.inputs, kSteps);
  RecordProperty("max_abs_difference", std::to_string(worst));
}

INSTANTIATE_TEST_SUITE_P(
    Models, CpuConformance,
    ::testing::Combine(::testing::Range(0, 5), ::testing::Bool()),
    [](const ::testing::TestParamInfo<std::tuple<int, bool>> &info) {
      return std::string(modelCases()[std::get<0>(info.param)].name) +
             (std::get<1>(info.param) ? "_fused" : "_unfused");
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

TEST(CpuRuntime, PlasticityZeroFreezesEveryState) {
  for (bool fused : {true, false}) {
    anima::Model model;
    openModel(artifactPath("plastic", fused), &model);
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

TEST(CpuRuntime, HalfPlasticityScalesEveryRate) {
  std::unique_ptr<ReferenceModel> reference = makePlasticModel(0.5f);
  anima::Model model;
  openModel(artifactPath("plastic", true), &model);
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
      ASSERT_NEAR(compiled[i], values[i], 1e-5f + 1e-4f * std::fabs(values[i]))
          << name << "[" << i << "]";
  }
}

TEST(CpuRuntime, NonFiniteInputIsRefusedAndStateKept) {
  for (bool fused : {true, false}) {
    anima::Model model;
    openModel(artifactPath("plastic", fused), &model);
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

TEST(CpuRuntime, InitialStateMatchesTheSeededInitializers) {
  std::unique_ptr<ReferenceModel> reference = makePlasticModel(1.0f);
  anima::Model model;
  openModel(artifactPath("plastic", true), &model);
  ASSERT_TRUE(model);
  for (auto &[name, values] : reference->state) {
    std::vector<float> compiled = compiledState(model, name);
    ASSERT_EQ(compiled.size(), values.size()) << name;
    EXPECT_EQ(0, std::memcmp(compiled.data(), values.data(), values.size() * 4))
        << name;
  }
}

} // namespace
