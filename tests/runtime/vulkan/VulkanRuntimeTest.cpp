//===- VulkanRuntimeTest.cpp - The runtime's Vulkan backend ---------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Runs the Vulkan toy model (VulkanToy.h) on lavapipe under the Khronos
// validation layer (synchronization validation on): results against a C++
// recomputation, resident state and its host mirror, the NaN/Inf guard,
// every schedule check, device selection and the pipeline cache. main()
// (VulkanTestMain.cpp) asserts that no validation message was printed.
//
//===----------------------------------------------------------------------===//

#include "ToyModel.h"
#include "VulkanToy.h"

#include <gtest/gtest.h>

#include "anima/runtime/artifact_writer.h"

#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace anima::test::vulkan {
namespace {

/// Opens the default Vulkan toy artifact per test.
class VulkanTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(isOk(openVulkan(buildVulkanArtifact(), &model)));
  }
  void TearDown() override { anima_model_close(model); }

  /// Runs `step` on x; y receives the output.
  anima_status_t step(const float x[3], float y[4]) {
    anima_buffer in{ANIMA_DTYPE_F32, const_cast<float *>(x), 12};
    anima_buffer out{ANIMA_DTYPE_F32, y, 16};
    return anima_model_step(model, kStep, &in, 1, &out, 1);
  }
  /// Runs an entry whose only input is one f32 k (poison, probe).
  anima_status_t stepK(Entry entry, float k, float *z = nullptr) {
    anima_buffer in{ANIMA_DTYPE_F32, &k, 4};
    anima_buffer out{ANIMA_DTYPE_F32, z, 16};
    return anima_model_step(model, entry, &in, 1, &out, z ? 1 : 0);
  }
  /// Runs an entry without inputs or outputs (bump, grow).
  anima_status_t stepNone(Entry entry) {
    return anima_model_step(model, entry, nullptr, 0, nullptr, 0);
  }
  int32_t readN() {
    int32_t n = 0;
    EXPECT_TRUE(isOk(anima_model_read_state(model, kN, &n, 4)));
    return n;
  }

  anima_model_t *model = nullptr;
};

/// A deterministic input stream in [-1, 1).
struct Inputs {
  uint32_t seed = 12345;
  void next(float x[3]) {
    for (int i = 0; i < 3; ++i) {
      seed = seed * 1664525u + 1013904223u;
      x[i] = float(seed >> 8) / float(1u << 23) - 1.0f;
    }
  }
};

