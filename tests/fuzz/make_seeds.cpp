//===- make_seeds.cpp - Writes the fuzzers' seed corpora ------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// anima-fuzz-seeds DIR writes DIR/artifact, DIR/checkpoint and DIR/step (the
// committed tests/fuzz/corpus was made with it). Artifacts hold the
// placeholder instead of the toy library (FuzzSupport.h); checkpoints belong
// to a toy artifact of this build, whose id the checkpoint fuzzer re-seals.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "anima/abi.h"
#include "anima/runtime/artifact_writer.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <sys/stat.h>

using namespace anima::fuzz;

namespace {

void writeFile(const std::string &path, const std::vector<uint8_t> &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            std::streamsize(bytes.size()));
  if (!out.good())
    fail("cannot write %s", path.c_str());
}

std::vector<uint8_t> placeholder() {
  return std::vector<uint8_t>(kToyCodePlaceholder,
                              kToyCodePlaceholder +
                                  sizeof(kToyCodePlaceholder) - 1);
}

/// An artifact of `manifest`, the placeholder code and `init` (if any),
/// plus extra sections.
std::vector<uint8_t>
artifactOf(const std::string &manifest, const std::vector<uint8_t> &init,
           std::vector<std::pair<uint32_t, std::string>> extra = {},
           uint32_t abi = ANIMA_ABI_VERSION) {
  anima::artifact::ArtifactWriter writer;
  writer.setAbiVersion(abi);
  std::string error;
  std::vector<uint8_t> code = placeholder(), bytes;
  bool ok = writer.addManifest(manifest, &error) &&
            writer.addSection(2u, "cpu.host", code.data(), code.size(),
                              &error);
  if (ok && !init.empty())
    ok = writer.addSection(3u, "state", init.data(), init.size(), &error);
  for (auto &[kind, name] : extra)
    ok = ok && writer.addSection(kind, name, name.data(), name.size(), &error);
  if (!ok || !writer.writeBytes(&bytes, &error))
    fail("seed artifact: %s", error.c_str());
  return bytes;
}

std::string replaced(std::string text, const std::string &from,
                     const std::string &to) {
  size_t at = text.find(from);
  if (at == std::string::npos)
    fail("'%s' not in the manifest", from.c_str());
  return text.replace(at, from.size(), to);
}

void writeArtifacts(const std::string &dir) {
  const std::string toy = toyManifest(false), extra = toyManifest(true);
  writeFile(dir + "/toy.anima", artifactOf(toy, toyInitialState(false)));
  writeFile(dir + "/toy-extra-states.anima",
            artifactOf(extra, toyInitialState(true)));
  writeFile(dir + "/stateless.anima",
            artifactOf(R"({"format": "anima-artifact", "format_version": 1,
  "state": [], "entry_points": [{"name": "scribble", "inputs": [],
  "outputs": [], "journal_bytes": 64}],
  "targets": [{"backend": "cpu", "section": "cpu.host"}]})",
                       {}));
  writeFile(dir + "/more-targets.anima",
            artifactOf(replaced(toy,
                                R"({"backend": "cpu", "triple": "", )",
                                R"({"backend": "vulkan", "section": "spirv"},
    {"backend": "cpu", "triple": "aarch64-unknown-linux-gnu", "section": "cpu.host"},
    {"backend": "cpu", "triple": "", )"),
                       toyInitialState(false), {{4u, "spirv"}, {99u, "x"}}));
  writeFile(dir + "/abi-99.anima",
            artifactOf(toy, toyInitialState(false), {}, 99));
  std::vector<uint8_t> truncated = artifactOf(toy, toyInitialState(false));
  truncated.resize(100);
  writeFile(dir + "/truncated.anima", truncated);
}

void put32(std::vector<uint8_t> &out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(uint8_t(v >> (8 * i)));
}

void put64(std::vector<uint8_t> &out, uint64_t v) {
  put32(out, uint32_t(v));
  put32(out, uint32_t(v >> 32));
}

