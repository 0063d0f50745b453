//===- ArtifactTest.cpp - Opening valid and damaged artifacts -------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "ToyModel.h"

#include "drivers/cpu/shared_object.h"

#include <cstdlib>
#include <cstring>

namespace anima::test {
namespace {

/// Returns true iff `code` is one a damaged file may produce.
bool isDamageCode(anima_status_code_t code) {
  return code == ANIMA_STATUS_DATA_LOSS || code == ANIMA_STATUS_INCOMPATIBLE;
}

/// Opens `bytes`, expecting failure with a damage code and a message.
::testing::AssertionResult rejectsDamage(const std::vector<uint8_t> &bytes) {
  anima_model_t *model = nullptr;
  anima_status_t status = openBytes(bytes, &model);
  if (!status) {
    anima_model_close(model);
    return ::testing::AssertionFailure() << "damaged artifact opened";
  }
  anima_status_code_t code = anima_status_code(status);
  std::string message = anima_status_message(status);
  anima_status_free(status);
  if (!isDamageCode(code) || message.empty() || model)
    return ::testing::AssertionFailure()
           << anima_status_code_name(code) << ": " << message;
  return ::testing::AssertionSuccess() << message;
}

/// Stores a little-endian value of `n` bytes at `p`.
void put(uint8_t *p, uint64_t v, int n) {
  for (int i = 0; i < n; ++i)
    p[i] = uint8_t(v >> (8 * i));
}

/// Opens `bytes` and returns the status (closing any model).
anima_status_t openStatus(const std::vector<uint8_t> &bytes) {
  anima_model_t *model = nullptr;
  anima_status_t status = openBytes(bytes, &model);
  anima_model_close(model);
  return status;
}

TEST(ArtifactTest, ValidArtifactOpensFromMemoryAndFile) {
  std::vector<uint8_t> bytes = buildArtifact();
  EXPECT_TRUE(isOk(openStatus(bytes)));
  TempDir dir;
  writeFileBytes(dir.file("toy.anima"), bytes);
  anima_model_t *model = nullptr;
  ASSERT_TRUE(isOk(
      anima_model_open_file(dir.file("toy.anima").c_str(), nullptr, &model)));
  EXPECT_STREQ(anima_model_name(model), "toy");
  anima_model_close(model);
}

TEST(ArtifactTest, EveryTruncationIsRejected) {
  std::vector<uint8_t> bytes = buildArtifact();
  for (size_t length = 0; length < bytes.size(); ++length) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + length);
    ASSERT_TRUE(rejectsDamage(cut)) << "length " << length;
  }
}

TEST(ArtifactTest, EveryHeaderAndTableByteFlipIsRejected) {
  std::vector<uint8_t> bytes = buildArtifact();
  size_t tableEnd = 64 + 3 * 48;
  for (size_t at = 0; at < tableEnd; ++at) {
    for (uint8_t mask : {uint8_t(0x01), uint8_t(0x80), uint8_t(0xFF)}) {
      std::vector<uint8_t> damaged = bytes;
      damaged[at] ^= mask;
      ASSERT_TRUE(rejectsDamage(damaged))
          << "byte " << at << " ^ " << int(mask);
    }
  }
}

TEST(ArtifactTest, SampledSectionByteFlipsAreRejected) {
  std::vector<uint8_t> bytes = buildArtifact();
  for (size_t at = 64 + 3 * 48; at < bytes.size(); at += 61) {
    std::vector<uint8_t> damaged = bytes;
    damaged[at] ^= 0x10;
    // Flips in the zero padding between sections change nothing covered by
    // a CRC; the reader may accept those.
    anima_model_t *model = nullptr;
    anima_status_t status = openBytes(damaged, &model);
    anima_model_close(model);
    if (status) {
      EXPECT_TRUE(isDamageCode(anima_status_code(status)))
          << anima_status_message(status);
    }
    anima_status_free(status);
  }
  std::vector<uint8_t> damaged = bytes;
  damaged.back() ^= 0x01; // Last byte of the initial state.
  EXPECT_TRUE(rejectsDamage(damaged));
}

TEST(ArtifactTest, WrongMagic) {
  std::vector<uint8_t> bytes = buildArtifact();
  bytes[0] = 'X';
  EXPECT_TRUE(hasStatus(openStatus(bytes), ANIMA_STATUS_INCOMPATIBLE,
                        "not an Anima artifact"));
  EXPECT_TRUE(hasStatus(openStatus({'E', 'L', 'F'}), ANIMA_STATUS_INCOMPATIBLE,
                        "magic"));
}

