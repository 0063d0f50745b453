//===- journal.h - Undoing a refused step -----------------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_CORE_JOURNAL_H
#define ANIMA_RUNTIME_CORE_JOURNAL_H

#include "anima/runtime/anima.h"
#include "core/tensor_store.h"

#include <cstdint>
#include <vector>

namespace anima::rt {

/// Undoes the `used` bytes of undo journal at `journal` (abi.h records:
/// anima_journal_record, then the old bytes padded to 8), newest record
/// first. Every record is checked first (inside the journal, destination
/// inside one tensor of `state`); a malformed journal undoes nothing and
/// returns INTERNAL. `scratch` holds the record offsets; reserve
/// used / sizeof(anima_journal_record) entries up front so that undoing
/// never allocates.
[[nodiscard]] anima_status_t undoJournal(const uint8_t *journal, uint64_t used,
                                         TensorStore &state,
                                         std::vector<uint64_t> &scratch);

} // namespace anima::rt

#endif // ANIMA_RUNTIME_CORE_JOURNAL_H