/// Returns true iff the bytes of `a` and `b` are identical.
bool sameBits(const std::vector<float> &a, const std::vector<float> &b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(VulkanSetup, LavapipeIsInstalled) {
  const char *files = std::getenv("VK_DRIVER_FILES");
  struct stat st;
  ASSERT_TRUE(files && ::stat(files, &st) == 0)
      << "the lavapipe Vulkan driver manifest (" << (files ? files : "unset")
      << ") is missing: install mesa-vulkan-drivers (and libvulkan1, "
         "vulkan-validationlayers); CI has them";
  anima_model_t *model = nullptr;
  ASSERT_TRUE(isOk(openVulkan(buildVulkanArtifact(), &model)))
      << "install mesa-vulkan-drivers, libvulkan1 and vulkan-validationlayers";
  EXPECT_STREQ(anima_model_backend(model), "vulkan");
  EXPECT_EQ(anima_model_entry_count(model), 5u);
  EXPECT_EQ(anima_model_state_count(model), 4u);
  anima_model_close(model);
}

TEST_F(VulkanTest, MatchesTheCpuComputationOver250Steps) {
  Reference ref;
  Inputs inputs;
  for (int n = 0; n < 250; ++n) {
    float plasticity = n < 100 ? 1.0f : n < 150 ? 0.5f : n < 170 ? 0.0f : 0.25f;
    if (n == 0 || n == 100 || n == 150 || n == 170) {
      ASSERT_TRUE(isOk(anima_model_set_plasticity(model, plasticity)));
    }
    float x[3], y[4], expected[4];
    inputs.next(x);
    ref.step(x, plasticity, expected);
    ASSERT_TRUE(isOk(step(x, y))) << "step " << n;
    ASSERT_EQ(std::memcmp(y, expected, sizeof(y)), 0)
        << "step " << n << ": y = " << y[0] << " " << y[1] << " " << y[2] << " "
        << y[3] << ", expected " << expected[0] << " " << expected[1] << " "
        << expected[2] << " " << expected[3];
    if (n % 50 == 49) { // Reads pull the state back; steps go on after.
      ASSERT_TRUE(sameBits(readFloats(model, kW), ref.W)) << "step " << n;
      ASSERT_EQ(readN(), ref.n);
    }
  }
  EXPECT_TRUE(sameBits(readFloats(model, kW), ref.W));
  EXPECT_EQ(readN(), 250);
  EXPECT_TRUE(sameBits(readFloats(model, kM), initialM()));
}

TEST_F(VulkanTest, PlasticityZeroFreezesTheState) {
  ASSERT_TRUE(isOk(anima_model_set_plasticity(model, 0.0f)));
  std::vector<float> before = readFloats(model, kW);
  Inputs inputs;
  for (int n = 0; n < 20; ++n) {
    float x[3], y[4];
    inputs.next(x);
    ASSERT_TRUE(isOk(step(x, y)));
    for (int r = 0; r < 4; ++r)
      EXPECT_EQ(y[r], before[3 * r] + before[3 * r + 1] + before[3 * r + 2]);
  }
  EXPECT_TRUE(sameBits(readFloats(model, kW), before));
  EXPECT_EQ(readN(), 20); // Not plastic: counted regardless.
}

TEST_F(VulkanTest, WrittenStateIsWhatTheNextStepSees) {
  std::vector<float> W(12);
  for (size_t i = 0; i < W.size(); ++i)
    W[i] = float(i) - 5.5f;
  ASSERT_TRUE(isOk(anima_model_write_state(model, kW, W.data(), 48)));
  std::vector<float> M = initialM();
  M[999] = 42.0f;
  ASSERT_TRUE(isOk(anima_model_write_state(model, kM, M.data(), 4000)));
  Reference ref;
  ref.W = W;
  float x[3] = {0.5f, -1.0f, 0.25f}, y[4], expected[4];
  ref.step(x, 1.0f, expected);
  ASSERT_TRUE(isOk(step(x, y)));
  EXPECT_EQ(std::memcmp(y, expected, sizeof(y)), 0);
  EXPECT_TRUE(sameBits(readFloats(model, kW), ref.W));
  EXPECT_TRUE(sameBits(readFloats(model, kM), M));
  // A refused write changes nothing, on the device either.
  std::vector<float> bad = W;
  bad[3] = NAN;
  EXPECT_TRUE(hasStatus(anima_model_write_state(model, kW, bad.data(), 48),
                        ANIMA_STATUS_NONFINITE, "element 3"));
  EXPECT_TRUE(sameBits(readFloats(model, kW), ref.W));
}

TEST_F(VulkanTest, ResetSnapshotRollbackAndCheckpoints) {
  Inputs inputs;
  float x[3], y[4];
  for (int n = 0; n < 5; ++n) {
    inputs.next(x);
    ASSERT_TRUE(isOk(step(x, y)));
  }
  // Snapshot (pulls the device state), step on, roll back (pushes it).
  anima_snapshot_t *snapshot = nullptr;
  ASSERT_TRUE(isOk(anima_model_snapshot(model, &snapshot)));
  std::vector<std::vector<uint8_t>> atSnapshot = stateBytes(model);
  for (int n = 0; n < 5; ++n) {
    inputs.next(x);
    ASSERT_TRUE(isOk(step(x, y)));
  }
  ASSERT_NE(stateBytes(model), atSnapshot);
  ASSERT_TRUE(isOk(anima_model_rollback(model, snapshot)));
  EXPECT_EQ(stateBytes(model), atSnapshot);
  anima_snapshot_free(snapshot);
  // The next step continues from the rolled-back state.
  Reference ref;
  ref.W = readFloats(model, kW);
  ref.n = readN();
  float expected[4];
  inputs.next(x);
  ref.step(x, 1.0f, expected);
  ASSERT_TRUE(isOk(step(x, y)));
  EXPECT_EQ(std::memcmp(y, expected, sizeof(y)), 0);
  EXPECT_EQ(readN(), ref.n);
  // Checkpoint: save, step, load back; and into a second model.
  TempDir dir;
  std::string ckpt = dir.file("vulkan.ckpt");
  std::vector<std::vector<uint8_t>> saved = stateBytes(model);
  ASSERT_TRUE(isOk(anima_model_save_checkpoint(model, ckpt.c_str())));
  inputs.next(x);
  ASSERT_TRUE(isOk(step(x, y)));
  ASSERT_NE(stateBytes(model), saved);
  ASSERT_TRUE(isOk(anima_model_load_checkpoint(model, ckpt.c_str())));
  EXPECT_EQ(stateBytes(model), saved);
  anima_model_t *other = nullptr;
  ASSERT_TRUE(isOk(openVulkan(buildVulkanArtifact(), &other)));
  ASSERT_TRUE(isOk(anima_model_load_checkpoint(other, ckpt.c_str())));
  EXPECT_EQ(stateBytes(other), saved);
  // Both continue identically.
  float y2[4];
  anima_buffer in{ANIMA_DTYPE_F32, x, 12}, out{ANIMA_DTYPE_F32, y2, 16};
  ASSERT_TRUE(isOk(step(x, y)));
  ASSERT_TRUE(isOk(anima_model_step(other, kStep, &in, 1, &out, 1)));
  EXPECT_EQ(std::memcmp(y, y2, sizeof(y)), 0);
  EXPECT_EQ(stateBytes(other), stateBytes(model));
  anima_model_close(other);
  // A corrupt checkpoint leaves the device state alone.
  std::vector<std::vector<uint8_t>> now = stateBytes(model);
  std::vector<uint8_t> file = readFileBytes(ckpt);
  file[file.size() - 1] ^= 0xFF;
  writeFileBytes(ckpt, file);
  EXPECT_TRUE(hasStatus(anima_model_load_checkpoint(model, ckpt.c_str()),
                        ANIMA_STATUS_DATA_LOSS));
  EXPECT_EQ(stateBytes(model), now);
  // Reset puts the artifact's initial state back on the device.
  ASSERT_TRUE(isOk(anima_model_reset(model)));
  EXPECT_TRUE(sameBits(readFloats(model, kW), initialW()));
  EXPECT_EQ(readN(), 0);
  ref = Reference();
  ref.step(x, 1.0f, expected);
  ASSERT_TRUE(isOk(step(x, y)));
  EXPECT_EQ(std::memcmp(y, expected, sizeof(y)), 0);
}

TEST_F(VulkanTest, NonFiniteUpdateIsRefusedWithTheStateBitIdentical) {
  float x[3] = {0.1f, 0.2f, 0.3f}, y[4];
  ASSERT_TRUE(isOk(step(x, y)));
  std::vector<std::vector<uint8_t>> before = stateBytes(model);
  EXPECT_TRUE(hasStatus(stepK(kPoison, 1e30f), ANIMA_STATUS_NONFINITE,
                        "entry 'poison' refused"));
  EXPECT_EQ(stateBytes(model), before);
  // Refused without a read in between, then a normal step.
  EXPECT_TRUE(hasStatus(stepK(kPoison, 1e30f), ANIMA_STATUS_NONFINITE));
  Reference ref;
  ref.W = readFloats(model, kW);
  ref.n = readN();
  float expected[4];
  ref.step(x, 1.0f, expected);
  ASSERT_TRUE(isOk(step(x, y)));
  EXPECT_EQ(std::memcmp(y, expected, sizeof(y)), 0);
  // A finite poison is accepted.
  ASSERT_TRUE(isOk(stepK(kPoison, 2.0f)));
  std::vector<float> W = readFloats(model, kW);
  for (size_t i = 0; i < W.size(); ++i)
    EXPECT_EQ(W[i], ref.W[i] + 4.0f);
  // NaN/Inf inputs never reach the device.
  EXPECT_TRUE(hasStatus(stepK(kPoison, INFINITY), ANIMA_STATUS_NONFINITE,
                        "input 0 ('k')"));
}

TEST_F(VulkanTest, NonFiniteOutputIsRefusedAndOutputsUntouched) {
  float z[4] = {7, 7, 7, 7};
  std::vector<std::vector<uint8_t>> before = stateBytes(model);
  EXPECT_TRUE(hasStatus(stepK(kProbe, 1e30f, z), ANIMA_STATUS_NONFINITE));
  for (float v : z)
    EXPECT_EQ(v, 7.0f);
  EXPECT_EQ(stateBytes(model), before);
  ASSERT_TRUE(isOk(stepK(kProbe, 2.0f, z)));
  std::vector<float> W = initialW();
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(z[i], W[i] * 2.0f * 2.0f);
}

TEST_F(VulkanTest, IntegerStatesAreNotChecked) {
  ASSERT_TRUE(isOk(stepNone(kBump)));
  EXPECT_EQ(readN(), 0x7F800000);
}

TEST_F(VulkanTest, GuardCoversLargeStatesToTheLastElement) {
  std::vector<float> B(kBElements, 0.0f);
  B.back() = 3e38f;
  ASSERT_TRUE(isOk(anima_model_write_state(model, kB, B.data(), B.size() * 4)));
  ASSERT_TRUE(isOk(anima_model_set_plasticity(model, 1.0f)));
  ASSERT_TRUE(isOk(stepNone(kGrow)));
  std::vector<float> grown = readFloats(model, kB);
  EXPECT_EQ(grown[0], 1.0f);
  EXPECT_EQ(grown[kBElements / 2], 1.0f);
  EXPECT_EQ(grown.back(), 3e38f + 1.0f);
  ASSERT_TRUE(isOk(anima_model_set_plasticity(model, 1e38f)));
  EXPECT_TRUE(hasStatus(stepNone(kGrow), ANIMA_STATUS_NONFINITE,
                        "entry 'grow' refused"));
  EXPECT_TRUE(sameBits(readFloats(model, kB), grown));
}

TEST_F(VulkanTest, ArgumentErrorsAreCheckedBeforeTheDevice) {
  float x[3] = {0, 0, 0}, y[4];
  anima_buffer in{ANIMA_DTYPE_F32, x, 8}, out{ANIMA_DTYPE_F32, y, 16};
  EXPECT_TRUE(hasStatus(anima_model_step(model, kStep, &in, 1, &out, 1),
                        ANIMA_STATUS_INVALID_ARGUMENT, "8 bytes"));
  EXPECT_TRUE(hasStatus(anima_model_step(model, 9, &in, 1, &out, 1),
                        ANIMA_STATUS_INVALID_ARGUMENT, "out of range"));
  EXPECT_EQ(readN(), 0);
}

/// Opens `parts` and checks the status.
::testing::AssertionResult opensWith(const VulkanParts &parts,
                                     anima_status_code_t code,
                                     const std::string &text) {
  anima_model_t *model = nullptr;
  anima_status_t s = openVulkan(buildVulkanArtifact(parts), &model);
  if (!s) {
    anima_model_close(model);
    return ::testing::AssertionFailure() << "opened; expected " << text;
  }
  return hasStatus(s, code, text);
}

TEST(VulkanSchedule, EveryRuleIsReportedByName) {
  struct Case {
    const char *from, *to;
    anima_status_code_t code;
    const char *text;
  } cases[] = {
      {"\"format\": \"anima-vulkan-schedule\"", "\"format\": \"x\"",
       ANIMA_STATUS_INCOMPATIBLE, "vulkan.schedule: format is \"x\""},
      {"\"version\": 1", "\"version\": 2", ANIMA_STATUS_INCOMPATIBLE,
       "vulkan.schedule: version is 2"},
      {"\"version\": 1", "\"version\": 1,", ANIMA_STATUS_DATA_LOSS,
       "vulkan.schedule: invalid JSON"},
      {"\"spirv_offset\": 0,", "\"spirv_offset\": 1000000,",
       ANIMA_STATUS_DATA_LOSS,
       "vulkan.schedule: kernels[0]: SPIR-V [1000000, +"},
      {"\"spirv_offset\": 0,", "\"spirv_offset\": 2,", ANIMA_STATUS_DATA_LOSS,
       "kernels[0].spirv_offset = 2 is not a multiple of 4"},
      {"\"spirv_offset\": 0,", "\"spirv_offset\": 4,", ANIMA_STATUS_DATA_LOSS,
       "kernels[0]: the SPIR-V module starts with 0x"},
      {"\"entry\": \"main\"", "\"entry\": \"nope\"", ANIMA_STATUS_DATA_LOSS,
       "kernels[0]: \"entry\" \"nope\" is not a GLCompute entry point"},
      {"\"workgroup_size\": [64, 1, 1]", "\"workgroup_size\": [32, 1, 1]",
       ANIMA_STATUS_DATA_LOSS,
       "kernels[0]: \"workgroup_size\" [32, 1, 1] differs from the module's "
       "LocalSize [64, 1, 1]"},
      {"\"workgroup_size\": [64, 1, 1]", "\"workgroup_size\": [64, 0, 1]",
       ANIMA_STATUS_DATA_LOSS, "kernels[0].workgroup_size[1] = 0 must be > 0"},
      {"\"bindings\": 3}", "\"bindings\": 2}", ANIMA_STATUS_DATA_LOSS,
       "kernels[0]: the SPIR-V module uses binding 2, \"bindings\" is 2"},
      {", \"bindings\": 3}", "}", ANIMA_STATUS_DATA_LOSS,
       "kernels[0]: missing \"bindings\""},
      {"\"bindings\": [0, 1, 4]", "\"bindings\": [0, 1]",
       ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].commands[0].bindings has 2 buffers, kernel 0 "
       "(\"update\") has 3 bindings"},
      {"\"bindings\": [0, 1, 4]", "\"bindings\": [0, 9, 4]",
       ANIMA_STATUS_DATA_LOSS,
       "vulkan.schedule: entry_points[0].commands[0].bindings[1] = 9 is not "
       "a buffer (the entry has 6)"},
      {"\"kernel\": 1,", "\"kernel\": 7,", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].commands[1].kernel = 7 is not a kernel (the schedule "
       "has 7)"},
      {"\"groups\": [1, 1, 1]", "\"groups\": [0, 1, 1]", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].commands[0].groups[0] = 0 must be > 0"},
      {"\"groups\": [1, 1, 1]", "\"groups\": [1, 1]", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].commands[0].groups must have 3 elements"},
      {"\"groups\": [1, 1, 1]", "\"groups\": \"many\"", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].commands[0].groups must be an array, not string"},
      {"\"groups\": [1, 1, 1]", "\"groups\": [70000, 1, 1]",
       ANIMA_STATUS_INCOMPATIBLE,
       "entry_points[0].commands[0].groups[0] = 70000 exceeds the device's "
       "maxComputeWorkGroupCount[0]"},
      {"\"writes\": [0]}", "\"writes\": [3]}", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].commands[0].writes[0] = 3 is not a binding position "
       "(the dispatch has 3)"},
      {"\"dst\": 2, \"bytes\": 16", "\"dst\": 2, \"bytes\": 20",
       ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].commands[2].bytes = 20 exceeds buffer 3 (16 bytes)"},
      {"\"dst\": 2, \"bytes\": 16", "\"dst\": 2, \"bytes\": 0",
       ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].commands[2].bytes = 0 must be > 0"},
      {"\"src\": 3,", "\"src\": 6,", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].commands[2].src = 6 is not a buffer (the entry has "
       "6)"},
      {"\"dst\": 2,", "\"dst\": 3,", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].commands[2]: \"src\" and \"dst\" are the same buffer"},
      {"{\"kind\": \"state\", \"index\": 1}",
       "{\"kind\": \"state\", \"index\": 9}", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].buffers[5].index = 9 is not a state (the model has "
       "4)"},
      {"{\"kind\": \"input\", \"index\": 0}",
       "{\"kind\": \"input\", \"index\": 1}", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].buffers[1].index = 1 is not an input (the entry has "
       "1)"},
      {"{\"kind\": \"output\", \"index\": 0}",
       "{\"kind\": \"output\", \"index\": 5}", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].buffers[2].index = 5 is not an output (the entry has "
       "1)"},
      {"{\"kind\": \"context\"}", "{\"kind\": \"ghost\"}",
       ANIMA_STATUS_INCOMPATIBLE,
       "entry_points[0].buffers[4].kind \"ghost\" is unknown"},
      {"{\"kind\": \"temp\", \"bytes\": 16}", "{\"kind\": \"temp\"}",
       ANIMA_STATUS_DATA_LOSS, "entry_points[0].buffers[3]: missing \"bytes\""},
      {"{\"kind\": \"temp\", \"bytes\": 16}",
       "{\"kind\": \"temp\", \"bytes\": 0}", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0].buffers[3].bytes = 0 must be > 0"},
      {"{\"op\": \"copy\"", "{\"op\": \"fill\"", ANIMA_STATUS_INCOMPATIBLE,
       "entry_points[0].commands[2].op \"fill\" is unknown"},
      {"\"poison\",\n     \"buffers\"", "\"poisson\",\n     \"buffers\"",
       ANIMA_STATUS_DATA_LOSS,
       "entry_points[1].name is \"poisson\", the manifest's entry point 1 is "
       "\"poison\""},
      {"\"max_workgroup_invocations\": 64",
       "\"max_workgroup_invocations\": 999999", ANIMA_STATUS_INCOMPATIBLE,
       "requires.max_workgroup_invocations = 999999 exceeds the device's "
       "maxComputeWorkGroupInvocations"},
      {"\"max_shared_bytes\": 0", "\"max_shared_bytes\": 99999999",
       ANIMA_STATUS_INCOMPATIBLE,
       "requires.max_shared_bytes = 99999999 exceeds the device's "
       "maxComputeSharedMemorySize"},
      {"\"min_subgroup_size\": 1", "\"min_subgroup_size\": 4096",
       ANIMA_STATUS_INCOMPATIBLE,
       "requires.min_subgroup_size = 4096 exceeds the device's smallest "
       "subgroup size"},
      {"\"subgroup_arithmetic\": false", "\"subgroup_arithmetic\": 1",
       ANIMA_STATUS_DATA_LOSS,
       "requires.subgroup_arithmetic must be a boolean, not integer"},
  };
  for (const Case &c : cases) {
    VulkanParts parts;
    parts.schedule = replaced(defaultSchedule(), c.from, c.to);
    EXPECT_TRUE(opensWith(parts, c.code, c.text)) << c.from << " -> " << c.to;
  }
  VulkanParts parts;
  parts.schedule = defaultSchedule(/*dropLastEntry=*/true);
  EXPECT_TRUE(opensWith(parts, ANIMA_STATUS_DATA_LOSS,
                        "vulkan.schedule: entry_points has 4 entries, the "
                        "manifest has 5 entry points"));
  parts.schedule = "[]";
  EXPECT_TRUE(opensWith(parts, ANIMA_STATUS_DATA_LOSS,
                        "vulkan.schedule: the top level must be an object"));
  // SPIR-V section damage: a module whose magic is wrong.
  parts = VulkanParts();
  parts.spirv[0] ^= 0xFF;
  EXPECT_TRUE(opensWith(parts, ANIMA_STATUS_DATA_LOSS,
                        "kernels[0]: the SPIR-V module starts with 0x"));
  // A truncated instruction stream.
  parts = VulkanParts();
  parts.spirv[4 * 5 + 2] = 0xFF; // word count of the first instruction
  parts.spirv[4 * 5 + 3] = 0xFF;
  EXPECT_TRUE(opensWith(parts, ANIMA_STATUS_DATA_LOSS,
                        "kernels[0]: malformed SPIR-V: the instruction at "
                        "word 5"));
  // Supported requirements open.
  parts = VulkanParts();
  parts.schedule = replaced(defaultSchedule(), "\"subgroup_arithmetic\": false",
                            "\"subgroup_arithmetic\": true");
  anima_model_t *model = nullptr;
  EXPECT_TRUE(isOk(openVulkan(buildVulkanArtifact(parts), &model)));
  anima_model_close(model);
}