TEST(ArtifactTest, WrongFormatVersion) {
  std::vector<uint8_t> bytes = buildArtifact();
  put(bytes.data() + 8, 2, 4);
  fixHeaderCrc(bytes);
  EXPECT_TRUE(hasStatus(openStatus(bytes), ANIMA_STATUS_INCOMPATIBLE,
                        "format version 2"));
}

TEST(ArtifactTest, WrongAbiVersionInHeader) {
  ArtifactParts parts;
  parts.abiVersion = ANIMA_ABI_VERSION + 1;
  EXPECT_TRUE(hasStatus(openStatus(buildArtifact(parts)),
                        ANIMA_STATUS_INCOMPATIBLE, "ABI version"));
}

TEST(ArtifactTest, WrongAbiVersionInCode) {
  ArtifactParts parts;
  parts.code = toyCodeAbi99();
  EXPECT_TRUE(hasStatus(openStatus(buildArtifact(parts)),
                        ANIMA_STATUS_INCOMPATIBLE,
                        "compiled for ABI version 99"));
}

TEST(ArtifactTest, UnknownHeaderFlags) {
  std::vector<uint8_t> bytes = buildArtifact();
  put(bytes.data() + 20, 4, 4);
  fixHeaderCrc(bytes);
  EXPECT_TRUE(hasStatus(openStatus(bytes), ANIMA_STATUS_INCOMPATIBLE, "flags"));
}

TEST(ArtifactTest, TooManySections) {
  std::vector<uint8_t> bytes = buildArtifact();
  put(bytes.data() + 16, 65, 4);
  fixHeaderCrc(bytes);
  EXPECT_TRUE(
      hasStatus(openStatus(bytes), ANIMA_STATUS_DATA_LOSS, "section count 65"));
}

TEST(ArtifactTest, FileSizeMismatch) {
  std::vector<uint8_t> bytes = buildArtifact();
  bytes.push_back(0);
  EXPECT_TRUE(hasStatus(openStatus(bytes), ANIMA_STATUS_DATA_LOSS,
                        "file size mismatch"));
}

TEST(ArtifactTest, MisalignedSection) {
  std::vector<uint8_t> bytes = buildArtifact();
  uint8_t *entry = bytes.data() + 64 + 48; // Code section.
  uint64_t offset = 0;
  std::memcpy(&offset, entry + 8, 8);
  put(entry + 8, offset + 8, 8);
  fixTableCrc(bytes);
  EXPECT_TRUE(hasStatus(openStatus(bytes), ANIMA_STATUS_DATA_LOSS,
                        "not a multiple of 64"));
}

TEST(ArtifactTest, SectionOutsideTheFile) {
  std::vector<uint8_t> bytes = buildArtifact();
  put(bytes.data() + 64 + 2 * 48 + 16, uint64_t(1) << 62, 8);
  fixTableCrc(bytes);
  EXPECT_TRUE(hasStatus(openStatus(bytes), ANIMA_STATUS_DATA_LOSS,
                        "section 2 ('state')"));
  bytes = buildArtifact();
  put(bytes.data() + 64 + 8, 0, 8); // Manifest over the header.
  fixTableCrc(bytes);
  EXPECT_TRUE(hasStatus(openStatus(bytes), ANIMA_STATUS_DATA_LOSS,
                        "outside the data area"));
}

TEST(ArtifactTest, OverlappingSections) {
  std::vector<uint8_t> bytes = buildArtifact();
  uint64_t codeOffset = 0;
  std::memcpy(&codeOffset, bytes.data() + 64 + 48 + 8, 8);
  put(bytes.data() + 64 + 2 * 48 + 8, codeOffset, 8); // State over code.
  put(bytes.data() + 64 + 2 * 48 + 24,
      artifact::crc32c(bytes.data() + codeOffset, 132), 4);
  fixTableCrc(bytes);
  EXPECT_TRUE(hasStatus(openStatus(bytes), ANIMA_STATUS_DATA_LOSS, "overlap"));
}

TEST(ArtifactTest, ArtifactIdMismatch) {
  std::vector<uint8_t> bytes = buildArtifact();
  bytes[40] ^= 1;
  fixHeaderCrc(bytes);
  EXPECT_TRUE(
      hasStatus(openStatus(bytes), ANIMA_STATUS_DATA_LOSS, "artifact id"));
}

TEST(ArtifactTest, MissingManifest) {
  ArtifactParts parts;
  parts.withManifest = false;
  EXPECT_TRUE(hasStatus(openStatus(buildArtifact(parts)),
                        ANIMA_STATUS_DATA_LOSS, "no manifest section"));
}

