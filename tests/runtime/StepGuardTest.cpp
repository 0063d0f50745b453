//===- StepGuardTest.cpp - Refused steps and bad step arguments -----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "ToyModel.h"

#include <cstring>
#include <limits>

namespace anima::test {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

using StepGuardTest = ToyModelTest;

TEST_F(StepGuardTest, NaNInputIsRefusedAndStateIsBitIdentical) {
  float x[3] = {0.5f, 0.25f, -1};
  float y[4];
  ASSERT_TRUE(isOk(step(x, y)));
  auto before = stateBytes(model);
  for (size_t entry : {kEntryStep, kEntryInfer}) {
    for (float bad : {kNaN, kInf, -kInf}) {
      float poisoned[3] = {0.5f, bad, -1};
      float out[4] = {7, 7, 7, 7};
      EXPECT_TRUE(hasStatus(step(poisoned, out, entry), ANIMA_STATUS_NONFINITE,
                            "refused: input 0 ('x') element 1 is NaN or Inf; "
                            "state left unchanged"));
      EXPECT_EQ(stateBytes(model), before);
      EXPECT_EQ(out[0], 7.0f) << "outputs of a refused step are not written";
    }
  }
  ASSERT_TRUE(isOk(step(x, y))) << "the model keeps working";
}

TEST_F(StepGuardTest, OverflowingUpdateIsRefusedByTheJournalGuard) {
  float x[3] = {0.5f, 0.25f, -1};
  float y[4];
  ASSERT_TRUE(isOk(step(x, y)));
  auto before = stateBytes(model);
  float huge[3] = {3e38f, 1, 1}, out[4] = {7, 7, 7, 7};
  EXPECT_TRUE(hasStatus(step(huge, out), ANIMA_STATUS_NONFINITE,
                        "entry 'step' refused: an update would write NaN "
                        "or Inf; state left unchanged"));
  EXPECT_EQ(stateBytes(model), before);
  EXPECT_EQ(out[0], 7.0f) << "outputs of a refused step are not written";
}

TEST_F(StepGuardTest, PartialWritesAreUndoneNewestFirst) {
  // Row 0 gets a large but finite update and is written (journaled); row 1
  // overflows to Inf and refuses the step, after n and c (copy guard)
  // changed too.
  std::vector<float> W = {1e-30f, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0};
  ASSERT_TRUE(isOk(anima_model_write_state(model, kStateW, W.data(), 48)));
  float c = 3.0f;
  ASSERT_TRUE(isOk(anima_model_write_state(model, kStateC, &c, 4)));
  auto before = stateBytes(model);
  float x[3] = {1e20f, 1, 1}, y[4];
  EXPECT_TRUE(hasStatus(step(x, y), ANIMA_STATUS_NONFINITE, "refused"));
  EXPECT_EQ(stateBytes(model), before);
}

TEST_F(StepGuardTest, CopyGuardCatchesNonFiniteState) {
  auto before = stateBytes(model);
  float v = 3e38f; // finite, but c = v + v overflows to Inf
  int32_t k = 5;
  anima_buffer in[2] = {{ANIMA_DTYPE_F32, &v, 4}, {ANIMA_DTYPE_I32, &k, 4}};
  EXPECT_TRUE(hasStatus(anima_model_step(model, kEntryPoke, in, 2, nullptr, 0),
                        ANIMA_STATUS_NONFINITE,
                        "state 'c' (guard \"copy\") would become NaN or Inf"));
  EXPECT_EQ(stateBytes(model), before) << "n was restored with c";
  v = kNaN;
  EXPECT_TRUE(hasStatus(anima_model_step(model, kEntryPoke, in, 2, nullptr, 0),
                        ANIMA_STATUS_NONFINITE,
                        "entry 'poke' refused: input 0 ('v') element 0"));
  EXPECT_EQ(stateBytes(model), before);
  v = 1.0f;
  ASSERT_TRUE(isOk(anima_model_step(model, kEntryPoke, in, 2, nullptr, 0)));
  EXPECT_EQ(readFloats(model, kStateC)[0], 2.0f);
}

/// An input the manifest marks as indices ("index_bound") is checked before
/// the step: every entry in [0, bound), strictly ascending; a refusal names
/// the input and the element and leaves state and outputs alone. The toy's
/// poke copies k into a state, which shows whether the step ran.
TEST_F(StepGuardTest, IndexInputsAreCheckedAgainstTheirBound) {
  ArtifactParts parts;
  parts.manifest = replaced(toyManifest(),
                            "{\"name\": \"k\", \"dtype\": \"i32\", \"shape\": [1]",
                            "{\"name\": \"k\", \"dtype\": \"i32\", \"shape\": [1], "
                            "\"index_bound\": 7");
  anima_model_t *indexed = nullptr;
  ASSERT_TRUE(isOk(openBytes(buildArtifact(parts), &indexed)));
  float v = 1.0f;
  int32_t k = 0;
  anima_buffer in[2] = {{ANIMA_DTYPE_F32, &v, 4}, {ANIMA_DTYPE_I32, &k, 4}};
  for (int32_t good : {0, 6}) {
    k = good;
    ASSERT_TRUE(
        isOk(anima_model_step(indexed, kEntryPoke, in, 2, nullptr, 0)));
  }
  auto before = stateBytes(indexed);
  for (int32_t bad : {7, -1, INT32_MIN, INT32_MAX}) {
    k = bad;
    EXPECT_TRUE(hasStatus(
        anima_model_step(indexed, kEntryPoke, in, 2, nullptr, 0),
        ANIMA_STATUS_INVALID_ARGUMENT,
        ("entry 'poke' refused: input 1 ('k') element 0 is " +
         std::to_string(bad) + ", outside [0, 7)")
            .c_str()))
        << bad;
    EXPECT_EQ(stateBytes(indexed), before);
  }
  anima_model_close(indexed);
  // Without the field the same values are plain data.
  k = 1000;
  EXPECT_TRUE(isOk(anima_model_step(model, kEntryPoke, in, 2, nullptr, 0)));
}

TEST_F(StepGuardTest, JournalOverflowIsRefused) {
  ArtifactParts parts;
  parts.manifest = replaced(toyManifest(), "\"journal_bytes\": 128",
                            "\"journal_bytes\": 70");
  anima_model_t *small = nullptr;
  ASSERT_TRUE(isOk(openBytes(buildArtifact(parts), &small)));
  auto before = stateBytes(small);
  float x[3] = {1, 2, 3}, y[4];
  anima_buffer in{ANIMA_DTYPE_F32, x, 12}, out{ANIMA_DTYPE_F32, y, 16};
  EXPECT_TRUE(hasStatus(anima_model_step(small, kEntryStep, &in, 1, &out, 1),
                        ANIMA_STATUS_RESOURCE_EXHAUSTED,
                        "its journal_bytes (70) is too small"));
  EXPECT_EQ(stateBytes(small), before);
  anima_model_close(small);
}

TEST_F(StepGuardTest, CorruptJournalIsNotFollowed) {
  auto before = stateBytes(model);
  EXPECT_TRUE(
      hasStatus(anima_model_step(model, kEntryScribble, nullptr, 0, nullptr, 0),
                ANIMA_STATUS_INTERNAL,
                "entry 'scribble': undo journal: record at byte 0 points "
                "outside the state"));
  EXPECT_EQ(stateBytes(model), before);
}

TEST_F(StepGuardTest, BadArgumentsNameTheEntryAndBuffer) {
  auto before = stateBytes(model);
  float x[4] = {1, 2, 3, 4}, y[5];
  int32_t xi[3] = {1, 2, 3};
  anima_buffer in{ANIMA_DTYPE_F32, x, 12}, out{ANIMA_DTYPE_F32, y, 16};
  anima_buffer two[2] = {in, in};
  const anima_status_code_t bad = ANIMA_STATUS_INVALID_ARGUMENT;

  EXPECT_TRUE(hasStatus(anima_model_step(model, kEntryStep, two, 2, &out, 1),
                        bad,
                        "anima_model_step: entry 'step': expected 1 inputs, "
                        "got 2"));
  EXPECT_TRUE(hasStatus(anima_model_step(model, kEntryStep, &in, 0, &out, 1),
                        bad, "expected 1 inputs, got 0"));
  EXPECT_TRUE(hasStatus(anima_model_step(model, kEntryStep, &in, 1, &out, 0),
                        bad, "expected 1 outputs, got 0"));
  anima_buffer wrongSize{ANIMA_DTYPE_F32, x, 16};
  EXPECT_TRUE(
      hasStatus(anima_model_step(model, kEntryStep, &wrongSize, 1, &out, 1),
                bad, "entry 'step': input 0 ('x'): 16 bytes, expected 12"));
  anima_buffer wrongDtype{ANIMA_DTYPE_I32, xi, 12};
  EXPECT_TRUE(
      hasStatus(anima_model_step(model, kEntryStep, &wrongDtype, 1, &out, 1),
                bad, "input 0 ('x'): dtype i32, expected f32"));
  anima_buffer unknownDtype{anima_dtype_t(77), x, 12};
  EXPECT_TRUE(
      hasStatus(anima_model_step(model, kEntryStep, &unknownDtype, 1, &out, 1),
                bad, "dtype ?, expected f32"));
  anima_buffer nullData{ANIMA_DTYPE_F32, nullptr, 12};
  EXPECT_TRUE(
      hasStatus(anima_model_step(model, kEntryStep, &nullData, 1, &out, 1), bad,
                "input 0 ('x'): data is NULL"));
  anima_buffer bigOut{ANIMA_DTYPE_F32, y, 20};
  EXPECT_TRUE(hasStatus(anima_model_step(model, kEntryStep, &in, 1, &bigOut, 1),
                        bad, "output 0 ('y'): 20 bytes, expected 16"));
  EXPECT_TRUE(
      hasStatus(anima_model_step(model, kEntryStep, nullptr, 1, &out, 1), bad,
                "the input array is NULL"));
  EXPECT_TRUE(hasStatus(anima_model_step(model, 17, &in, 1, &out, 1), bad,
                        "entry index 17 out of range"));
  anima_buffer poke[2] = {{ANIMA_DTYPE_F32, x, 4}, {ANIMA_DTYPE_F32, x, 4}};
  EXPECT_TRUE(
      hasStatus(anima_model_step(model, kEntryPoke, poke, 2, nullptr, 0), bad,
                "entry 'poke': input 1 ('k'): dtype f32, expected i32"));
  EXPECT_EQ(stateBytes(model), before);
}

TEST_F(StepGuardTest, UnalignedCallerBuffersWork) {
  alignas(16) uint8_t raw[64];
  float *x = reinterpret_cast<float *>(raw + 1);
  float *y = reinterpret_cast<float *>(raw + 21);
  const float values[3] = {1, -1, 0.5f};
  std::memcpy(x, values, sizeof(values));
  anima_buffer in{ANIMA_DTYPE_F32, x, 12}, out{ANIMA_DTYPE_F32, y, 16};
  ASSERT_TRUE(isOk(anima_model_step(model, kEntryInfer, &in, 1, &out, 1)));
  float got[4];
  std::memcpy(got, y, sizeof(got));
  std::vector<float> W = toyInitialW();
  EXPECT_EQ(got[1], (W[3] * 1.0f + W[4] * -1.0f) + W[5] * 0.5f);
}

} // namespace
} // namespace anima::test
