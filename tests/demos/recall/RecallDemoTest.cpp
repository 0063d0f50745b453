//===- RecallDemoTest.cpp - Claims of the associative-recall demo --------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Drives the compiled examples/recall model (nine memories: hebb, delta and
// gated writes x dense, k-WTA-1024 and k-WTA-4096 keys) with the demo's own
// seeded streams (recall_stream.h) and checks the ordering the demo claims:
// re-coding correlated keys through a random expansion and k-WTA makes the
// delta rule recall 64 pairs, and the delta rule recalls the latest binding
// of a re-bound key where a Hebbian write cannot tell it from the old one.
//
//===----------------------------------------------------------------------===//

#include "recall_stream.h"

#include <gtest/gtest.h>

#include <cstring>

namespace {

using recall::memoryIndex;

class RecallDemoTest : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_EQ(mem.open(ANIMA_RECALL_ARTIFACT), ""); }

  recall::Memories mem;
  recall::StreamOptions options; // rho 0.65, no distractors, seed 1
};

TEST_F(RecallDemoTest, KwtaKeysLetTheDeltaRuleRecall64CorrelatedPairs) {
  recall::Score score;
  ASSERT_EQ(recall::runCapacity(mem, 64, 16, options, &score), "");
  ASSERT_EQ(score.queries, 1024u);
  const double deltaDense = score.rate(memoryIndex(recall::kDelta, recall::kDense));
  const double delta1k = score.rate(memoryIndex(recall::kDelta, recall::kKwta1k));
  const double delta4k = score.rate(memoryIndex(recall::kDelta, recall::kKwta4k));
  const double hebb1k = score.rate(memoryIndex(recall::kHebb, recall::kKwta1k));
  // Correlated dense keys: the delta rule is near chance (1/64).
  EXPECT_LT(deltaDense, 0.15);
  // Random expansion + k-WTA (32 active): >= 90% at 64 pairs.
  EXPECT_GE(delta1k, 0.90);
  EXPECT_GE(delta4k, 0.90);
  // The delta rule beats the Hebbian write on the same sparse keys.
  EXPECT_GT(delta1k, hebb1k + 0.2);
}

TEST_F(RecallDemoTest, DeltaRuleRecallsTheLatestBindingOfReboundKeys) {
  options.distractors = 1.0;
  recall::Score score;
  ASSERT_EQ(recall::runRebinding(mem, 8, 128, options, &score), "");
  ASSERT_EQ(score.queries, 1024u);
  const int delta = memoryIndex(recall::kDelta, recall::kKwta4k);
  const int hebb = memoryIndex(recall::kHebb, recall::kKwta4k);
  EXPECT_GE(score.rate(delta), 0.99);
  EXPECT_LE(score.staleRate(delta), 0.01);
  // A Hebbian write holds old + new value: about a coin flip between them.
  EXPECT_LT(score.rate(hebb), 0.70);
  EXPECT_GT(score.staleRate(hebb), 0.25);
  EXPECT_GT(score.rate(delta), score.rate(hebb) + 0.25);
}

TEST_F(RecallDemoTest, ReadLeavesTheStateUntouched) {
  recall::Rng rng(42);
  recall::KeySource keys(rng, options.rho);
  for (int i = 0; i < 10; ++i)
    ASSERT_EQ(mem.write(keys.next(), recall::randomValue(rng)), "");
  anima::Model &model = mem.get();
  std::vector<std::vector<float>> before(model.stateCount());
  for (size_t s = 0; s < before.size(); ++s)
    ASSERT_TRUE(model.readState(s, &before[s]).ok());

  const recall::Vec query = keys.next();
  std::array<recall::Vec, recall::kMemories> first, second;
  ASSERT_EQ(mem.read(query, &first), "");
  ASSERT_EQ(mem.read(query, &second), "");
  for (int m = 0; m < recall::kMemories; ++m)
    EXPECT_EQ(std::memcmp(first[m].data(), second[m].data(),
                          sizeof(recall::Vec)),
              0);
  for (size_t s = 0; s < before.size(); ++s) {
    std::vector<float> after;
    ASSERT_TRUE(model.readState(s, &after).ok());
    EXPECT_EQ(after, before[s]) << "state " << s;
  }
}

TEST_F(RecallDemoTest, FrozenMemoriesStoreNothing) {
  ASSERT_TRUE(mem.get().setPlasticity(0.0f).ok());
  recall::Rng rng(7);
  recall::KeySource keys(rng, options.rho);
  const recall::Vec key = keys.next();
  ASSERT_EQ(mem.write(key, recall::randomValue(rng)), "");
  std::array<recall::Vec, recall::kMemories> read;
  ASSERT_EQ(mem.read(key, &read), "");
  for (int m = 0; m < recall::kMemories; ++m)
    for (float x : read[m])
      EXPECT_EQ(x, 0.0f) << recall::ruleName(m % recall::kRules) << " "
                         << recall::codingName(m / recall::kRules);
}

} // namespace
