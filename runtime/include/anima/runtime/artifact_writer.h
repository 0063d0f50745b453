//===- anima/runtime/artifact_writer.h - Writing .anima files ---*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The writer of the `.anima` artifact format (docs/artifact-format.md), used
// by the compiler and by tests. It lays the sections out on 64-byte
// boundaries and computes every CRC and the artifact id; the caller supplies
// the manifest JSON and the section bytes. Errors are reported as text
// through `std::string *error`; no exception escapes (the compiler is built
// without exceptions). Library: AnimaFormat (no LLVM/MLIR).
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_ARTIFACT_WRITER_H
#define ANIMA_RUNTIME_ARTIFACT_WRITER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace anima::artifact {

/// Kinds of artifact sections; readers ignore kinds they do not know.
enum class SectionKind : uint32_t {
  Manifest = 1,
  CpuCode = 2,
  InitialState = 3,
  Spirv = 4,
  DispatchSchedule = 5,
};

/// Alignment of section offsets and of initial-state tensor offsets.
constexpr uint64_t kSectionAlignment = 64;

/// Longest section name (stored NUL-padded in 16 bytes).
constexpr size_t kMaxSectionNameLength = 16;

/// Most sections one artifact may hold.
constexpr size_t kMaxSections = 64;

/// Returns the CRC-32C of `size` bytes at `data` (the formats' checksum).
uint32_t crc32c(const void *data, size_t size);

/// Packs initial state tensors into one InitialState section, each at a
/// 64-byte aligned offset (the manifest's `init_offset`).
class InitialStateBuilder {
public:
  /// Appends `size` bytes and returns their offset in the section.
  uint64_t add(const void *data, size_t size);
  /// Returns the section bytes.
  const std::vector<uint8_t> &bytes() const { return data; }

private:
  std::vector<uint8_t> data;
};

/// Collects sections and serializes them as a `.anima` file.
class ArtifactWriter {
public:
  /// Creates a writer whose header records ANIMA_ABI_VERSION.
  ArtifactWriter();

  /// Overrides the header's abi_version (tests of incompatible artifacts).
  void setAbiVersion(uint32_t version) { abiVersion = version; }

  /// Adds the manifest (kind 1, named "manifest"); fails if one exists.
  [[nodiscard]] bool addManifest(std::string_view json, std::string *error);

  /// Adds a section of `kind` named `name` (at most 16 bytes, unique) with a
  /// copy of `size` bytes at `data`. Sections keep the order of the calls.
  [[nodiscard]] bool addSection(SectionKind kind, std::string_view name,
                                const void *data, size_t size,
                                std::string *error);

  /// Adds a section of a raw kind number (for kinds newer than this header).
  [[nodiscard]] bool addSection(uint32_t kind, std::string_view name,
                                const void *data, size_t size,
                                std::string *error);

  /// Serializes the artifact into `out`.
  [[nodiscard]] bool writeBytes(std::vector<uint8_t> *out,
                                std::string *error) const;

  /// Writes the artifact to `path` atomically (temporary file + rename).
  [[nodiscard]] bool writeFile(const std::string &path,
                               std::string *error) const;

private:
  /// One section as added.
  struct Section {
    uint32_t kind;
    std::string name;
    std::vector<uint8_t> bytes;
  };

  std::vector<Section> sections;
  uint32_t abiVersion;
};

} // namespace anima::artifact

#endif // ANIMA_RUNTIME_ARTIFACT_WRITER_H