TEST(VulkanSchedule, TargetAndSectionProblems) {
  VulkanParts parts;
  parts.manifest =
      replaced(parts.manifest, ", \"schedule\": \"vulkan.schedule\"", "");
  EXPECT_TRUE(opensWith(parts, ANIMA_STATUS_DATA_LOSS,
                        "targets[0] (vulkan): missing \"schedule\""));
  parts = VulkanParts();
  parts.manifest = replaced(parts.manifest, "\"schedule\": \"vulkan.schedule\"",
                            "\"schedule\": \"nope\"");
  EXPECT_TRUE(opensWith(parts, ANIMA_STATUS_DATA_LOSS,
                        "schedule section 'nope' is not in the artifact"));
  parts = VulkanParts();
  parts.scheduleKind = 9;
  EXPECT_TRUE(
      opensWith(parts, ANIMA_STATUS_DATA_LOSS,
                "schedule section 'vulkan.schedule' has kind 9, expected 5"));
  parts = VulkanParts();
  parts.spirvKind = 5;
  EXPECT_TRUE(opensWith(parts, ANIMA_STATUS_DATA_LOSS,
                        "section 'vulkan.spirv' has kind 5, expected 4"));
  parts = VulkanParts();
  parts.manifest =
      replaced(parts.manifest, "spirv-vulkan1.1", "spirv-vulkan2.0");
  EXPECT_TRUE(opensWith(parts, ANIMA_STATUS_INCOMPATIBLE,
                        "vulkan target triple 'spirv-vulkan2.0'"));
  parts.manifest = replaced(VulkanParts().manifest, "spirv-vulkan1.1",
                            "spirv1.3-vulkan1.1x");
  EXPECT_TRUE(opensWith(parts, ANIMA_STATUS_INCOMPATIBLE,
                        "vulkan target triple 'spirv1.3-vulkan1.1x'"));
  for (const char *triple : {"spirv1.3-vulkan1.1", "", "spirv-vulkan1.0"}) {
    parts.manifest =
        replaced(VulkanParts().manifest, "spirv-vulkan1.1", triple);
    anima_model_t *model = nullptr;
    EXPECT_TRUE(isOk(openVulkan(buildVulkanArtifact(parts), &model))) << triple;
    anima_model_close(model);
  }
  // The cpu toy has no vulkan target.
  std::vector<uint8_t> cpu = buildArtifact();
  anima_model_t *model = nullptr;
  EXPECT_TRUE(hasStatus(openVulkan(cpu, &model), ANIMA_STATUS_INCOMPATIBLE,
                        "the artifact has no vulkan target (compile it with "
                        "--target=vulkan)"));
  // And the vulkan toy has no cpu target.
  EXPECT_TRUE(hasStatus(openBytes(buildVulkanArtifact(), &model),
                        ANIMA_STATUS_INCOMPATIBLE, "no cpu target"));
}

