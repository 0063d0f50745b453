//===- checkpoint.cpp - Encoding and validating checkpoints ---------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "format/checkpoint.h"

#include "format/artifact_layout.h"
#include "support/bytes.h"
#include "support/crc32c.h"
#include "support/status.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace anima::rt {
namespace {

using ull = unsigned long long;
namespace h = checkpoint_header;

/// Returns the size of one state record.
uint64_t recordSize(const StateDesc &state) {
  return 4 + state.tensor.name.size() + 8 + state.tensor.bytes;
}

/// Checks magic, version, header CRC, artifact id and overall size.
anima_status_t checkHeader(const uint8_t *file, size_t size,
                           const uint8_t id[16], uint64_t *payload) {
  size_t magicBytes = std::min(size, sizeof(kCheckpointMagic));
  if (std::memcmp(file, kCheckpointMagic, magicBytes) != 0)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "not an Anima checkpoint (bad magic, expected "
                      "\"ANIMACKP\")");
  if (size < h::kSize)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "truncated: %zu bytes, the header alone is %zu", size,
                      h::kSize);
  uint32_t version = loadU32(file + h::kVersion);
  if (version != kCheckpointVersion)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "checkpoint version %u, this runtime reads version %u",
                      version, kCheckpointVersion);
  uint32_t crc = crc32c(file, h::kHeaderCrc);
  if (crc != loadU32(file + h::kHeaderCrc))
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "header CRC mismatch (stored 0x%08x, computed 0x%08x)",
                      loadU32(file + h::kHeaderCrc), crc);
  if (std::memcmp(file + h::kArtifactId, id, 16) != 0)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "the checkpoint belongs to artifact %s, this model is "
                      "artifact %s",
                      artifactIdHex(file + h::kArtifactId).c_str(),
                      artifactIdHex(id).c_str());
  *payload = loadU64(file + h::kPayloadBytes);
  uint64_t expected;
  if (!checkedAdd(*payload, h::kSize + 4, &expected) || expected != size)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "size mismatch: the header promises %llu payload bytes, "
                      "the file has %zu bytes in all (truncated?)",
                      ull(*payload), size);
  uint32_t trailer = crc32c(file + h::kSize, *payload);
  if (trailer != loadU32(file + size - 4))
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "payload CRC mismatch (stored 0x%08x, computed 0x%08x)",
                      loadU32(file + size - 4), trailer);
  return nullptr;
}

/// Returns the index of the state called `name`, or -1.
int64_t findState(const std::vector<StateDesc> &states, const uint8_t *name,
                  uint32_t length) {
  for (size_t i = 0; i < states.size(); ++i) {
    const std::string &n = states[i].tensor.name;
    if (n.size() == length && std::memcmp(n.data(), name, length) == 0)
      return int64_t(i);
  }
  return -1;
}

/// Walks the state records of the payload, matching them to `states`.
anima_status_t decodeRecords(const uint8_t *payload, uint64_t size,
                             const std::vector<StateDesc> &states,
                             uint32_t count,
                             std::vector<const uint8_t *> *data) {
  uint64_t pos = 0;
  for (uint32_t r = 0; r < count; ++r) {
    if (!rangeInside(pos, 4, size))
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "record %u: truncated name length", r);
    uint32_t nameLength = loadU32(payload + pos);
    pos += 4;
    if (!rangeInside(pos, uint64_t(nameLength) + 8, size))
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "record %u: name of %u bytes overruns the payload", r,
                        nameLength);
    const uint8_t *name = payload + pos;
    std::string shown(reinterpret_cast<const char *>(name),
                      std::min<uint32_t>(nameLength, 64));
    pos += nameLength;
    uint64_t bytes = loadU64(payload + pos);
    pos += 8;
    int64_t index = findState(states, name, nameLength);
    if (index < 0)
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "record %u: the model has no state '%s'", r,
                        shown.c_str());
    const StateDesc &state = states[size_t(index)];
    if ((*data)[size_t(index)])
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "record %u: state '%s' appears twice", r,
                        shown.c_str());
    if (bytes != state.tensor.bytes)
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "state '%s': %llu bytes, the model needs %llu",
                        shown.c_str(), ull(bytes), ull(state.tensor.bytes));
    if (!rangeInside(pos, bytes, size))
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "state '%s': data overruns the payload", shown.c_str());
    (*data)[size_t(index)] = payload + pos;
    pos += bytes;
  }
  if (pos != size)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "%llu unexpected bytes after the last record",
                      ull(size - pos));
  return nullptr;
}

} // namespace

