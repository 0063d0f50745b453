//===- ManifestTest.cpp - Malformed and unusual manifests -----------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "ToyModel.h"

#include <limits>
#include <random>

namespace anima::test {
namespace {

/// Opens the toy artifact with `manifest` and returns the status.
anima_status_t openWithManifest(const std::string &manifest,
                                std::vector<uint8_t> init = {}) {
  ArtifactParts parts;
  parts.manifest = manifest;
  if (!init.empty())
    parts.init = std::move(init);
  anima_model_t *model = nullptr;
  anima_status_t status = openBytes(buildArtifact(parts), &model);
  anima_model_close(model);
  return status;
}

/// One manifest edit and the status it must produce.
struct BadManifest {
  const char *from;
  const char *to;
  anima_status_code_t code;
  const char *message;
};

TEST(ManifestTest, EveryBadFieldIsNamed) {
  const BadManifest cases[] = {
      {"{\n  \"format\"", "[\n  \"format\"", ANIMA_STATUS_DATA_LOSS,
       "invalid JSON"},
      {"\"anima-artifact\"", "\"onnx\"", ANIMA_STATUS_INCOMPATIBLE,
       "\"format\" is \"onnx\""},
      {"\"format_version\": 1", "\"format_version\": 2",
       ANIMA_STATUS_INCOMPATIBLE, "\"format_version\" 2"},
      {"\"format_version\": 1", "\"format_version\": \"1\"",
       ANIMA_STATUS_DATA_LOSS, "must be a non-negative integer, not string"},
      {"\"state\":", "\"states\":", ANIMA_STATUS_DATA_LOSS,
       "missing \"state\""},
      {"\"bytes\": 48", "\"bytes\": 47", ANIMA_STATUS_DATA_LOSS,
       "state[0] (\"W\"): \"bytes\" is 47, the shape [4, 3] of f32 needs 48"},
      {"\"dtype\": \"f32\", \"shape\": [4, 3]",
       "\"dtype\": \"f16\", \"shape\": [4, 3]", ANIMA_STATUS_INCOMPATIBLE,
       "unknown dtype \"f16\""},
      {"\"shape\": [4, 3]", "\"shape\": [4, -3]", ANIMA_STATUS_DATA_LOSS,
       "non-negative integers"},
      {"\"shape\": [4, 3]", "\"shape\": [4, 3.0]", ANIMA_STATUS_DATA_LOSS,
       "non-negative integers"},
      {"\"shape\": [4, 3]", "\"shape\": [4000000000, 4000000000]",
       ANIMA_STATUS_RESOURCE_EXHAUSTED, "exceeds the limit"},
      {"\"shape\": [4, 3]", "\"shape\": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,4,3]",
       ANIMA_STATUS_RESOURCE_EXHAUSTED, "rank 18"},
      {"\"init_offset\": 64", "\"init_offset\": 65", ANIMA_STATUS_DATA_LOSS,
       "state[1] (\"c\"): \"init_offset\" 65 is not a multiple of 64"},
      {"\"init_offset\": 128", "\"init_offset\": 192", ANIMA_STATUS_DATA_LOSS,
       "state[2] (\"n\"): initial value [192, +4) lies outside"},
      {"\"init_offset\": 0", "\"init_offset\": 18446744073709551552",
       ANIMA_STATUS_DATA_LOSS, "\"init_offset\" must be a non-negative"},
      {"\"init_offset\": 0", "\"init_offset\": 9223372036854775744",
       ANIMA_STATUS_DATA_LOSS, "lies outside"},
      {"\"guard\": \"journal\"", "\"guard\": \"hope\"",
       ANIMA_STATUS_INCOMPATIBLE, "unknown guard \"hope\""},
      {"\"guard\": \"journal\"", "\"other\": 1", ANIMA_STATUS_DATA_LOSS,
       "state[0] (\"W\"): missing \"guard\""},
      {"{\"name\": \"c\"", "{\"name\": \"W\"", ANIMA_STATUS_DATA_LOSS,
       "duplicate name \"W\""},
      {"{\"name\": \"c\"", "{\"name\": \"\"", ANIMA_STATUS_DATA_LOSS,
       "\"name\" must be 1 to 255 bytes"},
      {"{\"name\": \"c\"", "{\"name\": 7", ANIMA_STATUS_DATA_LOSS,
       "\"name\" must be a string, not integer"},
      {"{\"name\": \"infer\"", "{\"name\": \"in-fer\"", ANIMA_STATUS_DATA_LOSS,
       "must be a C identifier"},
      {"{\"name\": \"infer\"", "{\"name\": \"step\"", ANIMA_STATUS_DATA_LOSS,
       "entry_points: duplicate name \"step\""},
      {"\"symbol\": \"anima_entry_step\"", "\"symbol\": \"a b\"",
       ANIMA_STATUS_DATA_LOSS, "\"symbol\" must be a C identifier"},
      {"\"journal_bytes\": 128", "\"journal_bytes\": -1",
       ANIMA_STATUS_DATA_LOSS, "\"journal_bytes\" must be a non-negative"},
      {"\"journal_bytes\": 128", "\"journal_bytes\": 1000000000000000",
       ANIMA_STATUS_RESOURCE_EXHAUSTED, "exceeds the limit"},
      {"\"journal_bytes\": 128", "\"journal\": 128", ANIMA_STATUS_DATA_LOSS,
       "entry_points[0] (\"step\"): missing \"journal_bytes\""},
      {"\"outputs\": [{\"name\": \"y\", \"dtype\": \"f32\", \"shape\": [4], "
       "\"bytes\": 16}]",
       "\"outputs\": [{\"name\": \"y\", \"dtype\": \"f32\", \"shape\": [4], "
       "\"bytes\": 15}]",
       ANIMA_STATUS_DATA_LOSS, "outputs[0] (\"y\"): \"bytes\" is 15"},
      {"\"inputs\": [], \"outputs\": []", "\"inputs\": {}, \"outputs\": []",
       ANIMA_STATUS_DATA_LOSS, "\"inputs\" must be an array, not object"},
      {"{\"name\": \"v\"", "{\"name\": \"k\"", ANIMA_STATUS_DATA_LOSS,
       "inputs: duplicate name \"k\""},
      // index_bound: i32 inputs only, in [1, 2^31].
      {"{\"name\": \"v\", \"dtype\": \"f32\", \"shape\": [1]",
       "{\"name\": \"v\", \"dtype\": \"f32\", \"shape\": [1], \"index_bound\": 4",
       ANIMA_STATUS_DATA_LOSS, "inputs[0] (\"v\"): \"index_bound\" must be"},
      {"{\"name\": \"v\", \"dtype\": \"f32\", \"shape\": [1]",
       "{\"name\": \"v\", \"dtype\": \"i32\", \"shape\": [1], \"index_bound\": 0",
       ANIMA_STATUS_DATA_LOSS, "\"index_bound\" must be in [1, 2^31]"},
      {"{\"name\": \"v\", \"dtype\": \"f32\", \"shape\": [1]",
       "{\"name\": \"v\", \"dtype\": \"i32\", \"shape\": [1], \"index_bound\": 2147483649",
       ANIMA_STATUS_DATA_LOSS, "\"index_bound\" must be in [1, 2^31]"},
      {"{\"name\": \"v\", \"dtype\": \"f32\", \"shape\": [1]",
       "{\"name\": \"v\", \"dtype\": \"i32\", \"shape\": [1], \"index_bound\": -1",
       ANIMA_STATUS_DATA_LOSS, "\"index_bound\" must be a non-negative"},
      {"\"targets\": [", "\"targets\": 5, \"x\": [", ANIMA_STATUS_DATA_LOSS,
       "\"targets\" must be an array"},
      {"\"section\": \"cpu.host\"", "\"sect\": \"cpu.host\"",
       ANIMA_STATUS_DATA_LOSS, "targets[0]: missing \"section\""},
      {"\"model\": \"toy\"", "\"model\": \"toy\", \"model\": \"two\"",
       ANIMA_STATUS_DATA_LOSS, "duplicate key"},
      {"\"model\": \"toy\"", "\"model\": [\"toy\"]", ANIMA_STATUS_DATA_LOSS,
       "\"model\" must be a string"},
  };
  for (const BadManifest &c : cases) {
    EXPECT_TRUE(
        hasStatus(openWithManifest(replaced(toyManifest(), c.from, c.to)),
                  c.code, c.message))
        << c.from << " -> " << c.to;
  }
}

TEST(ManifestTest, NotJsonAtAll) {
  for (const char *text : {"", "{", "null", "[]", "\"manifest\"", "{}"})
    EXPECT_TRUE(
        hasStatus(openWithManifest(text), ANIMA_STATUS_DATA_LOSS, "manifest"))
        << text;
}

TEST(ManifestTest, UnknownKeysAreIgnored) {
  std::string manifest =
      replaced(toyManifest(), "\"model\": \"toy\"",
               "\"model\": \"toy\", \"future_key\": {\"a\": [1, 2.5, null]}");
  manifest = replaced(manifest, "\"guard\": \"copy\"",
                      "\"guard\": \"copy\", \"quantization\": \"none\"");
  EXPECT_TRUE(isOk(openWithManifest(manifest)));
}

TEST(ManifestTest, DefaultSymbolIsAnimaEntryName) {
  // "infer" has no "symbol" key and resolves anima_entry_infer.
  EXPECT_TRUE(isOk(openWithManifest(toyManifest())));
  std::string manifest =
      replaced(toyManifest(), "{\"name\": \"infer\"", "{\"name\": \"infer2\"");
  EXPECT_TRUE(hasStatus(openWithManifest(manifest), ANIMA_STATUS_INCOMPATIBLE,
                        "symbol 'anima_entry_infer2'"));
}

TEST(ManifestTest, InitialStateMustBeFinite) {
  std::vector<float> W = toyInitialW();
  W[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_TRUE(hasStatus(openWithManifest(toyManifest(), toyInitialState(W)),
                        ANIMA_STATUS_DATA_LOSS,
                        "state 'W': initial element 5 is not finite"));
}

TEST(ManifestTest, StateNeedsOneInitialStateSection) {
  artifact::ArtifactWriter writer;
  std::string error;
  ASSERT_TRUE(writer.addManifest(toyManifest(), &error));
  ASSERT_TRUE(writer.addSection(artifact::SectionKind::CpuCode, "cpu.host",
                                toyCode().data(), toyCode().size(), &error));
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(writer.writeBytes(&bytes, &error));
  anima_model_t *model = nullptr;
  EXPECT_TRUE(hasStatus(openBytes(bytes, &model), ANIMA_STATUS_DATA_LOSS,
                        "0 initial-state sections"));
}

TEST(ManifestTest, RandomManifestMutationsNeverCrash) {
  std::mt19937 rng(99);
  std::string base = toyManifest();
  const char alphabet[] = "{}[]\":,0123456789-.e ";
  int opened = 0;
  for (int iteration = 0; iteration < 150; ++iteration) {
    std::string text = base;
    size_t at = rng() % text.size();
    if (rng() % 2)
      text[at] = alphabet[rng() % (sizeof(alphabet) - 1)];
    else
      text.erase(at, 1 + rng() % 4);
    anima_status_t status = openWithManifest(text);
    if (!status) {
      ++opened;
      continue;
    }
    EXPECT_NE(anima_status_code(status), ANIMA_STATUS_INTERNAL)
        << anima_status_message(status);
    EXPECT_GT(std::string(anima_status_message(status)).size(), 10u);
    anima_status_free(status);
  }
  EXPECT_LT(opened, 150);
}

} // namespace
} // namespace anima::test
