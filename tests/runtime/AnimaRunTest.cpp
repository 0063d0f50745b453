//===- AnimaRunTest.cpp - The anima-run tool ------------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "ToyModel.h"

#include <cstdio>
#include <cstring>
#include <limits>
#include <sys/wait.h>

namespace anima::test {
namespace {

/// Output and exit code of one anima-run invocation.
struct RunResult {
  int exitCode = -1;
  std::string output; // stdout and stderr together
};

/// Runs anima-run with `args` (already shell-quoted where needed).
RunResult runTool(const std::string &args) {
  std::string command =
      std::string("'") + ANIMA_RUN_PATH + "' " + args + " 2>&1 </dev/null";
  RunResult result;
  FILE *pipe = ::popen(command.c_str(), "r");
  if (!pipe)
    return result;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0)
    result.output.append(buffer, n);
  int status = ::pclose(pipe);
  result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

/// A toy artifact written to a temporary directory.
class AnimaRunTest : public ::testing::Test {
protected:
  void SetUp() override {
    artifact = dir.file("toy.anima");
    writeFileBytes(artifact, buildArtifact());
  }

  TempDir dir;
  std::string artifact;
};

TEST_F(AnimaRunTest, InfoPrintsTheManifestSummary) {
  RunResult r = runTool(artifact + " --info");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  for (const char *text : {"model:        toy", "W", "f32[4, 3]", "i32[1]",
                           "step (journal 128 bytes)", "in   k", "out  y"})
    EXPECT_NE(r.output.find(text), std::string::npos) << text << "\n"
                                                      << r.output;
}

TEST_F(AnimaRunTest, RunsStepsAndPrintsASummary) {
  RunResult r = runTool(artifact + " --backend cpu --steps 25 --seed 3");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  for (const char *text :
       {"entry:        step", "steps:        25", "refused:      0",
        "steps/s:", "mean step:", "state L2 norms:", "  n "})
    EXPECT_NE(r.output.find(text), std::string::npos) << text << "\n"
                                                      << r.output;
  EXPECT_EQ(r.output.find("\r"), std::string::npos)
      << "no progress bar when stderr is not a terminal";
  // n counts the learning steps: its L2 norm is 25.
  EXPECT_NE(r.output.find("i32[1]           25\n"), std::string::npos)
      << r.output;
}

TEST_F(AnimaRunTest, PlasticityZeroKeepsTheCounterAtZero) {
  RunResult r = runTool(artifact + " --steps 5 --plasticity 0 --entry step");
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("i32[1]           0\n"), std::string::npos)
      << r.output;
}

TEST_F(AnimaRunTest, InputFileWithNaNCountsRefusedSteps) {
  std::vector<float> inputs = {
      1, 2, 3, std::numeric_limits<float>::quiet_NaN(), 0, 0, 0.5f, 0.5f, 0.5f};
  std::vector<uint8_t> bytes(inputs.size() * 4);
  std::memcpy(bytes.data(), inputs.data(), bytes.size());
  writeFileBytes(dir.file("in.raw"), bytes);
  RunResult r = runTool(artifact + " --steps 3 --input " + dir.file("in.raw"));
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("refused:      1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("i32[1]           2\n"), std::string::npos)
      << r.output;

  r = runTool(artifact + " --steps 4 --input " + dir.file("in.raw"));
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_NE(r.output.find("holds 3 steps of 12 bytes"), std::string::npos)
      << r.output;
  bytes.pop_back();
  writeFileBytes(dir.file("odd.raw"), bytes);
  r = runTool(artifact + " --steps 1 --input " + dir.file("odd.raw"));
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_NE(r.output.find("not a whole number"), std::string::npos) << r.output;
}

TEST_F(AnimaRunTest, CheckpointIsSavedThenLoaded) {
  std::string ckpt = dir.file("state.ckpt");
  RunResult first = runTool(artifact + " --steps 4 --checkpoint " + ckpt);
  ASSERT_EQ(first.exitCode, 0) << first.output;
  EXPECT_FALSE(readFileBytes(ckpt).empty());
  RunResult second = runTool(artifact + " --steps 4 --checkpoint " + ckpt);
  ASSERT_EQ(second.exitCode, 0) << second.output;
  EXPECT_NE(second.output.find("i32[1]           8\n"), std::string::npos)
      << "the second run continued from the checkpoint\n"
      << second.output;
  // A corrupt checkpoint stops the run and is not overwritten.
  auto bytes = readFileBytes(ckpt);
  bytes[60] ^= 0xFF;
  writeFileBytes(ckpt, bytes);
  RunResult bad = runTool(artifact + " --steps 1 --checkpoint " + ckpt);
  EXPECT_EQ(bad.exitCode, 1) << bad.output;
  EXPECT_NE(bad.output.find("anima-run: anima_model_load_checkpoint"),
            std::string::npos)
      << bad.output;
  EXPECT_EQ(readFileBytes(ckpt), bytes);
}

TEST_F(AnimaRunTest, ErrorsExitNonZeroWithAMessage) {
  struct Case {
    std::string args;
    int exitCode;
    const char *text;
  } cases[] = {
      {"", 2, "no artifact given"},
      {artifact, 2, "--steps N is required"},
      {artifact + " --steps", 2, "--steps needs a value"},
      {artifact + " --steps -3", 2, "non-negative integer"},
      {artifact + " --steps 1x", 2, "non-negative integer"},
      {artifact + " --steps 1 --plasticity -1", 2, "--plasticity"},
      {artifact + " --steps 1 --plasticity nan", 2, "--plasticity"},
      {artifact + " --bogus", 2, "unknown option '--bogus'"},
      {artifact + " --info=yes", 2, "takes no value"},
      {artifact + " " + artifact + " --steps 1", 2, "one artifact only"},
      {dir.file("missing.anima") + " --steps 1", 1, "missing.anima"},
      {artifact + " --steps 1 --backend vulkan", 1, "no vulkan target"},
      {artifact + " --steps 1 --device", 2, "--device needs a value"},
      {artifact + " --steps 1 --vulkan-validation=1", 2, "takes no value"},
      {artifact + " --steps 1 --entry train", 1, "no entry point 'train'"},
      {artifact + " --steps 1 --input " + dir.file("none.raw"), 1, "none.raw"},
  };
  for (const Case &c : cases) {
    RunResult r = runTool(c.args);
    EXPECT_EQ(r.exitCode, c.exitCode) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.text), std::string::npos) << c.args << "\n"
                                                        << r.output;
  }
  writeFileBytes(dir.file("junk.anima"), {'j', 'u', 'n', 'k'});
  RunResult r = runTool(dir.file("junk.anima") + " --steps 1");
  EXPECT_EQ(r.exitCode, 1) << r.output;
  EXPECT_NE(r.output.find("not an Anima artifact"), std::string::npos)
      << r.output;
  EXPECT_EQ(runTool("--help").exitCode, 0);
}

} // namespace
} // namespace anima::test
