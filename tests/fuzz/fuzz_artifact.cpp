//===- fuzz_artifact.cpp - libFuzzer target: the artifact loader ----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Each input is a `.anima` file, tried twice:
//
//  1. As it is: the validation layers of anima_model_open_memory (header,
//     section table, CRCs, artifact id, manifest JSON and decoding, manifest
//     references). The public open runs too when the input's code sections
//     are exactly the toy library (never mutated code, see FuzzSupport.h).
//  2. Re-sealed: its sections (kind, name, bytes) are packed again by the
//     ArtifactWriter, so CRCs, file size and artifact id are valid and the
//     fuzzer reaches the manifest and everything after it; every cpu code
//     section becomes the toy library. Then anima_model_open_memory, and on
//     success every introspection call, state reads, reset, snapshot and
//     rollback, each checked against the manifest.
//
// Invariants: no crash, leak or sanitizer report; every failure is a status
// with a known code and a message; a model that opens describes exactly what
// its manifest declares and holds finite f32 initial state.
//
//===----------------------------------------------------------------------===//

#include "FuzzSupport.h"

#include "anima/runtime/artifact_writer.h"
#include "format/artifact_reader.h"
#include "format/manifest.h"
#include "format/references.h"

#include <cstring>

using namespace anima::fuzz;

namespace {

/// Largest total (state + inputs/outputs + journal) the fuzzer lets the
/// public open allocate. A valid artifact may declare up to 2^34 bytes per
/// tensor and per journal (runtime/README.md, "Limits"); the runtime then
/// allocates what it was told to, which is an out-of-memory by design, not a
/// finding.
constexpr uint64_t kOpenBudget = uint64_t(64) << 20;

uint32_t load32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}

uint64_t load64(const uint8_t *p) {
  return uint64_t(load32(p)) | uint64_t(load32(p + 4)) << 32;
}

/// Returns the bytes the runtime would allocate for `manifest` at open, or
/// UINT64_MAX on overflow.
uint64_t declaredBytes(const anima::rt::Manifest &manifest) {
  uint64_t total = 0;
  auto add = [&](uint64_t v) {
    total = (total > UINT64_MAX - v) ? UINT64_MAX : total + v;
  };
  for (const auto &s : manifest.states)
    add(3 * s.tensor.bytes); // live, initial, backup
  for (const auto &e : manifest.entries) {
    for (const auto &t : e.inputs)
      add(t.bytes);
    for (const auto &t : e.outputs)
      add(t.bytes);
    add(e.journalBytes + e.journalBytes / 2); // journal + record scratch
  }
  return total;
}

/// What the layers before code loading say about an artifact.
enum class Verdict { Invalid, TooBig, Valid };

/// Runs the layers the public open runs before it loads code.
Verdict validate(const uint8_t *data, size_t size) {
  anima::rt::ArtifactView view;
  if (consume(anima::rt::readArtifact(data, size, &view), "readArtifact"))
    return Verdict::Invalid;
  const anima::rt::SectionView *manifestSection = nullptr;
  if (consume(anima::rt::findManifest(view, &manifestSection), "findManifest"))
    return Verdict::Invalid;
  std::string text(reinterpret_cast<const char *>(manifestSection->data),
                   manifestSection->size);
  anima::rt::Manifest manifest;
  if (consume(anima::rt::parseManifest(text, &manifest), "parseManifest"))
    return Verdict::Invalid;
  const anima::rt::SectionView *init = nullptr;
  if (consume(anima::rt::checkManifestReferences(view, manifest, &init),
              "checkManifestReferences"))
    return Verdict::Invalid;
  for (const auto &s : manifest.states)
    if (init && (s.initOffset > init->size ||
                 s.tensor.bytes > init->size - s.initOffset))
      fail("state '%s' passed the reference check outside its section",
           s.tensor.name.c_str());
  return declaredBytes(manifest) <= kOpenBudget ? Verdict::Valid
                                                : Verdict::TooBig;
}

/// Returns true iff every cpu code section of the (valid) artifact holds
/// exactly the toy library.
bool onlyToyCode(const uint8_t *data, size_t size) {
  anima::rt::ArtifactView view;
  if (consume(anima::rt::readArtifact(data, size, &view), "readArtifact"))
    return false;
  for (const auto *s : view.findByKind(2))
    if (s->size != toyCode().size() ||
        std::memcmp(s->data, toyCode().data(), s->size) != 0)
      return false;
  return true;
}