/// Sets an environment variable for the scope, restoring it after.
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name(name) {
    const char *old = std::getenv(name);
    had = old != nullptr;
    if (had)
      previous = old;
    if (value)
      ::setenv(name, value, 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (had)
      ::setenv(name, previous.c_str(), 1);
    else
      ::unsetenv(name);
  }

private:
  const char *name;
  bool had = false;
  std::string previous;
};

TEST(VulkanDevice, SelectionByIndexNameAndEnvironment) {
  std::vector<uint8_t> bytes = buildVulkanArtifact();
  for (const char *device : {"llvmpipe", "LLVMpipe", "0", ""}) {
    anima_model_t *model = nullptr;
    EXPECT_TRUE(isOk(openVulkan(bytes, &model, device))) << device;
    anima_model_close(model);
  }
  anima_model_t *model = nullptr;
  EXPECT_TRUE(hasStatus(openVulkan(bytes, &model, "7"), ANIMA_STATUS_NOT_FOUND,
                        "no Vulkan device with a compute queue matches '7' "
                        "(devices: 0: llvmpipe"));
  EXPECT_TRUE(hasStatus(openVulkan(bytes, &model, "no-such-gpu"),
                        ANIMA_STATUS_NOT_FOUND, "llvmpipe"));
  {
    ScopedEnv env("ANIMA_VULKAN_DEVICE", "no-such-gpu");
    EXPECT_TRUE(hasStatus(openVulkan(bytes, &model), ANIMA_STATUS_NOT_FOUND,
                          "matches 'no-such-gpu'"));
    // The option wins over the environment.
    EXPECT_TRUE(isOk(openVulkan(bytes, &model, "llvmpipe")));
    anima_model_close(model);
  }
  {
    ScopedEnv env("ANIMA_VULKAN_DEVICE", "llvm");
    EXPECT_TRUE(isOk(openVulkan(bytes, &model)));
    anima_model_close(model);
  }
}

