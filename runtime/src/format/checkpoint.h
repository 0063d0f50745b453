//===- checkpoint.h - Encoding and validating checkpoints -------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The checkpoint format (docs/artifact-format.md, "Checkpoint layout").
// `payload_bytes` counts the state records, from offset 48 up to the
// trailing CRC, so a file is exactly 48 + payload_bytes + 4 bytes.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_FORMAT_CHECKPOINT_H
#define ANIMA_RUNTIME_FORMAT_CHECKPOINT_H

#include "anima/runtime/anima.h"
#include "format/manifest.h"

#include <cstdint>
#include <string>
#include <vector>

namespace anima::rt {

/// Returns the exact size in bytes of a checkpoint of `states`.
uint64_t checkpointSize(const std::vector<StateDesc> &states);

/// Encodes a checkpoint of `states` whose current bytes are `data[i]`, tied
/// to artifact `id`. Throws std::bad_alloc only.
std::vector<uint8_t> encodeCheckpoint(const uint8_t id[16],
                                      const std::vector<StateDesc> &states,
                                      const std::vector<const uint8_t *> &data);

/// Validates `size` bytes of a checkpoint against the artifact `id` and its
/// `states`: magic and version (INCOMPATIBLE), header CRC, size and trailing
/// CRC (DATA_LOSS), artifact id (INCOMPATIBLE), every state present once with
/// its exact size (DATA_LOSS), f32 data finite (NONFINITE). On success
/// `(*data)[i]` points at state i's bytes inside `file` (unaligned).
[[nodiscard]] anima_status_t
decodeCheckpoint(const uint8_t *file, size_t size, const uint8_t id[16],
                 const std::vector<StateDesc> &states,
                 std::vector<const uint8_t *> *data);

/// Returns the index of the first non-finite f32 in `bytes` bytes at `data`
/// (unaligned), or -1 if all are finite.
int64_t findNonFinite(const uint8_t *data, uint64_t bytes);

/// Formats a 16-byte artifact id as 32 lower-case hex digits.
std::string artifactIdHex(const uint8_t id[16]);

} // namespace anima::rt

#endif // ANIMA_RUNTIME_FORMAT_CHECKPOINT_H
