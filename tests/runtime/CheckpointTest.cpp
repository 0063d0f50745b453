//===- CheckpointTest.cpp - Saving, loading and rejecting checkpoints -----===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "ToyModel.h"

#include <cstring>
#include <limits>

namespace anima::test {
namespace {

/// A toy model with some learned state and a temporary directory.
class CheckpointTest : public ToyModelTest {
protected:
  void SetUp() override {
    ToyModelTest::SetUp();
    float x[3] = {0.5f, -0.25f, 1}, y[4];
    for (int s = 0; s < 3; ++s)
      ASSERT_TRUE(isOk(step(x, y)));
    path = dir.file("toy.ckpt");
  }

  /// Changes the state so that a load has something to restore.
  void perturb() {
    float x[3] = {-1, 1, 0.5f}, y[4];
    ASSERT_TRUE(isOk(step(x, y)));
  }

  /// Loads `bytes` as a checkpoint, expecting `code`/`text` and no state
  /// change.
  void expectRejected(const std::vector<uint8_t> &bytes,
                      anima_status_code_t code, const std::string &text,
                      const std::string &label) {
    writeFileBytes(path, bytes);
    auto before = stateBytes(model);
    EXPECT_TRUE(
        hasStatus(anima_model_load_checkpoint(model, path.c_str()), code, text))
        << label;
    EXPECT_EQ(stateBytes(model), before) << label;
  }

  TempDir dir;
  std::string path;
};

/// Stores a little-endian u32 at `p`.
void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}

/// Recomputes both CRCs of a checkpoint after a test edited it.
void fixCheckpointCrcs(std::vector<uint8_t> &bytes) {
  put32(bytes.data() + 44, artifact::crc32c(bytes.data(), 44));
  put32(bytes.data() + bytes.size() - 4,
        artifact::crc32c(bytes.data() + 48, bytes.size() - 52));
}

TEST_F(CheckpointTest, SaveModifyLoadRestoresExactly) {
  ASSERT_TRUE(isOk(anima_model_save_checkpoint(model, path.c_str())));
  auto saved = stateBytes(model);
  perturb();
  ASSERT_NE(stateBytes(model), saved);
  ASSERT_TRUE(isOk(anima_model_load_checkpoint(model, path.c_str())));
  EXPECT_EQ(stateBytes(model), saved);
}

TEST_F(CheckpointTest, LoadsIntoAFreshModelOfTheSameArtifact) {
  ASSERT_TRUE(isOk(anima_model_save_checkpoint(model, path.c_str())));
  anima_model_t *fresh = nullptr;
  ASSERT_TRUE(isOk(openBytes(buildArtifact(), &fresh)));
  ASSERT_TRUE(isOk(anima_model_load_checkpoint(fresh, path.c_str())));
  EXPECT_EQ(stateBytes(fresh), stateBytes(model));
  anima_model_close(fresh);
}

TEST_F(CheckpointTest, SaveIsAtomicAndLeavesNoTemporaryFiles) {
  ASSERT_TRUE(isOk(anima_model_save_checkpoint(model, path.c_str())));
  auto first = readFileBytes(path);
  perturb();
  ASSERT_TRUE(isOk(anima_model_save_checkpoint(model, path.c_str())));
  auto second = readFileBytes(path);
  EXPECT_NE(first, second);
  EXPECT_EQ(first.size(), second.size());
  EXPECT_EQ(dir.list(), std::vector<std::string>{"toy.ckpt"});
  // 48-byte header, 3 records, 4-byte CRC.
  EXPECT_EQ(second.size(), 48u + (4 + 1 + 8 + 48) + 2 * (4 + 1 + 8 + 4) + 4);
  EXPECT_EQ(std::memcmp(second.data(), "ANIMACKP", 8), 0);
  EXPECT_TRUE(hasStatus(
      anima_model_save_checkpoint(model, dir.file("no/dir/x.ckpt").c_str()),
      ANIMA_STATUS_NOT_FOUND, "no/dir/x.ckpt"));
}

TEST_F(CheckpointTest, EveryTruncationIsRejected) {
  ASSERT_TRUE(isOk(anima_model_save_checkpoint(model, path.c_str())));
  auto good = readFileBytes(path);
  perturb();
  for (size_t length = 0; length < good.size(); ++length) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + length);
    expectRejected(cut, ANIMA_STATUS_DATA_LOSS, "",
                   "length " + std::to_string(length));
  }
}