TEST(VulkanDevice, OptionsOfAnOlderCallerAreHonoured) {
  std::vector<uint8_t> bytes = buildVulkanArtifact();
  anima_open_options options;
  anima_open_options_init(&options);
  EXPECT_EQ(options.device, nullptr);
  options.backend = "vulkan";
  options.flags = ANIMA_OPEN_VULKAN_VALIDATION;
  options.device = "no-such-gpu"; // Beyond the older struct: never read.
  options.struct_size = offsetof(anima_open_options, device);
  anima_model_t *model = nullptr;
  ASSERT_TRUE(isOk(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model)));
  EXPECT_STREQ(anima_model_backend(model), "vulkan");
  anima_model_close(model);
  options.struct_size = sizeof(options);
  EXPECT_TRUE(hasStatus(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model),
      ANIMA_STATUS_NOT_FOUND, "no-such-gpu"));
  options.device = nullptr;
  options.flags = 4;
  EXPECT_TRUE(hasStatus(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model),
      ANIMA_STATUS_INVALID_ARGUMENT, "reserved"));
}

/// Returns the files of `dir` (none if it does not exist).
std::vector<std::string> filesIn(const std::string &dir) {
  std::vector<std::string> names;
  if (DIR *d = ::opendir(dir.c_str())) {
    while (dirent *e = ::readdir(d))
      if (e->d_name[0] != '.')
        names.push_back(dir + "/" + e->d_name);
    ::closedir(d);
  }
  return names;
}

