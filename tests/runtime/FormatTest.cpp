//===- FormatTest.cpp - CRC-32C, artifact writer, artifact id -------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "ToyModel.h"

#include "anima/runtime/artifact_writer.h"
#include "format/artifact_layout.h"
#include "format/artifact_reader.h"
#include "support/crc32c.h"

#include <cstring>

namespace anima::test {
namespace {

TEST(Crc32cTest, KnownVectors) {
  EXPECT_EQ(rt::crc32c("123456789", 9), 0xE3069283u);
  EXPECT_EQ(rt::crc32c("", 0), 0u);
  std::vector<uint8_t> zeros(32, 0);
  EXPECT_EQ(rt::crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);
  EXPECT_EQ(artifact::crc32c("123456789", 9), 0xE3069283u);
}

TEST(Crc32cTest, ExtendEqualsWhole) {
  std::vector<uint8_t> data(1000);
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = uint8_t(i * 7 + 3);
  uint32_t whole = rt::crc32c(data.data(), data.size());
  for (size_t split : {0u, 1u, 7u, 8u, 9u, 500u, 999u, 1000u})
    EXPECT_EQ(rt::crc32cExtend(rt::crc32c(data.data(), split),
                               data.data() + split, data.size() - split),
              whole)
        << "split at " << split;
}

TEST(ArtifactWriterTest, LaysOutSectionsOn64ByteBoundaries) {
  artifact::ArtifactWriter writer;
  std::string error;
  ASSERT_TRUE(writer.addManifest("{}", &error)) << error;
  uint8_t a[3] = {1, 2, 3}, b[100] = {};
  ASSERT_TRUE(
      writer.addSection(artifact::SectionKind::CpuCode, "a", a, 3, &error));
  ASSERT_TRUE(writer.addSection(77u, "sixteen-chars-ok", b, 100, &error));
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(writer.writeBytes(&bytes, &error)) << error;
  rt::ArtifactView view;
  ASSERT_TRUE(isOk(rt::readArtifact(bytes.data(), bytes.size(), &view)));
  ASSERT_EQ(view.sections.size(), 3u);
  EXPECT_EQ(view.abiVersion, ANIMA_ABI_VERSION);
  for (const rt::SectionView &s : view.sections)
    EXPECT_EQ(s.offset % 64, 0u) << s.name;
  EXPECT_EQ(view.sections[1].size, 3u);
  EXPECT_EQ(std::memcmp(view.sections[1].data, a, 3), 0);
  EXPECT_EQ(view.sections[2].kind, 77u);
  EXPECT_EQ(view.sections[2].name, "sixteen-chars-ok");
  EXPECT_EQ(bytes.size(), view.sections[2].offset + 100);
}

TEST(ArtifactWriterTest, RejectsBadSections) {
  artifact::ArtifactWriter writer;
  std::string error;
  EXPECT_FALSE(writer.addSection(3u, "seventeen-chars-x", "", 0, &error));
  EXPECT_NE(error.find("1 to 16 bytes"), std::string::npos) << error;
  EXPECT_FALSE(writer.addSection(3u, "", "", 0, &error));
  ASSERT_TRUE(writer.addSection(3u, "s", "", 0, &error));
  EXPECT_FALSE(writer.addSection(3u, "s", "", 0, &error));
  EXPECT_NE(error.find("duplicate"), std::string::npos) << error;
  ASSERT_TRUE(writer.addManifest("{}", &error));
  EXPECT_FALSE(writer.addManifest("{}", &error));
  EXPECT_NE(error.find("already"), std::string::npos) << error;
  for (int i = 2; i < 64; ++i)
    ASSERT_TRUE(writer.addSection(9u, "x" + std::to_string(i), "", 0, &error))
        << error;
  EXPECT_FALSE(writer.addSection(9u, "one-too-many", "", 0, &error));
  EXPECT_NE(error.find("64"), std::string::npos) << error;
}

TEST(ArtifactWriterTest, WriteFileIsReadable) {
  TempDir dir;
  artifact::ArtifactWriter writer;
  std::string error;
  ASSERT_TRUE(writer.addManifest(toyManifest(), &error));
  ASSERT_TRUE(writer.writeFile(dir.file("a.anima"), &error)) << error;
  std::vector<uint8_t> expected;
  ASSERT_TRUE(writer.writeBytes(&expected, &error));
  EXPECT_EQ(readFileBytes(dir.file("a.anima")), expected);
  EXPECT_EQ(dir.list().size(), 1u) << "temporary file left behind";
  EXPECT_FALSE(writer.writeFile(dir.file("no/such/dir.anima"), &error));
  EXPECT_NE(error.find("no/such/dir.anima"), std::string::npos) << error;
}

TEST(ArtifactWriterTest, InitialStateBuilderAlignsTensors) {
  artifact::InitialStateBuilder builder;
  float w[3] = {1, 2, 3};
  EXPECT_EQ(builder.add(w, sizeof(w)), 0u);
  EXPECT_EQ(builder.add(w, 4), 64u);
  EXPECT_EQ(builder.add(w, 0), 128u);
  EXPECT_EQ(builder.add(w, 8), 128u);
  EXPECT_EQ(builder.bytes().size(), 136u);
}

TEST(ArtifactIdTest, DependsOnEveryByteAndOrder) {
  auto idOf = [](const std::vector<uint8_t> &bytes) {
    return std::vector<uint8_t>(bytes.begin() + 32, bytes.begin() + 48);
  };
  std::vector<uint8_t> base = buildArtifact();
  EXPECT_EQ(idOf(base), idOf(buildArtifact())) << "not deterministic";
  ArtifactParts other;
  other.init = toyInitialState(toyInitialW(), 1.0f);
  EXPECT_NE(idOf(base), idOf(buildArtifact(other)));
  // Known value of the hash over "abc" (first hash is FNV-1a 64 of "abc").
  rt::ArtifactIdHasher hasher;
  hasher.update(reinterpret_cast<const uint8_t *>("abc"), 3);
  uint8_t id[16];
  hasher.finish(id);
  uint64_t first;
  std::memcpy(&first, id, 8);
  EXPECT_EQ(first, 0xe71fa2190541574bull);
}

} // namespace
} // namespace anima::test