/// A checkpoint of `model` with the records `order` (indices into its
/// state), optionally with one f32 replaced by NaN.
std::vector<uint8_t> checkpointOf(const anima_model_t *model,
                                  const std::vector<size_t> &order,
                                  bool poison = false) {
  auto state = stateBytes(model);
  std::vector<uint8_t> out(48, 0);
  std::memcpy(out.data(), "ANIMACKP", 8);
  out[8] = 1;
  out[12] = uint8_t(order.size());
  anima_model_artifact_id(model, out.data() + 16);
  for (size_t i : order) {
    anima_tensor_info info;
    if (anima_model_state_info(model, i, &info))
      fail("state_info");
    put32(out, uint32_t(std::strlen(info.name)));
    out.insert(out.end(), info.name, info.name + std::strlen(info.name));
    put64(out, info.bytes);
    std::vector<uint8_t> data = state[i];
    if (poison && i == 0) {
      float nan = NAN;
      std::memcpy(data.data() + 4, &nan, 4);
    }
    out.insert(out.end(), data.begin(), data.end());
  }
  uint64_t payload = out.size() - 48;
  for (int i = 0; i < 8; ++i)
    out[32 + i] = uint8_t(payload >> (8 * i));
  uint32_t crc = anima::artifact::crc32c(out.data(), 44);
  for (int i = 0; i < 4; ++i)
    out[44 + i] = uint8_t(crc >> (8 * i));
  put32(out, anima::artifact::crc32c(out.data() + 48, payload));
  return out;
}

void writeCheckpoints(const std::string &dir) {
  anima_model_t *model = openOrDie(toyArtifact(true, toyCode()));
  const float W[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -12};
  if (anima_model_write_state(model, 0, W, sizeof(W)))
    fail("write_state");
  std::vector<size_t> order = {0, 1, 2, 3, 4, 5};
  writeFile(dir + "/toy.ckpt", checkpointOf(model, order));
  writeFile(dir + "/reversed.ckpt",
            checkpointOf(model, {5, 4, 3, 2, 1, 0}));
  writeFile(dir + "/missing-record.ckpt", checkpointOf(model, {0, 1, 2, 3, 4}));
  writeFile(dir + "/duplicate-record.ckpt",
            checkpointOf(model, {0, 1, 2, 3, 4, 4}));
  writeFile(dir + "/nan.ckpt", checkpointOf(model, order, true));
  std::vector<uint8_t> half = checkpointOf(model, order);
  half.resize(half.size() / 2);
  writeFile(dir + "/truncated.ckpt", half);
  writeFile(dir + "/empty.ckpt", {});
  anima_model_close(model);
}

void writeSteps(const std::string &dir) {
  std::mt19937 rng(7);
  for (int i = 0; i < 8; ++i) {
    std::vector<uint8_t> bytes(16u << (i % 5));
    for (uint8_t &b : bytes)
      b = uint8_t(rng());
    writeFile(dir + "/random-" + std::to_string(i), bytes);
  }
  // Ten well-formed steps of entry 0: op 0, entry selector (not 0 mod 8),
  // entry 0, counts as declared, every buffer as declared, small values.
  std::vector<uint8_t> steps;
  for (int s = 0; s < 10; ++s) {
    const uint8_t one[] = {0, 1, 0, 1, 1};
    steps.insert(steps.end(), one, one + sizeof(one));
    for (int b = 0; b < 2; ++b) {
      const uint8_t desc[] = {3, 5};
      steps.insert(steps.end(), desc, desc + 2);
      for (int v = 0; v < 5; ++v) {
        steps.push_back(8);
        steps.push_back(uint8_t(rng() % 32));
      }
      steps.push_back(1);
    }
    steps.push_back(1);
    steps.push_back(1);
  }
  writeFile(dir + "/steps", steps);
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: anima-fuzz-seeds DIR\n");
    return 2;
  }
  std::string root = argv[1];
  for (const char *sub : {"artifact", "checkpoint", "step"})
    ::mkdir((root + "/" + sub).c_str(), 0755);
  writeArtifacts(root + "/artifact");
  writeCheckpoints(root + "/checkpoint");
  writeSteps(root + "/step");
  return 0;
}