/// Opens the default artifact and checks one step against the reference.
void openAndStep() {
  anima_model_t *model = nullptr;
  ASSERT_TRUE(isOk(openVulkan(buildVulkanArtifact(), &model)));
  float x[3] = {1, 2, 3}, y[4], expected[4];
  Reference ref;
  ref.step(x, 1.0f, expected);
  anima_buffer in{ANIMA_DTYPE_F32, x, 12}, out{ANIMA_DTYPE_F32, y, 16};
  EXPECT_TRUE(isOk(anima_model_step(model, kStep, &in, 1, &out, 1)));
  EXPECT_EQ(std::memcmp(y, expected, sizeof(y)), 0);
  anima_model_close(model);
}

TEST(VulkanPipelineCache, PersistedAndDamageIgnored) {
  TempDir home;
  ScopedEnv env("XDG_CACHE_HOME", home.path().c_str());
  std::string dir = home.path() + "/anima";
  openAndStep();
  std::vector<std::string> files = filesIn(dir);
  ASSERT_EQ(files.size(), 1u) << "no cache file in " << dir;
  EXPECT_NE(files[0].find(".vkpipelinecache"), std::string::npos);
  std::vector<uint8_t> good = readFileBytes(files[0]);
  ASSERT_GE(good.size(), 24u + 32u); // our header + Vulkan's
  openAndStep();                     // Loads the cache.
  // Damaged files are ignored (and replaced by a good one).
  std::vector<std::vector<uint8_t>> damaged;
  damaged.push_back({});
  damaged.push_back(std::vector<uint8_t>(good.begin(), good.begin() + 30));
  damaged.push_back(good);
  damaged.back()[good.size() / 2] ^= 0x5A; // CRC mismatch
  damaged.push_back(std::vector<uint8_t>(4096, 0xAB));
  damaged.push_back(good);
  damaged.back()[24 + 16] ^= 0xFF; // pipelineCacheUUID of another driver,
  uint32_t crc = artifact::crc32c(damaged.back().data() + 24, good.size() - 24);
  for (int i = 0; i < 4; ++i) // with a valid CRC
    damaged.back()[12 + i] = uint8_t(crc >> (8 * i));
  for (const std::vector<uint8_t> &bytes : damaged) {
    writeFileBytes(files[0], bytes);
    openAndStep();
    EXPECT_EQ(readFileBytes(files[0]).size(), good.size());
  }
  for (const std::string &f : filesIn(dir))
    ::unlink(f.c_str());
  ::rmdir(dir.c_str());
  // An unwritable cache directory: in memory only.
  ScopedEnv nowhere("XDG_CACHE_HOME", "/proc/anima-no-cache");
  ScopedEnv quiet("MESA_SHADER_CACHE_DISABLE", "true"); // Mesa's own cache
  openAndStep();
}

