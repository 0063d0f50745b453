//===- artifact_reader.h - Validating .anima files --------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_FORMAT_ARTIFACT_READER_H
#define ANIMA_RUNTIME_FORMAT_ARTIFACT_READER_H

#include "anima/runtime/anima.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace anima::rt {

/// One section of a validated artifact; `data` points into the caller's
/// bytes.
struct SectionView {
  uint32_t kind = 0;             ///< section kind (1 manifest, 2 cpu code, ...)
  std::string name;              ///< name without the NUL padding
  uint64_t offset = 0;           ///< byte offset from the file start
  const uint8_t *data = nullptr; ///< first byte, inside the caller's bytes
  uint64_t size = 0;             ///< bytes
};

/// A validated artifact: header fields and the section table.
struct ArtifactView {
  uint32_t formatVersion = 0;        ///< header format_version
  uint32_t abiVersion = 0;           ///< ABI the code was compiled for
  uint8_t id[16] = {};               ///< artifact id (checked)
  std::vector<SectionView> sections; ///< the section table, in order

  /// Returns the section called `name`, or nullptr.
  const SectionView *findByName(std::string_view name) const;
  /// Returns the sections of `kind`, in table order.
  std::vector<const SectionView *> findByKind(uint32_t kind) const;
};

/// Checks the header, section table, every section's bounds and CRC and the
/// artifact id of `size` bytes at `data`, and describes them in `out`. Bad
/// magic or an unknown version: INCOMPATIBLE; anything corrupt or truncated:
/// DATA_LOSS. The manifest is not parsed here.
[[nodiscard]] anima_status_t readArtifact(const uint8_t *data, size_t size,
                                          ArtifactView *out);

} // namespace anima::rt

#endif // ANIMA_RUNTIME_FORMAT_ARTIFACT_READER_H
