//===- journal.cpp - Undoing a refused step -------------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "core/journal.h"

#include "anima/abi.h"
#include "support/bytes.h"
#include "support/status.h"

#include <cstring>

namespace anima::rt {

anima_status_t undoJournal(const uint8_t *journal, uint64_t used,
                           TensorStore &state, std::vector<uint64_t> &records) {
  constexpr uint64_t kHeader = sizeof(anima_journal_record);
  records.clear();
  uint64_t pos = 0;
  while (pos < used) {
    if (!rangeInside(pos, kHeader, used))
      return makeStatus(ANIMA_STATUS_INTERNAL,
                        "undo journal: truncated record at byte %llu",
                        (unsigned long long)pos);
    anima_journal_record record;
    std::memcpy(&record, journal + pos, kHeader);
    uint64_t padded;
    if (!checkedAlignUp(record.bytes, 8, &padded) ||
        !rangeInside(pos + kHeader, padded, used))
      return makeStatus(ANIMA_STATUS_INTERNAL,
                        "undo journal: record at byte %llu overruns the "
                        "journal",
                        (unsigned long long)pos);
    if (record.bytes && !state.contains(record.dst, record.bytes))
      return makeStatus(ANIMA_STATUS_INTERNAL,
                        "undo journal: record at byte %llu points outside "
                        "the state",
                        (unsigned long long)pos);
    records.push_back(pos);
    pos += kHeader + padded;
  }
  for (auto it = records.rbegin(); it != records.rend(); ++it) {
    anima_journal_record record;
    std::memcpy(&record, journal + *it, kHeader);
    if (record.bytes)
      std::memcpy(record.dst, journal + *it + kHeader, record.bytes);
  }
  return nullptr;
}

} // namespace anima::rt
