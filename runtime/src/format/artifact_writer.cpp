//===- artifact_writer.cpp - Writing .anima files -------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "anima/runtime/artifact_writer.h"

#include "anima/abi.h"
#include "format/artifact_layout.h"
#include "support/bytes.h"
#include "support/crc32c.h"
#include "support/file_io.h"

#include <cstring>
#include <new>

namespace anima::artifact {

using namespace anima::rt;

uint32_t crc32c(const void *data, size_t size) {
  return rt::crc32c(data, size);
}

uint64_t InitialStateBuilder::add(const void *bytes, size_t size) {
  uint64_t offset =
      (data.size() + kSectionAlignment - 1) & ~(kSectionAlignment - 1);
  data.resize(offset);
  const auto *p = static_cast<const uint8_t *>(bytes);
  data.insert(data.end(), p, p + size);
  return offset;
}

ArtifactWriter::ArtifactWriter() : abiVersion(ANIMA_ABI_VERSION) {}

bool ArtifactWriter::addManifest(std::string_view json, std::string *error) {
  for (const Section &s : sections) {
    if (s.kind == kSectionManifest) {
      *error = "artifact writer: the artifact already has a manifest";
      return false;
    }
  }
  return addSection(SectionKind::Manifest, "manifest", json.data(), json.size(),
                    error);
}

bool ArtifactWriter::addSection(SectionKind kind, std::string_view name,
                                const void *data, size_t size,
                                std::string *error) {
  return addSection(static_cast<uint32_t>(kind), name, data, size, error);
}

bool ArtifactWriter::addSection(uint32_t kind, std::string_view name,
                                const void *data, size_t size,
                                std::string *error) {
  std::string label(name);
  if (name.empty() || name.size() > kMaxSectionNameLength ||
      name.find('\0') != std::string_view::npos) {
    *error = "artifact writer: section name '" + label +
             "' must be 1 to 16 bytes without NUL";
    return false;
  }
  if (sections.size() >= kMaxSections) {
    *error = "artifact writer: more than 64 sections";
    return false;
  }
  for (const Section &s : sections) {
    if (s.name == name) {
      *error = "artifact writer: duplicate section name '" + label + "'";
      return false;
    }
  }
  try {
    const auto *p = static_cast<const uint8_t *>(data);
    sections.push_back(Section{kind, label, std::vector<uint8_t>(p, p + size)});
  } catch (const std::bad_alloc &) {
    *error = "artifact writer: out of memory adding section '" + label + "'";
    return false;
  }
  return true;
}

bool ArtifactWriter::writeBytes(std::vector<uint8_t> *out,
                                std::string *error) const {
  namespace h = artifact_header;
  namespace e = section_entry;
  uint64_t tableEnd = h::kSize + sections.size() * e::kEntrySize;
  std::vector<uint64_t> offsets;
  uint64_t end = tableEnd;
  for (const Section &s : sections) {
    end = (end + kSectionAlignment - 1) & ~(kSectionAlignment - 1);
    offsets.push_back(end);
    end += s.bytes.size();
  }
  std::vector<uint8_t> file;
  try {
    file.assign(end, 0);
  } catch (const std::bad_alloc &) {
    *error = "artifact writer: out of memory for a " + std::to_string(end) +
             "-byte artifact";
    return false;
  }
  ArtifactIdHasher id;
  for (size_t i = 0; i < sections.size(); ++i) {
    const Section &s = sections[i];
    uint8_t *entry = file.data() + h::kSize + i * e::kEntrySize;
    storeU32(entry + e::kKind, s.kind);
    storeU64(entry + e::kOffset, offsets[i]);
    storeU64(entry + e::kSize, s.bytes.size());
    storeU32(entry + e::kCrc, rt::crc32c(s.bytes.data(), s.bytes.size()));
    std::memcpy(entry + e::kName, s.name.data(), s.name.size());
    if (!s.bytes.empty())
      std::memcpy(file.data() + offsets[i], s.bytes.data(), s.bytes.size());
    id.update(s.bytes.data(), s.bytes.size());
  }
  uint8_t *header = file.data();
  std::memcpy(header + h::kMagic, kArtifactMagic, sizeof(kArtifactMagic));
  storeU32(header + h::kFormatVersion, kArtifactFormatVersion);
  storeU32(header + h::kAbiVersion, abiVersion);
  storeU32(header + h::kSectionCount, uint32_t(sections.size()));
  storeU64(header + h::kFileSize, end);
  id.finish(header + h::kArtifactId);
  storeU32(header + h::kTableCrc,
           rt::crc32c(header + h::kSize, sections.size() * e::kEntrySize));
  storeU32(header + h::kHeaderCrc, rt::crc32c(header, h::kHeaderCrc));
  *out = std::move(file);
  return true;
}

bool ArtifactWriter::writeFile(const std::string &path,
                               std::string *error) const {
  std::vector<uint8_t> bytes;
  if (!writeBytes(&bytes, error))
    return false;
  anima_status_t status =
      writeFileAtomic(path.c_str(), bytes.data(), bytes.size());
  if (!status)
    return true;
  try {
    *error = std::string("artifact writer: ") + anima_status_message(status);
  } catch (const std::bad_alloc &) {
  }
  anima_status_free(status);
  return false;
}

} // namespace anima::artifact