std::string artifactIdHex(const uint8_t id[16]) {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 16; ++i) {
    s.push_back(kHex[id[i] >> 4]);
    s.push_back(kHex[id[i] & 15]);
  }
  return s;
}

namespace {
/// 1 if the f32 with these bits is NaN or Inf (exponent all ones).
inline uint32_t nonFiniteBits(uint32_t bits) {
  return uint32_t((bits & 0x7f800000u) == 0x7f800000u);
}
} // namespace

int64_t findNonFinite(const uint8_t *data, uint64_t bytes) {
  // Every step checks its inputs (a 16384-score input is 64 KiB), so the
  // common all-finite case is a branch-free test of blocks of 64 values
  // that the compiler vectorizes; only a block that fails is searched.
  constexpr uint64_t kBlock = 64;
  const uint64_t count = bytes / 4;
  uint64_t i = 0;
  for (; i + kBlock <= count; i += kBlock) {
    uint32_t words[kBlock];
    std::memcpy(words, data + 4 * i, sizeof words);
    uint32_t any = 0;
    for (uint64_t l = 0; l < kBlock; ++l)
      any |= nonFiniteBits(words[l]);
    if (any)
      break;
  }
  for (; i < count; ++i) {
    uint32_t bits;
    std::memcpy(&bits, data + 4 * i, 4);
    if (nonFiniteBits(bits))
      return int64_t(i);
  }
  return -1;
}

uint64_t checkpointSize(const std::vector<StateDesc> &states) {
  uint64_t size = h::kSize + 4;
  for (const StateDesc &state : states)
    size += recordSize(state);
  return size;
}

std::vector<uint8_t>
encodeCheckpoint(const uint8_t id[16], const std::vector<StateDesc> &states,
                 const std::vector<const uint8_t *> &data) {
  std::vector<uint8_t> out(h::kSize, 0);
  out.reserve(checkpointSize(states));
  for (size_t i = 0; i < states.size(); ++i) {
    const TensorDesc &t = states[i].tensor;
    appendU32(out, uint32_t(t.name.size()));
    out.insert(out.end(), t.name.begin(), t.name.end());
    appendU64(out, t.bytes);
    out.insert(out.end(), data[i], data[i] + t.bytes);
  }
  uint64_t payload = out.size() - h::kSize;
  std::memcpy(out.data() + h::kMagic, kCheckpointMagic, 8);
  storeU32(out.data() + h::kVersion, kCheckpointVersion);
  storeU32(out.data() + h::kStateCount, uint32_t(states.size()));
  std::memcpy(out.data() + h::kArtifactId, id, 16);
  storeU64(out.data() + h::kPayloadBytes, payload);
  storeU32(out.data() + h::kHeaderCrc, crc32c(out.data(), h::kHeaderCrc));
  appendU32(out, crc32c(out.data() + h::kSize, payload));
  return out;
}

anima_status_t decodeCheckpoint(const uint8_t *file, size_t size,
                                const uint8_t id[16],
                                const std::vector<StateDesc> &states,
                                std::vector<const uint8_t *> *data) {
  if (size == 0)
    return makeStatus(ANIMA_STATUS_DATA_LOSS, "the checkpoint is empty");
  uint64_t payload = 0;
  if (anima_status_t s = checkHeader(file, size, id, &payload))
    return s;
  uint32_t count = loadU32(file + h::kStateCount);
  if (count != states.size())
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "the checkpoint holds %u state tensors, the model has "
                      "%zu",
                      count, states.size());
  std::vector<const uint8_t *> found(states.size(), nullptr);
  if (anima_status_t s =
          decodeRecords(file + h::kSize, payload, states, count, &found))
    return s;
  for (size_t i = 0; i < states.size(); ++i) {
    if (states[i].tensor.dtype != ANIMA_DTYPE_F32)
      continue;
    int64_t bad = findNonFinite(found[i], states[i].tensor.bytes);
    if (bad >= 0)
      return makeStatus(ANIMA_STATUS_NONFINITE,
                        "state '%s': element %lld is not finite",
                        states[i].tensor.name.c_str(), (long long)bad);
  }
  *data = std::move(found);
  return nullptr;
}

} // namespace anima::rt