TEST(ArtifactTest, UnknownSectionKindsAreIgnored) {
  artifact::ArtifactWriter writer;
  std::string error;
  ASSERT_TRUE(writer.addManifest(toyManifest(), &error));
  ASSERT_TRUE(writer.addSection(1000u, "future", "xyz", 3, &error));
  ASSERT_TRUE(writer.addSection(artifact::SectionKind::CpuCode, "cpu.host",
                                toyCode().data(), toyCode().size(), &error));
  std::vector<uint8_t> init = toyInitialState(toyInitialW());
  ASSERT_TRUE(writer.addSection(artifact::SectionKind::InitialState, "state",
                                init.data(), init.size(), &error));
  std::vector<uint8_t> bytes;
  ASSERT_TRUE(writer.writeBytes(&bytes, &error));
  EXPECT_TRUE(isOk(openStatus(bytes)));
}

TEST(ArtifactTest, CodeThatIsNotASharedLibrary) {
  ArtifactParts parts;
  parts.code = {'n', 'o', 't', ' ', 'E', 'L', 'F'};
  EXPECT_TRUE(hasStatus(openStatus(buildArtifact(parts)),
                        ANIMA_STATUS_INCOMPATIBLE,
                        "cpu code 'cpu.host' is not a loadable"));
}

TEST(ArtifactTest, TargetProblems) {
  ArtifactParts parts;
  parts.manifest = replaced(toyManifest(), hostTriple(), "sparc-sun-solaris");
  EXPECT_TRUE(hasStatus(openStatus(buildArtifact(parts)),
                        ANIMA_STATUS_INCOMPATIBLE, "no cpu target for"));
  parts.manifest = replaced(toyManifest(), "\"backend\": \"cpu\"",
                            "\"backend\": \"vulkan\"");
  EXPECT_TRUE(hasStatus(openStatus(buildArtifact(parts)),
                        ANIMA_STATUS_DATA_LOSS, "has kind 2, expected 4"));
  parts.manifest = replaced(toyManifest(), "\"section\": \"cpu.host\"",
                            "\"section\": \"cpu.gone\"");
  EXPECT_TRUE(hasStatus(openStatus(buildArtifact(parts)),
                        ANIMA_STATUS_DATA_LOSS,
                        "section 'cpu.gone' is not in the artifact"));
  parts.manifest =
      replaced(toyManifest(), R"("backend": "cpu", )", R"("backend": "npu", )");
  EXPECT_TRUE(hasStatus(openStatus(buildArtifact(parts)),
                        ANIMA_STATUS_INCOMPATIBLE, "no cpu target"));
}

TEST(ArtifactTest, MissingEntrySymbol) {
  ArtifactParts parts;
  parts.manifest = replaced(toyManifest(), "\"symbol\": \"anima_entry_poke\"",
                            "\"symbol\": \"anima_entry_ghost\"");
  EXPECT_TRUE(hasStatus(openStatus(buildArtifact(parts)),
                        ANIMA_STATUS_INCOMPATIBLE,
                        "entry point 'poke': symbol 'anima_entry_ghost'"));
}

TEST(ArtifactTest, BackendsAndOptions) {
  std::vector<uint8_t> bytes = buildArtifact();
  anima_model_t *model = nullptr;
  anima_open_options options;
  anima_open_options_init(&options);
  options.backend = "vulkan"; // The toy artifact has only a cpu target.
  EXPECT_TRUE(hasStatus(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model),
      ANIMA_STATUS_INCOMPATIBLE,
      "the artifact has no vulkan target (compile it with --target=vulkan)"));
  options.backend = "tpu";
  EXPECT_TRUE(hasStatus(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model),
      ANIMA_STATUS_INVALID_ARGUMENT, "unknown backend 'tpu'"));
  options.backend = nullptr; // Default: cpu.
  options.flags = 2;         // Bit 0 is ANIMA_OPEN_VULKAN_VALIDATION.
  EXPECT_TRUE(hasStatus(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model),
      ANIMA_STATUS_INVALID_ARGUMENT, "reserved"));
  options.flags = ANIMA_OPEN_VULKAN_VALIDATION; // Ignored by cpu.
  ASSERT_TRUE(isOk(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model)));
  anima_model_close(model);
  options.flags = 0;
  options.struct_size = 4;
  EXPECT_TRUE(hasStatus(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model),
      ANIMA_STATUS_INVALID_ARGUMENT, "struct_size"));
  // An older caller's smaller struct (only struct_size and backend).
  options.struct_size = 2 * sizeof(void *);
  options.reserved[0] = 42; // Beyond the caller's struct: never read.
  ASSERT_TRUE(isOk(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model)));
  EXPECT_STREQ(anima_model_backend(model), "cpu");
  anima_model_close(model);
}

