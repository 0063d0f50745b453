//===- ModelTest.cpp - Introspection, stepping, state management ----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "ToyModel.h"

#include "anima/runtime/anima.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

namespace anima::test {
namespace {

/// The toy model recomputed in C++ with the fixture's evaluation order.
struct Reference {
  std::vector<float> W = toyInitialW();
  float c = 0;
  int32_t n = 0;

  void step(const float *x, float *y, float p) {
    for (int i = 0; i < 4; ++i) {
      float acc = 0.0f;
      for (int j = 0; j < 3; ++j)
        acc += W[i * 3 + j] * x[j];
      y[i] = acc;
    }
    if (p == 0.0f)
      return;
    n += 1;
    c += p;
    float scale = p * 0.1f;
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 3; ++j)
        W[i * 3 + j] = W[i * 3 + j] + (scale * y[i]) * x[j];
  }
};

/// Expects the model's state to equal `ref` bit for bit.
void expectState(const anima_model_t *model, const Reference &ref) {
  std::vector<float> W = readFloats(model, kStateW);
  ASSERT_EQ(W.size(), 12u);
  EXPECT_EQ(std::memcmp(W.data(), ref.W.data(), 48), 0);
  EXPECT_EQ(readFloats(model, kStateC)[0], ref.c);
  int32_t n = -1;
  EXPECT_TRUE(isOk(anima_model_read_state(model, kStateN, &n, 4)));
  EXPECT_EQ(n, ref.n);
}

using ModelTest = ToyModelTest;

TEST_F(ModelTest, Introspection) {
  EXPECT_STREQ(anima_model_name(model), "toy");
  EXPECT_STREQ(anima_model_backend(model), "cpu");
  size_t size = 0;
  EXPECT_EQ(std::string(anima_model_manifest(model, &size)), toyManifest());
  EXPECT_EQ(size, toyManifest().size());
  std::vector<uint8_t> bytes = buildArtifact();
  uint8_t id[16];
  anima_model_artifact_id(model, id);
  EXPECT_EQ(std::memcmp(id, bytes.data() + 32, 16), 0);

  ASSERT_EQ(anima_model_state_count(model), 3u);
  anima_tensor_info t;
  ASSERT_TRUE(isOk(anima_model_state_info(model, kStateW, &t)));
  EXPECT_STREQ(t.name, "W");
  EXPECT_EQ(t.dtype, ANIMA_DTYPE_F32);
  ASSERT_EQ(t.rank, 2u);
  EXPECT_EQ(t.shape[0], 4);
  EXPECT_EQ(t.shape[1], 3);
  EXPECT_EQ(t.bytes, 48u);
  ASSERT_TRUE(isOk(anima_model_state_info(model, kStateN, &t)));
  EXPECT_EQ(t.dtype, ANIMA_DTYPE_I32);
  EXPECT_TRUE(hasStatus(anima_model_state_info(model, 3, &t),
                        ANIMA_STATUS_INVALID_ARGUMENT, "state index 3"));

  ASSERT_EQ(anima_model_entry_count(model), 4u);
  anima_entry_info e;
  ASSERT_TRUE(isOk(anima_model_entry_info(model, kEntryPoke, &e)));
  EXPECT_STREQ(e.name, "poke");
  ASSERT_EQ(e.input_count, 2u);
  EXPECT_STREQ(e.inputs[1].name, "k");
  EXPECT_EQ(e.inputs[1].dtype, ANIMA_DTYPE_I32);
  EXPECT_EQ(e.output_count, 0u);
  ASSERT_TRUE(isOk(anima_model_entry_info(model, kEntryStep, &e)));
  EXPECT_EQ(e.journal_bytes, 128u);
  EXPECT_EQ(e.outputs[0].bytes, 16u);
  EXPECT_TRUE(hasStatus(anima_model_entry_info(model, 4, &e),
                        ANIMA_STATUS_INVALID_ARGUMENT, "entry index 4"));

  size_t index = 99;
  ASSERT_TRUE(isOk(anima_model_find_entry(model, "infer", &index)));
  EXPECT_EQ(index, size_t(kEntryInfer));
  EXPECT_TRUE(hasStatus(anima_model_find_entry(model, "train", &index),
                        ANIMA_STATUS_NOT_FOUND, "no entry point 'train'"));
  ASSERT_TRUE(isOk(anima_model_find_state(model, "c", &index)));
  EXPECT_EQ(index, size_t(kStateC));
  EXPECT_TRUE(hasStatus(anima_model_find_state(model, "Q", &index),
                        ANIMA_STATUS_NOT_FOUND, "no state tensor 'Q'"));
  EXPECT_EQ(anima_model_plasticity(model), 1.0f);
}

TEST_F(ModelTest, StepsMatchTheReferenceOverManySteps) {
  Reference ref;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  for (int s = 0; s < 300; ++s) {
    float p = (s % 50 == 49) ? 0.0f : (s < 150 ? 1.0f : 0.5f);
    ASSERT_TRUE(isOk(anima_model_set_plasticity(model, p)));
    float x[3] = {dist(rng), dist(rng), dist(rng)};
    float y[4], expected[4];
    ASSERT_TRUE(isOk(step(x, y))) << "step " << s;
    ref.step(x, expected, p);
    ASSERT_EQ(std::memcmp(y, expected, sizeof(y)), 0) << "step " << s;
  }
  expectState(model, ref);
  EXPECT_EQ(ref.n, 294);
}

TEST_F(ModelTest, PlasticityZeroFreezesState) {
  ASSERT_TRUE(isOk(anima_model_set_plasticity(model, 0.0f)));
  EXPECT_EQ(anima_model_plasticity(model), 0.0f);
  auto before = stateBytes(model);
  float x[3] = {0.3f, -2.0f, 1.5f}, y[4];
  for (int s = 0; s < 10; ++s)
    ASSERT_TRUE(isOk(step(x, y)));
  EXPECT_EQ(stateBytes(model), before);
  Reference ref;
  float expected[4];
  ref.step(x, expected, 0.0f);
  EXPECT_EQ(std::memcmp(y, expected, sizeof(y)), 0);
}

TEST_F(ModelTest, PlasticityIsValidated) {
  for (float bad : {-0.5f, std::numeric_limits<float>::quiet_NaN(),
                    std::numeric_limits<float>::infinity()})
    EXPECT_TRUE(hasStatus(anima_model_set_plasticity(model, bad),
                          ANIMA_STATUS_INVALID_ARGUMENT,
                          "must be finite and >= 0"));
  EXPECT_EQ(anima_model_plasticity(model), 1.0f);
  ASSERT_TRUE(isOk(anima_model_set_plasticity(model, 2.5f)));
  EXPECT_EQ(anima_model_plasticity(model), 2.5f);
}

TEST_F(ModelTest, InferWritesNoState) {
  auto before = stateBytes(model);
  float x[3] = {1, 2, 3}, y[4];
  ASSERT_TRUE(isOk(step(x, y, kEntryInfer)));
  EXPECT_EQ(stateBytes(model), before);
  Reference ref;
  float expected[4];
  ref.step(x, expected, 0.0f);
  EXPECT_EQ(std::memcmp(y, expected, sizeof(y)), 0);
}

TEST_F(ModelTest, ResetRestoresTheInitialState) {
  auto initial = stateBytes(model);
  float x[3] = {1, 2, 3}, y[4];
  for (int s = 0; s < 5; ++s)
    ASSERT_TRUE(isOk(step(x, y)));
  EXPECT_NE(stateBytes(model), initial);
  ASSERT_TRUE(isOk(anima_model_reset(model)));
  EXPECT_EQ(stateBytes(model), initial);
}

TEST_F(ModelTest, SnapshotAndRollback) {
  float x[3] = {0.5f, -1, 2}, y[4];
  ASSERT_TRUE(isOk(step(x, y)));
  anima_snapshot_t *snapshot = nullptr;
  ASSERT_TRUE(isOk(anima_model_snapshot(model, &snapshot)));
  auto saved = stateBytes(model);
  for (int s = 0; s < 7; ++s)
    ASSERT_TRUE(isOk(step(x, y)));
  EXPECT_NE(stateBytes(model), saved);
  ASSERT_TRUE(isOk(anima_model_rollback(model, snapshot)));
  EXPECT_EQ(stateBytes(model), saved);
  // The snapshot stays usable.
  ASSERT_TRUE(isOk(step(x, y)));
  ASSERT_TRUE(isOk(anima_model_rollback(model, snapshot)));
  EXPECT_EQ(stateBytes(model), saved);

  anima_model_t *other = nullptr;
  ASSERT_TRUE(isOk(openBytes(buildArtifact(), &other)));
  auto otherBefore = stateBytes(other);
  EXPECT_TRUE(hasStatus(anima_model_rollback(other, snapshot),
                        ANIMA_STATUS_INVALID_ARGUMENT, "another model"));
  EXPECT_EQ(stateBytes(other), otherBefore);
  anima_model_close(other);
  EXPECT_TRUE(hasStatus(anima_model_rollback(model, nullptr),
                        ANIMA_STATUS_INVALID_ARGUMENT, "snapshot is NULL"));
  anima_snapshot_free(snapshot);
  anima_snapshot_free(nullptr);
}

TEST_F(ModelTest, ReadAndWriteState) {
  std::vector<float> W(12, 0.25f);
  ASSERT_TRUE(isOk(anima_model_write_state(model, kStateW, W.data(), 48)));
  EXPECT_EQ(readFloats(model, kStateW), W);
  int32_t n = 41;
  ASSERT_TRUE(isOk(anima_model_write_state(model, kStateN, &n, 4)));

  auto before = stateBytes(model);
  EXPECT_TRUE(hasStatus(anima_model_write_state(model, kStateW, W.data(), 44),
                        ANIMA_STATUS_INVALID_ARGUMENT,
                        "state 'W' is 48 bytes, got 44"));
  EXPECT_TRUE(hasStatus(anima_model_write_state(model, 9, W.data(), 48),
                        ANIMA_STATUS_INVALID_ARGUMENT, "state index 9"));
  EXPECT_TRUE(hasStatus(anima_model_write_state(model, kStateW, nullptr, 48),
                        ANIMA_STATUS_INVALID_ARGUMENT, "NULL"));
  W[7] = -std::numeric_limits<float>::infinity();
  EXPECT_TRUE(hasStatus(anima_model_write_state(model, kStateW, W.data(), 48),
                        ANIMA_STATUS_NONFINITE, "element 7 is not finite"));
  // i32 state takes any bit pattern.
  int32_t nanBits = 0x7fc00000;
  ASSERT_TRUE(isOk(anima_model_write_state(model, kStateN, &nanBits, 4)));
  ASSERT_TRUE(isOk(anima_model_write_state(model, kStateN, &n, 4)));
  EXPECT_EQ(stateBytes(model), before);
  float out[12];
  EXPECT_TRUE(hasStatus(anima_model_read_state(model, kStateW, out, 4),
                        ANIMA_STATUS_INVALID_ARGUMENT, "48 bytes, got 4"));
}

TEST_F(ModelTest, NullModelIsRejectedEverywhere) {
  float x[3] = {}, y[4] = {};
  anima_buffer in{ANIMA_DTYPE_F32, x, 12}, out{ANIMA_DTYPE_F32, y, 16};
  const anima_status_code_t bad = ANIMA_STATUS_INVALID_ARGUMENT;
  EXPECT_TRUE(hasStatus(anima_model_step(nullptr, 0, &in, 1, &out, 1), bad,
                        "model is NULL"));
  EXPECT_TRUE(hasStatus(anima_model_set_plasticity(nullptr, 1), bad));
  EXPECT_TRUE(hasStatus(anima_model_reset(nullptr), bad));
  EXPECT_TRUE(hasStatus(anima_model_read_state(nullptr, 0, x, 4), bad));
  EXPECT_TRUE(hasStatus(anima_model_write_state(nullptr, 0, x, 4), bad));
  anima_snapshot_t *snapshot = nullptr;
  EXPECT_TRUE(hasStatus(anima_model_snapshot(nullptr, &snapshot), bad));
  EXPECT_TRUE(hasStatus(anima_model_snapshot(model, nullptr), bad));
  EXPECT_TRUE(hasStatus(anima_model_save_checkpoint(nullptr, "x"), bad));
  EXPECT_TRUE(hasStatus(anima_model_load_checkpoint(nullptr, "x"), bad));
  EXPECT_TRUE(hasStatus(anima_model_save_checkpoint(model, nullptr), bad));
  EXPECT_TRUE(hasStatus(anima_model_load_checkpoint(model, nullptr), bad));
  size_t index;
  EXPECT_TRUE(hasStatus(anima_model_find_entry(nullptr, "step", &index), bad));
  EXPECT_TRUE(hasStatus(anima_model_find_entry(model, nullptr, &index), bad));
  EXPECT_TRUE(hasStatus(anima_model_find_state(model, "W", nullptr), bad));
  anima_entry_info e;
  EXPECT_TRUE(hasStatus(anima_model_entry_info(nullptr, 0, &e), bad));
  EXPECT_TRUE(hasStatus(anima_model_entry_info(model, 0, nullptr), bad));
  EXPECT_EQ(anima_model_entry_count(nullptr), 0u);
  EXPECT_EQ(anima_model_state_count(nullptr), 0u);
  EXPECT_STREQ(anima_model_name(nullptr), "");
  EXPECT_STREQ(anima_model_manifest(nullptr, nullptr), "");
  anima_model_close(nullptr);
}

TEST(StatusTest, NullIsOkAndNamesAreStable) {
  EXPECT_EQ(anima_status_code(nullptr), ANIMA_STATUS_OK);
  EXPECT_STREQ(anima_status_message(nullptr), "OK");
  anima_status_free(nullptr);
  EXPECT_STREQ(anima_status_code_name(ANIMA_STATUS_DATA_LOSS), "DATA_LOSS");
  EXPECT_STREQ(anima_status_code_name(ANIMA_STATUS_NONFINITE), "NONFINITE");
  EXPECT_STREQ(anima_status_code_name(anima_status_code_t(1234)), "UNKNOWN");
  EXPECT_STREQ(anima_dtype_name(ANIMA_DTYPE_I32), "i32");
  EXPECT_STREQ(anima_dtype_name(anima_dtype_t(0)), "?");
  anima_open_options options;
  anima_open_options_init(&options);
  EXPECT_EQ(options.struct_size, sizeof(options));
  EXPECT_STREQ(options.backend, "cpu");
}

TEST(CppWrapperTest, ModelSnapshotAndStatus) {
  std::vector<uint8_t> bytes = buildArtifact();
  Model model;
  Status status = Model::openMemory(bytes.data(), bytes.size(), &model);
  ASSERT_TRUE(status.ok()) << status.toString();
  ASSERT_TRUE(model);
  size_t entry = 0;
  ASSERT_TRUE(model.findEntry("step", &entry).ok());
  Status missing = model.findEntry("nope", &entry);
  EXPECT_EQ(missing.code(), ANIMA_STATUS_NOT_FOUND);
  EXPECT_NE(missing.toString().find("NOT_FOUND: "), std::string::npos);
  float x[3] = {1, 0, 0}, y[4];
  std::vector<anima_buffer> in = {f32Buffer(x, 3)};
  std::vector<anima_buffer> out = {f32Buffer(y, 4)};
  Snapshot snapshot;
  ASSERT_TRUE(model.snapshot(&snapshot).ok());
  ASSERT_TRUE(model.step(entry, in, out).ok());
  std::vector<float> W;
  ASSERT_TRUE(model.readState(kStateW, &W).ok());
  EXPECT_NE(W, toyInitialW());
  ASSERT_TRUE(model.rollback(snapshot).ok());
  ASSERT_TRUE(model.readState(kStateW, &W).ok());
  EXPECT_EQ(W, toyInitialW());
  EXPECT_EQ(model.manifest(), toyManifest());
  Model moved = std::move(model);
  EXPECT_FALSE(model);
  EXPECT_EQ(moved.stateCount(), 3u);
  Model bad;
  EXPECT_EQ(Model::openFile("/nonexistent.anima", &bad).code(),
            ANIMA_STATUS_NOT_FOUND);
  EXPECT_FALSE(bad);
}

} // namespace
} // namespace anima::test