/// Packs the sections found in `data` again with valid CRCs and id; cpu
/// code sections become the toy library. False if nothing usable is there.
bool reseal(const uint8_t *data, size_t size, std::vector<uint8_t> *out) {
  if (size < 64)
    return false;
  anima::artifact::ArtifactWriter writer;
  writer.setAbiVersion(load32(data + 12));
  uint32_t count = load32(data + 16);
  if (count > 64)
    count = 64;
  std::string error;
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = 64 + size_t(i) * 48;
    if (at + 48 > size)
      break;
    const uint8_t *entry = data + at;
    uint32_t kind = load32(entry);
    uint64_t offset = load64(entry + 8), bytes = load64(entry + 16);
    if (offset > size || bytes > size - offset)
      continue;
    size_t nameLength = strnlen(reinterpret_cast<const char *>(entry + 32), 16);
    std::string name(reinterpret_cast<const char *>(entry + 32), nameLength);
    const uint8_t *content = data + offset;
    if (kind == 2) {
      content = toyCode().data();
      bytes = toyCode().size();
    }
    // A name the writer refuses (empty, duplicate) drops the section.
    (void)writer.addSection(kind, name, content, size_t(bytes), &error);
  }
  return writer.writeBytes(out, &error);
}

/// Checks one tensor description against the model's conventions.
void checkTensor(const anima_tensor_info &t, const char *what) {
  if (!t.name || !*t.name)
    fail("%s without a name", what);
  if (t.dtype != ANIMA_DTYPE_F32 && t.dtype != ANIMA_DTYPE_I32)
    fail("%s '%s' has dtype %d", what, t.name, int(t.dtype));
  uint64_t elements = 1;
  for (uint32_t d = 0; d < t.rank; ++d) {
    if (t.shape[d] < 0)
      fail("%s '%s' has a negative dimension", what, t.name);
    elements *= uint64_t(t.shape[d]);
  }
  if (elements * 4 != t.bytes)
    fail("%s '%s': %llu bytes for %llu elements", what, t.name,
         (unsigned long long)t.bytes, (unsigned long long)elements);
}

/// Opens a re-sealed artifact and exercises everything but stepping.
void openAndExercise(const std::vector<uint8_t> &bytes) {
  anima_model_t *model = nullptr;
  if (consume(anima_model_open_memory(bytes.data(), bytes.size(), nullptr,
                                      &model),
              "anima_model_open_memory")) {
    if (model)
      fail("a failed open wrote its out parameter");
    return;
  }
  size_t manifestSize = 0;
  const char *manifest = anima_model_manifest(model, &manifestSize);
  if (!manifest || std::strlen(manifest) > manifestSize)
    fail("manifest text is not NUL-terminated within its size");
  (void)anima_model_name(model);
  if (std::strcmp(anima_model_backend(model), "cpu") != 0)
    fail("backend is not cpu");
  uint8_t id[16];
  anima_model_artifact_id(model, id);
  if (std::memcmp(id, bytes.data() + 32, 16) != 0)
    fail("artifact id differs from the header");

  size_t entries = anima_model_entry_count(model);
  for (size_t i = 0; i <= entries; ++i) {
    anima_entry_info info;
    anima_status_code_t code =
        consume(anima_model_entry_info(model, i, &info), "entry_info");
    if ((code == ANIMA_STATUS_OK) != (i < entries))
      fail("entry_info(%zu) of %zu entries: %s", i, entries,
           anima_status_code_name(code));
    if (code)
      continue;
    for (size_t k = 0; k < info.input_count; ++k)
      checkTensor(info.inputs[k], "input");
    for (size_t k = 0; k < info.output_count; ++k)
      checkTensor(info.outputs[k], "output");
    size_t found = SIZE_MAX;
    if (consume(anima_model_find_entry(model, info.name, &found),
                "find_entry") ||
        found != i)
      fail("find_entry('%s') did not find entry %zu", info.name, i);
  }
  size_t states = anima_model_state_count(model);
  for (size_t i = 0; i <= states; ++i) {
    anima_tensor_info info;
    anima_status_code_t code =
        consume(anima_model_state_info(model, i, &info), "state_info");
    if ((code == ANIMA_STATUS_OK) != (i < states))
      fail("state_info(%zu) of %zu states", i, states);
    if (code)
      continue;
    checkTensor(info, "state");
    size_t found = SIZE_MAX;
    if (consume(anima_model_find_state(model, info.name, &found),
                "find_state") ||
        found != i)
      fail("find_state('%s') did not find state %zu", info.name, i);
  }
  if (!stateIsFinite(model))
    fail("a model opened with non-finite f32 initial state");
  auto initial = stateBytes(model);
  anima_snapshot_t *snapshot = nullptr;
  if (consume(anima_model_snapshot(model, &snapshot), "snapshot"))
    fail("snapshot of a fresh model failed");
  if (consume(anima_model_reset(model), "reset") ||
      consume(anima_model_rollback(model, snapshot), "rollback"))
    fail("reset or rollback of a fresh model failed");
  anima_snapshot_free(snapshot);
  if (stateBytes(model) != initial)
    fail("reset + rollback changed the state");
  anima_model_close(model);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // An invalid artifact fails the public open before any code is loaded.
  Verdict raw = validate(data, size);
  if (raw == Verdict::Invalid ||
      (raw == Verdict::Valid && onlyToyCode(data, size)))
    openAndExercise(std::vector<uint8_t>(data, data + size));
  std::vector<uint8_t> sealed;
  if (reseal(data, size, &sealed) &&
      validate(sealed.data(), sealed.size()) != Verdict::TooBig)
    openAndExercise(sealed);
  return 0;
}