TEST(ArtifactTest, OpenRespectsTheMemoryBudget) {
  // An artifact with valid checksums may still ask for more memory than
  // the device has: refused before anything is allocated, naming both.
  std::vector<uint8_t> bytes = buildArtifact();
  anima_model_t *model = nullptr;
  anima_open_options options;
  anima_open_options_init(&options);
  EXPECT_EQ(options.max_memory_bytes, 0u); // default: physical memory
  options.max_memory_bytes = 64;
  EXPECT_TRUE(hasStatus(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model),
      ANIMA_STATUS_RESOURCE_EXHAUSTED,
      "bytes of host memory at open, more than the budget of 64 bytes "
      "(anima_open_options.max_memory_bytes)"));
  EXPECT_EQ(model, nullptr);
  options.max_memory_bytes = uint64_t(1) << 30;
  ASSERT_TRUE(isOk(
      anima_model_open_memory(bytes.data(), bytes.size(), &options, &model)));
  anima_model_close(model);
}

TEST(ArtifactTest, BadOpenArguments) {
  anima_model_t *model = nullptr;
  EXPECT_TRUE(
      hasStatus(anima_model_open_file("/no/such/file.anima", nullptr, &model),
                ANIMA_STATUS_NOT_FOUND, "/no/such/file.anima"));
  TempDir dir;
  EXPECT_TRUE(
      hasStatus(anima_model_open_file(dir.path().c_str(), nullptr, &model),
                ANIMA_STATUS_INVALID_ARGUMENT, "not a regular file"));
  EXPECT_TRUE(hasStatus(anima_model_open_file(nullptr, nullptr, &model),
                        ANIMA_STATUS_INVALID_ARGUMENT, "path is NULL"));
  std::vector<uint8_t> bytes = buildArtifact();
  EXPECT_TRUE(hasStatus(
      anima_model_open_memory(bytes.data(), bytes.size(), nullptr, nullptr),
      ANIMA_STATUS_INVALID_ARGUMENT, "out is NULL"));
  EXPECT_TRUE(hasStatus(anima_model_open_memory(nullptr, 10, nullptr, &model),
                        ANIMA_STATUS_INVALID_ARGUMENT, "data is NULL"));
  EXPECT_TRUE(hasStatus(anima_model_open_memory(nullptr, 0, nullptr, &model),
                        ANIMA_STATUS_DATA_LOSS, "empty"));
  EXPECT_EQ(model, nullptr);
}

TEST(ArtifactTest, TwoModelsOfOneArtifactAreIndependent) {
  std::vector<uint8_t> bytes = buildArtifact();
  anima_model_t *a = nullptr, *b = nullptr;
  ASSERT_TRUE(isOk(openBytes(bytes, &a)));
  ASSERT_TRUE(isOk(openBytes(bytes, &b)));
  float x[3] = {1, 2, 3}, y[4];
  anima_buffer in{ANIMA_DTYPE_F32, x, sizeof(x)};
  anima_buffer out{ANIMA_DTYPE_F32, y, sizeof(y)};
  ASSERT_TRUE(isOk(anima_model_step(a, kEntryStep, &in, 1, &out, 1)));
  EXPECT_NE(stateBytes(a), stateBytes(b));
  anima_model_close(a);
  ASSERT_TRUE(isOk(anima_model_step(b, kEntryStep, &in, 1, &out, 1)));
  anima_model_close(b);
}

TEST(SharedObjectTest, TemporaryFileFallbackLoads) {
  using rt::SharedObject;
  const std::vector<uint8_t> &code = toyCode();
  for (SharedObject::Method method :
       {SharedObject::Method::Auto, SharedObject::Method::TempFile}) {
    std::unique_ptr<SharedObject> library;
    ASSERT_TRUE(isOk(
        SharedObject::load(code.data(), code.size(), "toy", &library, method)));
    EXPECT_NE(library->symbol("anima_abi_version"), nullptr);
    EXPECT_EQ(library->symbol("anima_entry_missing"), nullptr);
  }
  TempDir dir;
  const char *old = std::getenv("TMPDIR");
  std::string saved = old ? old : "";
  ::setenv("TMPDIR", dir.path().c_str(), 1);
  std::unique_ptr<SharedObject> library;
  EXPECT_TRUE(isOk(SharedObject::load(code.data(), code.size(), "toy", &library,
                                      SharedObject::Method::TempFile)));
  EXPECT_TRUE(dir.list().empty()) << "the temporary file was not unlinked";
  ::setenv("TMPDIR", (dir.path() + "/missing").c_str(), 1);
  EXPECT_TRUE(hasStatus(
      SharedObject::load(code.data(), code.size(), "toy", &library,
                         SharedObject::Method::TempFile),
      ANIMA_STATUS_IO_ERROR, "creating a temporary file for cpu code 'toy'"));
  if (old)
    ::setenv("TMPDIR", saved.c_str(), 1);
  else
    ::unsetenv("TMPDIR");
}

} // namespace
} // namespace anima::test
