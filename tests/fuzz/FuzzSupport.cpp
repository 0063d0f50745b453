//===- FuzzSupport.cpp - Shared pieces of the runtime fuzzers -------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "../common/ToyManifest.h"

#include "anima/runtime/artifact_writer.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

namespace anima::fuzz {

const std::vector<uint8_t> &toyCode() {
  static const std::vector<uint8_t> code = [] {
    std::ifstream in(ANIMA_FUZZ_TOY_MODEL_PATH, std::ios::binary);
    std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(in), {});
    if (bytes.empty())
      fail("cannot read the toy model %s", ANIMA_FUZZ_TOY_MODEL_PATH);
    return bytes;
  }();
  return code;
}

std::string toyManifest(bool extraStates) {
  std::string extra = extraStates ? R"(,
    {"name": "e", "dtype": "f32", "shape": [0], "bytes": 0,
     "init_offset": 192, "guard": "journal"},
    {"name": "\u00fc-\u00f1", "dtype": "f32", "shape": [2], "bytes": 8,
     "init_offset": 192, "guard": "copy"},
    {"name": "k2", "dtype": "i32", "shape": [3, 1], "bytes": 12,
     "init_offset": 256, "guard": "copy"})"
                                  : "";
  return test::toyManifestJson("anima fuzz fixture", extra, "");
}

std::vector<uint8_t> toyInitialState(bool extraStates) {
  const float W[12] = {0.5f, -0.25f, 0.125f, 0.0f,  1.0f,  -0.5f,
                       0.3f, 0.2f,   -0.1f,  -0.7f, 0.05f, 0.9f};
  std::vector<uint8_t> bytes(extraStates ? 268 : 132, 0);
  std::memcpy(bytes.data(), W, sizeof(W));
  if (extraStates) {
    const float u[2] = {1.5f, -2.5f};
    const int32_t k2[3] = {7, -8, 9};
    std::memcpy(bytes.data() + 192, u, sizeof(u));
    std::memcpy(bytes.data() + 256, k2, sizeof(k2));
  }
  return bytes;
}

std::vector<uint8_t> toyArtifact(bool extraStates,
                                 const std::vector<uint8_t> &code) {
  artifact::ArtifactWriter writer;
  std::string error;
  std::vector<uint8_t> init = toyInitialState(extraStates), bytes;
  if (!writer.addManifest(toyManifest(extraStates), &error) ||
      !writer.addSection(artifact::SectionKind::CpuCode, "cpu.host",
                         code.data(), code.size(), &error) ||
      !writer.addSection(artifact::SectionKind::InitialState, "state",
                         init.data(), init.size(), &error) ||
      !writer.writeBytes(&bytes, &error))
    fail("toy artifact: %s", error.c_str());
  return bytes;
}

anima_model_t *openOrDie(const std::vector<uint8_t> &bytes) {
  anima_model_t *model = nullptr;
  anima_status_t s =
      anima_model_open_memory(bytes.data(), bytes.size(), nullptr, &model);
  if (s)
    fail("opening the toy model: %s", anima_status_message(s));
  return model;
}

std::vector<std::vector<uint8_t>> stateBytes(const anima_model_t *model) {
  std::vector<std::vector<uint8_t>> all;
  for (size_t i = 0; i < anima_model_state_count(model); ++i) {
    anima_tensor_info info;
    if (anima_status_t s = anima_model_state_info(model, i, &info))
      fail("state_info(%zu): %s", i, anima_status_message(s));
    std::vector<uint8_t> bytes(info.bytes);
    if (anima_status_t s =
            anima_model_read_state(model, i, bytes.data(), bytes.size()))
      fail("read_state(%zu): %s", i, anima_status_message(s));
    all.push_back(std::move(bytes));
  }
  return all;
}

bool stateIsFinite(const anima_model_t *model) {
  std::vector<std::vector<uint8_t>> all = stateBytes(model);
  for (size_t i = 0; i < all.size(); ++i) {
    anima_tensor_info info;
    if (anima_status_t s = anima_model_state_info(model, i, &info))
      fail("state_info(%zu): %s", i, anima_status_message(s));
    if (info.dtype != ANIMA_DTYPE_F32)
      continue;
    for (size_t b = 0; b + 4 <= all[i].size(); b += 4) {
      float v;
      std::memcpy(&v, all[i].data() + b, 4);
      if (!std::isfinite(v))
        return false;
    }
  }
  return true;
}

anima_status_code_t consume(anima_status_t status, const char *call) {
  if (!status)
    return ANIMA_STATUS_OK;
  anima_status_code_t code = anima_status_code(status);
  const char *message = anima_status_message(status);
  if (code <= ANIMA_STATUS_OK || code > ANIMA_STATUS_INTERNAL)
    fail("%s: status with code %d", call, int(code));
  if (!message || !*message)
    fail("%s: status %s without a message", call,
         anima_status_code_name(code));
  if (std::strcmp(anima_status_code_name(code), "?") == 0)
    fail("%s: code %d has no name", call, int(code));
  anima_status_free(status);
  return code;
}

void fail(const char *format, ...) {
  std::va_list args;
  va_start(args, format);
  std::fputs("anima fuzz invariant broken: ", stderr);
  std::vfprintf(stderr, format, args);
  std::fputc('\n', stderr);
  va_end(args);
  std::abort();
}

float ByteReader::hostileFloat() {
  switch (u8() % 12) {
  case 0:
    return std::numeric_limits<float>::quiet_NaN();
  case 1:
    return std::numeric_limits<float>::infinity();
  case 2:
    return -std::numeric_limits<float>::infinity();
  case 3:
    return std::numeric_limits<float>::max();
  case 4:
    return -1e30f;
  case 5:
    return std::numeric_limits<float>::denorm_min();
  case 6:
    return -0.0f;
  case 7: {
    uint32_t bits = u32();
    float v;
    std::memcpy(&v, &bits, 4);
    return v;
  }
  default:
    return float(int8_t(u8())) / 16.0f;
  }
}

std::string ByteReader::string(size_t max) {
  size_t n = u8() % (max + 1);
  std::string s;
  for (size_t i = 0; i < n && !empty(); ++i)
    s.push_back(char(u8()));
  return s;
}

} // namespace anima::fuzz