TEST_F(CheckpointTest, EveryByteFlipIsRejected) {
  ASSERT_TRUE(isOk(anima_model_save_checkpoint(model, path.c_str())));
  auto good = readFileBytes(path);
  perturb();
  for (size_t at = 0; at < good.size(); ++at) {
    std::vector<uint8_t> damaged = good;
    damaged[at] ^= 0x04;
    writeFileBytes(path, damaged);
    auto before = stateBytes(model);
    anima_status_t status = anima_model_load_checkpoint(model, path.c_str());
    ASSERT_NE(status, nullptr) << "byte " << at;
    anima_status_code_t code = anima_status_code(status);
    EXPECT_TRUE(code == ANIMA_STATUS_DATA_LOSS ||
                code == ANIMA_STATUS_INCOMPATIBLE)
        << "byte " << at << ": " << anima_status_message(status);
    anima_status_free(status);
    EXPECT_EQ(stateBytes(model), before) << "byte " << at;
  }
}

TEST_F(CheckpointTest, SpecificRejections) {
  ASSERT_TRUE(isOk(anima_model_save_checkpoint(model, path.c_str())));
  auto good = readFileBytes(path);
  perturb();

  auto bytes = good;
  bytes[0] = 'X';
  expectRejected(bytes, ANIMA_STATUS_INCOMPATIBLE, "not an Anima checkpoint",
                 "magic");
  bytes = good;
  put32(bytes.data() + 8, 2);
  fixCheckpointCrcs(bytes);
  expectRejected(bytes, ANIMA_STATUS_INCOMPATIBLE, "checkpoint version 2",
                 "version");
  bytes = good;
  bytes[50] ^= 1;
  expectRejected(bytes, ANIMA_STATUS_DATA_LOSS, "payload CRC mismatch",
                 "payload");
  bytes = good;
  bytes.pop_back();
  expectRejected(bytes, ANIMA_STATUS_DATA_LOSS, "truncated?", "truncated");
  expectRejected({}, ANIMA_STATUS_DATA_LOSS, "empty", "empty");
  bytes = good;
  put32(bytes.data() + 12, 2);
  fixCheckpointCrcs(bytes);
  expectRejected(bytes, ANIMA_STATUS_DATA_LOSS, "holds 2 state tensors",
                 "state count");
  // Rename state "c" to "q": a CRC-valid checkpoint missing a state.
  bytes = good;
  size_t cName = 48 + 4 + 1 + 8 + 48 + 4;
  ASSERT_EQ(bytes[cName], 'c');
  bytes[cName] = 'q';
  fixCheckpointCrcs(bytes);
  expectRejected(bytes, ANIMA_STATUS_DATA_LOSS, "the model has no state 'q'",
                 "unknown state");
  bytes[cName] = 'W';
  fixCheckpointCrcs(bytes);
  expectRejected(bytes, ANIMA_STATUS_DATA_LOSS, "state 'W' appears twice",
                 "duplicate state");
  // A NaN inside W with valid CRCs.
  bytes = good;
  float nan = std::numeric_limits<float>::quiet_NaN();
  std::memcpy(bytes.data() + 48 + 4 + 1 + 8 + 8, &nan, 4);
  fixCheckpointCrcs(bytes);
  expectRejected(bytes, ANIMA_STATUS_NONFINITE,
                 "state 'W': element 2 is not finite", "nan");
  // Far too large to be a checkpoint of this model.
  bytes = good;
  bytes.resize(good.size() + (size_t(1) << 20) + 1);
  expectRejected(bytes, ANIMA_STATUS_DATA_LOSS, "far larger", "huge");

  auto before = stateBytes(model);
  EXPECT_TRUE(
      hasStatus(anima_model_load_checkpoint(model, dir.file("missing").c_str()),
                ANIMA_STATUS_NOT_FOUND, "missing"));
  EXPECT_EQ(stateBytes(model), before);
}

TEST_F(CheckpointTest, CheckpointOfAnotherArtifactIsRefused) {
  ArtifactParts parts;
  parts.init = toyInitialState(toyInitialW(), 1.0f);
  anima_model_t *other = nullptr;
  ASSERT_TRUE(isOk(openBytes(buildArtifact(parts), &other)));
  std::string otherPath = dir.file("other.ckpt");
  ASSERT_TRUE(isOk(anima_model_save_checkpoint(other, otherPath.c_str())));
  anima_model_close(other);
  auto before = stateBytes(model);
  EXPECT_TRUE(hasStatus(anima_model_load_checkpoint(model, otherPath.c_str()),
                        ANIMA_STATUS_INCOMPATIBLE,
                        "the checkpoint belongs to artifact"));
  EXPECT_EQ(stateBytes(model), before);
}

} // namespace
} // namespace anima::test
