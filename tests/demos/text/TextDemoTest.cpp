//===- TextDemoTest.cpp - Claims of the text-stream demo -----------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Streams the first 64 KB of the vim documentation (Debian's vim-runtime)
// through the compiled examples/text-stream model with the demo's own input
// preprocessing (text_features.h) and checks that learning while predicting
// is what makes it good: the living model beats the same model frozen
// (plasticity 0) from the start and after a warm-up, and beats an adaptive
// order-0 model, by clear margins in prequential bits per character.
//
//===----------------------------------------------------------------------===//

#include "text_features.h"

#include <gtest/gtest.h>

namespace {

constexpr size_t kBytes = 64 * 1024;

class TextDemoTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string err = textstream::loadVimDocs(kBytes, &data);
    if (!err.empty())
      GTEST_SKIP() << err;
    ASSERT_EQ(data.size(), kBytes);
    ASSERT_EQ(model.open(ANIMA_TEXT_STREAM_ARTIFACT), "");
  }

  /// Mean bits per byte of steps [begin, end), or -1 on a failed step.
  double run(size_t begin, size_t end, bool memory = true) {
    float logits[textstream::kClasses];
    double bits = 0;
    for (size_t i = begin; i < end; ++i) {
      std::string e = model.step(data.data(), i, memory, logits);
      EXPECT_EQ(e, "") << "byte " << i;
      if (!e.empty())
        return -1;
      bits += textstream::bitsOf(logits, data[i]);
    }
    return bits / double(end - begin);
  }

  std::vector<uint8_t> data;
  textstream::TextModel model;
};

TEST_F(TextDemoTest, LivingModelBeatsFrozenAndOrder0) {
  // Frozen from the start: the zero-initialized readout predicts uniformly.
  ASSERT_TRUE(model.get().setPlasticity(0.0f).ok());
  const double frozenFromStart = run(0, 4096);
  EXPECT_NEAR(frozenFromStart, 8.0, 1e-3);
  ASSERT_TRUE(model.get().reset().ok());
  ASSERT_TRUE(model.get().setPlasticity(1.0f).ok());

  // Living over the first half, then the second half living and frozen.
  const size_t half = kBytes / 2;
  const double firstHalf = run(0, half);
  anima::Snapshot warm;
  ASSERT_TRUE(model.get().snapshot(&warm).ok());
  const double livingSecond = run(half, kBytes);
  ASSERT_TRUE(model.get().rollback(warm).ok());
  ASSERT_TRUE(model.get().setPlasticity(0.0f).ok());
  const double frozenSecond = run(half, kBytes);
  const double living = (firstHalf + livingSecond) / 2;

  textstream::Order0 order0;
  double bits0 = 0;
  for (uint8_t c : data)
    bits0 += order0.code(c);
  bits0 /= double(kBytes);

  std::printf("64 KB: living %.3f bpc (halves %.3f, %.3f); second half "
              "frozen after warm-up %.3f; frozen from start %.3f; "
              "order-0 %.3f\n",
              living, firstHalf, livingSecond, frozenSecond, frozenFromStart,
              bits0);
  EXPECT_LT(living, frozenFromStart - 4.0);
  EXPECT_LT(livingSecond, frozenSecond - 0.25);
  EXPECT_LT(living, bits0 - 1.5);
}

TEST_F(TextDemoTest, PlasticityZeroLeavesTheStateUntouched) {
  ASSERT_GT(run(0, 2048), 0);
  anima::Snapshot before;
  ASSERT_TRUE(model.get().snapshot(&before).ok());
  ASSERT_TRUE(model.get().setPlasticity(0.0f).ok());
  const double a = run(2048, 4096);
  ASSERT_TRUE(model.get().rollback(before).ok());
  const double b = run(2048, 4096);
  EXPECT_EQ(a, b); // the first frozen pass changed nothing
}

} // namespace
