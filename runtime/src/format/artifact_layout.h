//===- artifact_layout.h - Offsets and constants of the formats -*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The byte layout of the artifact header, section table and checkpoint
// header (docs/artifact-format.md), shared by the readers and writers.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_FORMAT_ARTIFACT_LAYOUT_H
#define ANIMA_RUNTIME_FORMAT_ARTIFACT_LAYOUT_H

#include <cstddef>
#include <cstdint>

namespace anima::rt {

/// Artifact magic, "ANIMART\0".
constexpr char kArtifactMagic[8] = {'A', 'N', 'I', 'M', 'A', 'R', 'T', '\0'};
/// The artifact format version this runtime reads and writes.
constexpr uint32_t kArtifactFormatVersion = 1;

/// Field offsets of the 64-byte artifact header.
namespace artifact_header {
constexpr size_t kMagic = 0;
constexpr size_t kFormatVersion = 8;
constexpr size_t kAbiVersion = 12;
constexpr size_t kSectionCount = 16;
constexpr size_t kFlags = 20;
constexpr size_t kFileSize = 24;
constexpr size_t kArtifactId = 32;
constexpr size_t kTableCrc = 48;
constexpr size_t kHeaderCrc = 60;
constexpr size_t kSize = 64;
} // namespace artifact_header

/// Field offsets of one 48-byte section table entry.
namespace section_entry {
constexpr size_t kKind = 0;
constexpr size_t kFlags = 4;
constexpr size_t kOffset = 8;
constexpr size_t kSize = 16;
constexpr size_t kCrc = 24;
constexpr size_t kName = 32;
constexpr size_t kNameSize = 16;
constexpr size_t kEntrySize = 48;
} // namespace section_entry

/// Section kinds the runtime reads.
constexpr uint32_t kSectionManifest = 1;
constexpr uint32_t kSectionCpuCode = 2;
constexpr uint32_t kSectionInitialState = 3;
constexpr uint32_t kSectionSpirv = 4;
constexpr uint32_t kSectionVulkanSchedule = 5;

/// Most sections an artifact may hold.
constexpr uint32_t kMaxSectionCount = 64;
/// Alignment of section offsets and initial-state offsets.
constexpr uint64_t kSectionAlign = 64;

/// Checkpoint magic, "ANIMACKP".
constexpr char kCheckpointMagic[8] = {'A', 'N', 'I', 'M', 'A', 'C', 'K', 'P'};
/// The checkpoint version this runtime reads and writes.
constexpr uint32_t kCheckpointVersion = 1;

/// Field offsets of the 48-byte checkpoint header.
namespace checkpoint_header {
constexpr size_t kMagic = 0;
constexpr size_t kVersion = 8;
constexpr size_t kStateCount = 12;
constexpr size_t kArtifactId = 16;
constexpr size_t kPayloadBytes = 32;
constexpr size_t kHeaderCrc = 44;
constexpr size_t kSize = 48;
} // namespace checkpoint_header

/// Computes the artifact id: two FNV-1a 64-bit hashes over the section bytes
/// in table order, stored little-endian one after the other.
class ArtifactIdHasher {
public:
  /// Feeds `size` bytes of the next section.
  void update(const uint8_t *data, size_t size);
  /// Writes the 16-byte id.
  void finish(uint8_t out[16]) const;

private:
  uint64_t first = 0xcbf29ce484222325ull;
  uint64_t second = 0x84222325cbf29ce4ull;
};

} // namespace anima::rt

#endif // ANIMA_RUNTIME_FORMAT_ARTIFACT_LAYOUT_H