/// Runs anima-run with `args`; returns the exit code, `output` gets stdout
/// and stderr.
int runTool(const std::string &args, std::string *output) {
  std::string command =
      std::string("'") + ANIMA_RUN_PATH + "' " + args + " 2>&1 </dev/null";
#if defined(__SANITIZE_ADDRESS__)
  // The Vulkan loader unloads the driver and layers, whose leaks at exit
  // LeakSanitizer then cannot attribute (VulkanTestMain.cpp pins them in
  // this process; anima-run is not ours to pin).
  command = "ASAN_OPTIONS=\"$ASAN_OPTIONS:detect_leaks=0\" " + command;
#endif
  FILE *pipe = ::popen(command.c_str(), "r");
  if (!pipe)
    return -1;
  char buffer[4096];
  size_t n;
  output->clear();
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    output->append(buffer, n);
  int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(VulkanAnimaRun, RunsWithDeviceAndValidationFlags) {
  TempDir dir;
  std::string artifact = dir.file("toy.anima"), ckpt = dir.file("toy.ckpt");
  writeFileBytes(artifact, buildVulkanArtifact());
  std::string out;
  std::string common = artifact + " --backend vulkan --vulkan-validation ";
  ASSERT_EQ(
      runTool(common + "--device llvmpipe --steps 40 --checkpoint " + ckpt,
              &out),
      0)
      << out;
  EXPECT_NE(out.find("i32[1]"), std::string::npos) << out;
  EXPECT_EQ(out.find("Vulkan validation"), std::string::npos) << out;
  // The second run continues from the checkpoint: n = 80.
  ASSERT_EQ(
      runTool(common + "--steps 40 --entry step --checkpoint " + ckpt, &out), 0)
      << out;
  EXPECT_NE(out.find(" 80\n"), std::string::npos) << out;
  EXPECT_EQ(runTool(common + "--device no-such-gpu --steps 1", &out), 1) << out;
  EXPECT_NE(out.find("no Vulkan device with a compute queue matches "
                     "'no-such-gpu'"),
            std::string::npos)
      << out;
  EXPECT_EQ(runTool(artifact + " --steps 1", &out), 1) << out;
  EXPECT_NE(out.find("no cpu target"), std::string::npos) << out;
}

} // namespace
} // namespace anima::test::vulkan
