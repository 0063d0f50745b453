//===- artifact_reader.cpp - Validating .anima files ----------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "format/artifact_reader.h"

#include "format/artifact_layout.h"
#include "support/bytes.h"
#include "support/crc32c.h"
#include "support/status.h"

#include <algorithm>
#include <cstring>

namespace anima::rt {
namespace {

using ull = unsigned long long;

/// Checks the magic, version, CRC and sizes of the 64-byte header.
anima_status_t checkHeader(const uint8_t *data, size_t size,
                           ArtifactView *view) {
  namespace h = artifact_header;
  size_t magicBytes = std::min(size, sizeof(kArtifactMagic));
  if (std::memcmp(data, kArtifactMagic, magicBytes) != 0)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "not an Anima artifact (bad magic, expected "
                      "\"ANIMART\\0\")");
  if (size < h::kSize)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "truncated: %zu bytes, the header alone is %zu", size,
                      h::kSize);
  view->formatVersion = loadU32(data + h::kFormatVersion);
  if (view->formatVersion != kArtifactFormatVersion)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "artifact format version %u, this runtime reads "
                      "version %u",
                      view->formatVersion, kArtifactFormatVersion);
  uint32_t headerCrc = crc32c(data, h::kHeaderCrc);
  if (headerCrc != loadU32(data + h::kHeaderCrc))
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "header CRC mismatch (stored 0x%08x, computed 0x%08x)",
                      loadU32(data + h::kHeaderCrc), headerCrc);
  uint32_t flags = loadU32(data + h::kFlags);
  if (flags != 0)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE, "unknown header flags 0x%08x",
                      flags);
  uint32_t count = loadU32(data + h::kSectionCount);
  if (count > kMaxSectionCount)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "section count %u exceeds the maximum of %u", count,
                      kMaxSectionCount);
  uint64_t fileSize = loadU64(data + h::kFileSize);
  if (fileSize != size)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "file size mismatch: header says %llu bytes, the file "
                      "has %zu (truncated?)",
                      ull(fileSize), size);
  size_t tableEnd = h::kSize + size_t(count) * section_entry::kEntrySize;
  if (tableEnd > size)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "truncated: the section table of %u entries ends at "
                      "byte %zu, the file has %zu",
                      count, tableEnd, size);
  uint32_t tableCrc = crc32c(data + h::kSize, tableEnd - h::kSize);
  if (tableCrc != loadU32(data + h::kTableCrc))
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "section table CRC mismatch (stored 0x%08x, computed "
                      "0x%08x)",
                      loadU32(data + h::kTableCrc), tableCrc);
  view->abiVersion = loadU32(data + h::kAbiVersion);
  std::memcpy(view->id, data + h::kArtifactId, sizeof(view->id));
  view->sections.resize(count);
  return nullptr;
}

/// Returns the NUL-padded section name stored at `p`.
std::string sectionName(const uint8_t *p) {
  size_t n = 0;
  while (n < section_entry::kNameSize && p[n] != 0)
    ++n;
  return std::string(reinterpret_cast<const char *>(p), n);
}

/// Decodes and checks table entry `index`: bounds, alignment, CRC.
anima_status_t checkSection(const uint8_t *data, size_t size, size_t index,
                            SectionView *section) {
  namespace e = section_entry;
  const uint8_t *entry = data + artifact_header::kSize + index * e::kEntrySize;
  section->kind = loadU32(entry + e::kKind);
  section->name = sectionName(entry + e::kName);
  section->offset = loadU64(entry + e::kOffset);
  section->size = loadU64(entry + e::kSize);
  const char *name = section->name.c_str();
  uint64_t tableEnd =
      artifact_header::kSize +
      uint64_t(loadU32(data + artifact_header::kSectionCount)) * e::kEntrySize;
  if (section->offset % kSectionAlign != 0)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "section %zu ('%s'): offset %llu is not a multiple of "
                      "64",
                      index, name, ull(section->offset));
  if (section->offset < tableEnd ||
      !rangeInside(section->offset, section->size, size))
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "section %zu ('%s'): bytes [%llu, +%llu) lie outside "
                      "the data area [%llu, %zu)",
                      index, name, ull(section->offset), ull(section->size),
                      ull(tableEnd), size);
  section->data = data + section->offset;
  uint32_t crc = crc32c(section->data, section->size);
  if (crc != loadU32(entry + e::kCrc))
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "section %zu ('%s'): CRC mismatch (stored 0x%08x, "
                      "computed 0x%08x)",
                      index, name, loadU32(entry + e::kCrc), crc);
  return nullptr;
}

/// Rejects sections that overlap or share a name.
anima_status_t checkDisjoint(const std::vector<SectionView> &sections) {
  std::vector<const SectionView *> byOffset;
  for (const SectionView &s : sections)
    byOffset.push_back(&s);
  std::sort(byOffset.begin(), byOffset.end(),
            [](const SectionView *a, const SectionView *b) {
              return a->offset < b->offset;
            });
  for (size_t i = 1; i < byOffset.size(); ++i) {
    const SectionView *prev = byOffset[i - 1], *next = byOffset[i];
    if (next->offset < prev->offset + prev->size)
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "sections '%s' and '%s' overlap", prev->name.c_str(),
                        next->name.c_str());
  }
  for (size_t i = 0; i < sections.size(); ++i)
    for (size_t j = i + 1; j < sections.size(); ++j)
      if (sections[i].name == sections[j].name)
        return makeStatus(ANIMA_STATUS_DATA_LOSS, "two sections are named '%s'",
                          sections[i].name.c_str());
  return nullptr;
}

} // namespace

const SectionView *ArtifactView::findByName(std::string_view name) const {
  for (const SectionView &s : sections)
    if (s.name == name)
      return &s;
  return nullptr;
}

std::vector<const SectionView *> ArtifactView::findByKind(uint32_t kind) const {
  std::vector<const SectionView *> found;
  for (const SectionView &s : sections)
    if (s.kind == kind)
      found.push_back(&s);
  return found;
}

anima_status_t readArtifact(const uint8_t *data, size_t size,
                            ArtifactView *out) {
  if (!data && size)
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT, "artifact data is NULL");
  if (size == 0)
    return makeStatus(ANIMA_STATUS_DATA_LOSS, "the artifact is empty");
  ArtifactView view;
  if (anima_status_t status = checkHeader(data, size, &view))
    return status;
  for (size_t i = 0; i < view.sections.size(); ++i)
    if (anima_status_t status = checkSection(data, size, i, &view.sections[i]))
      return status;
  if (anima_status_t status = checkDisjoint(view.sections))
    return status;
  ArtifactIdHasher hasher;
  for (const SectionView &s : view.sections)
    hasher.update(s.data, s.size);
  uint8_t id[16];
  hasher.finish(id);
  if (std::memcmp(id, view.id, sizeof(id)) != 0)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "artifact id does not match the section contents");
  *out = std::move(view);
  return nullptr;
}

} // namespace anima::rt
