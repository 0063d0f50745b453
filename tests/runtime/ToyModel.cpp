//===- ToyModel.cpp - Artifacts of the hand-written toy model -------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "ToyModel.h"

#include "../common/ToyManifest.h"

#include "anima/runtime/artifact_writer.h"

#include <cstring>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace anima::test {
namespace {

/// Reads a whole file or fails the test.
std::vector<uint8_t> loadFile(const char *path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

/// Stores a little-endian u32 at `p`.
void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}

} // namespace

const std::vector<uint8_t> &toyCode() {
  static const std::vector<uint8_t> code = loadFile(ANIMA_TOY_MODEL_PATH);
  return code;
}

const std::vector<uint8_t> &toyCodeAbi99() {
  static const std::vector<uint8_t> code = loadFile(ANIMA_TOY_MODEL_ABI99_PATH);
  return code;
}

std::vector<float> toyInitialW() {
  return {0.5f, -0.25f, 0.125f, 0.0f,  1.0f,  -0.5f,
          0.3f, 0.2f,   -0.1f,  -0.7f, 0.05f, 0.9f};
}

std::string hostTriple() {
#if defined(__x86_64__)
  return "x86_64-unknown-linux-gnu";
#elif defined(__aarch64__)
  return "aarch64-unknown-linux-gnu";
#else
  return "";
#endif
}

std::string toyManifest() {
  return test::toyManifestJson("hand-written test fixture", "", hostTriple());
}

std::vector<uint8_t> toyInitialState(const std::vector<float> &W, float c,
                                     int32_t n) {
  std::vector<uint8_t> bytes(132, 0);
  std::memcpy(bytes.data(), W.data(), W.size() * sizeof(float));
  std::memcpy(bytes.data() + 64, &c, 4);
  std::memcpy(bytes.data() + 128, &n, 4);
  return bytes;
}

ArtifactParts::ArtifactParts()
    : manifest(toyManifest()), code(toyCode()), codeSection("cpu.host"),
      init(toyInitialState(toyInitialW())) {}

std::vector<uint8_t> buildArtifact(const ArtifactParts &parts) {
  artifact::ArtifactWriter writer;
  writer.setAbiVersion(parts.abiVersion);
  std::string error;
  if (parts.withManifest) {
    EXPECT_TRUE(writer.addManifest(parts.manifest, &error)) << error;
  }
  EXPECT_TRUE(writer.addSection(artifact::SectionKind::CpuCode,
                                parts.codeSection, parts.code.data(),
                                parts.code.size(), &error))
      << error;
  EXPECT_TRUE(writer.addSection(artifact::SectionKind::InitialState, "state",
                                parts.init.data(), parts.init.size(), &error))
      << error;
  std::vector<uint8_t> bytes;
  EXPECT_TRUE(writer.writeBytes(&bytes, &error)) << error;
  return bytes;
}

std::string replaced(std::string text, const std::string &from,
                     const std::string &to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' not in the text";
  if (at != std::string::npos)
    text.replace(at, from.size(), to);
  return text;
}

anima_status_t openBytes(const std::vector<uint8_t> &bytes,
                         anima_model_t **out) {
  return anima_model_open_memory(bytes.data(), bytes.size(), nullptr, out);
}

::testing::AssertionResult hasStatus(anima_status_t status,
                                     anima_status_code_t code,
                                     const std::string &text) {
  std::string message = anima_status_message(status);
  anima_status_code_t actual = anima_status_code(status);
  anima_status_free(status);
  if (actual != code)
    return ::testing::AssertionFailure()
           << "expected " << anima_status_code_name(code) << ", got "
           << anima_status_code_name(actual) << ": " << message;
  if (message.find(text) == std::string::npos)
    return ::testing::AssertionFailure()
           << "message '" << message << "' lacks '" << text << "'";
  return ::testing::AssertionSuccess() << message;
}

::testing::AssertionResult isOk(anima_status_t status) {
  if (!status)
    return ::testing::AssertionSuccess();
  std::string message =
      std::string(anima_status_code_name(anima_status_code(status))) + ": " +
      anima_status_message(status);
  anima_status_free(status);
  return ::testing::AssertionFailure() << message;
}

std::vector<std::vector<uint8_t>> stateBytes(const anima_model_t *model) {
  std::vector<std::vector<uint8_t>> all;
  for (size_t i = 0; i < anima_model_state_count(model); ++i) {
    anima_tensor_info info;
    EXPECT_TRUE(isOk(anima_model_state_info(model, i, &info)));
    std::vector<uint8_t> bytes(info.bytes);
    EXPECT_TRUE(
        isOk(anima_model_read_state(model, i, bytes.data(), bytes.size())));
    all.push_back(std::move(bytes));
  }
  return all;
}

std::vector<float> readFloats(const anima_model_t *model, size_t index) {
  anima_tensor_info info;
  EXPECT_TRUE(isOk(anima_model_state_info(model, index, &info)));
  std::vector<float> values(info.bytes / sizeof(float));
  EXPECT_TRUE(
      isOk(anima_model_read_state(model, index, values.data(), info.bytes)));
  return values;
}

void fixHeaderCrc(std::vector<uint8_t> &a) {
  put32(a.data() + 60, artifact::crc32c(a.data(), 60));
}

void fixTableCrc(std::vector<uint8_t> &a) {
  uint32_t count = uint32_t(a[16]) | uint32_t(a[17]) << 8;
  put32(a.data() + 48, artifact::crc32c(a.data() + 64, count * 48));
  fixHeaderCrc(a);
}

TempDir::TempDir() {
  std::string pattern = ::testing::TempDir() + "anima-rt-XXXXXX";
  char *made = ::mkdtemp(pattern.data());
  EXPECT_NE(made, nullptr);
  dir = pattern;
}

TempDir::~TempDir() {
  for (const std::string &name : list())
    ::unlink(file(name).c_str());
  ::rmdir(dir.c_str());
}

std::string TempDir::file(const std::string &name) const {
  return dir + "/" + name;
}

std::vector<std::string> TempDir::list() const {
  std::vector<std::string> names;
  DIR *d = ::opendir(dir.c_str());
  if (!d)
    return names;
  while (dirent *e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name != "." && name != "..")
      names.push_back(name);
  }
  ::closedir(d);
  return names;
}

void writeFileBytes(const std::string &path,
                    const std::vector<uint8_t> &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            std::streamsize(bytes.size()));
  EXPECT_TRUE(out.good()) << "cannot write " << path;
}

std::vector<uint8_t> readFileBytes(const std::string &path) {
  return loadFile(path.c_str());
}

void ToyModelTest::SetUp() {
  ASSERT_TRUE(isOk(openBytes(buildArtifact(), &model)));
}

void ToyModelTest::TearDown() { anima_model_close(model); }

anima_status_t ToyModelTest::step(const float x[3], float y[4], size_t entry) {
  anima_buffer in{ANIMA_DTYPE_F32, const_cast<float *>(x), 3 * sizeof(float)};
  anima_buffer out{ANIMA_DTYPE_F32, y, 4 * sizeof(float)};
  return anima_model_step(model, entry, &in, 1, &out, 1);
}

} // namespace anima::test
