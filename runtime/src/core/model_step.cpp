//===- model_step.cpp - Running one step under the NaN/Inf guard ----------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// A step: check the caller's buffers against the manifest, stage the inputs
// in aligned buffers, back up the copy-guarded state, run the entry point,
// and either publish the outputs or undo everything (journal newest first,
// then the backups) and report why the step was refused.
//
//===----------------------------------------------------------------------===//

#include "core/api_guard.h"
#include "core/journal.h"
#include "core/model.h"
#include "format/checkpoint.h"

#include <cstring>

using namespace anima::rt;

namespace {

using ull = unsigned long long;

/// Returns the dtype field of a caller's buffer as stored. A C caller may
/// store any 32-bit value there (anima.h), which can lie outside the C++
/// range of anima_dtype_t, so it is read as an integer, never as the enum.
uint32_t storedDtype(const anima_buffer &b) {
  uint32_t raw;
  static_assert(sizeof(raw) == sizeof(b.dtype), "anima_dtype_t is 32-bit");
  std::memcpy(&raw, &b.dtype, sizeof(raw));
  return raw;
}

/// Returns the name of a stored dtype value ("?" if unknown).
const char *storedDtypeName(uint32_t raw) {
  return raw == ANIMA_DTYPE_F32 ? "f32" : raw == ANIMA_DTYPE_I32 ? "i32" : "?";
}

/// Checks count, dtype, size and pointer of every caller buffer against
/// `descs`; `role` is "input" or "output".
anima_status_t checkBuffers(const char *role,
                            const std::vector<TensorDesc> &descs,
                            const anima_buffer *buffers, size_t count) {
  if (count != descs.size())
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                      "expected %zu %ss, got %zu", descs.size(), role, count);
  if (count && !buffers)
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT, "the %s array is NULL",
                      role);
  for (size_t i = 0; i < count; ++i) {
    const TensorDesc &d = descs[i];
    const anima_buffer &b = buffers[i];
    uint32_t dtype = storedDtype(b);
    if (dtype != uint32_t(d.dtype))
      return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                        "%s %zu ('%s'): dtype %s, expected %s", role, i,
                        d.name.c_str(), storedDtypeName(dtype),
                        anima_dtype_name(d.dtype));
    if (b.bytes != d.bytes)
      return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                        "%s %zu ('%s'): %zu bytes, expected %llu", role, i,
                        d.name.c_str(), b.bytes, ull(d.bytes));
    if (!b.data && b.bytes)
      return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                        "%s %zu ('%s'): data is NULL", role, i, d.name.c_str());
  }
  return nullptr;
}

/// Refuses a step whose index inputs (manifest "index_bound") hold an
/// entry outside [0, bound) or are not strictly ascending: the kernels take
/// the dialect's index rules as preconditions (a row index past the end
/// would be read and written out of bounds).
anima_status_t checkIndexInput(const EntryDesc &entry, size_t i,
                               const anima_buffer &input) {
  const TensorDesc &d = entry.inputs[i];
  const auto *bytes = static_cast<const uint8_t *>(input.data);
  int64_t previous = -1;
  for (uint64_t j = 0; j < input.bytes / 4; ++j) {
    int32_t index;
    std::memcpy(&index, bytes + 4 * j, sizeof index);
    if (index < 0 || uint64_t(index) >= d.indexBound)
      return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                        "entry '%s' refused: input %zu ('%s') element %llu is "
                        "%d, outside [0, %llu) (the rows or columns it "
                        "indexes); state left unchanged",
                        entry.name.c_str(), i, d.name.c_str(), ull(j), index,
                        ull(d.indexBound));
    if (index <= previous)
      return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                        "entry '%s' refused: input %zu ('%s') element %llu is "
                        "%d after %lld: indices must be strictly ascending; "
                        "state left unchanged",
                        entry.name.c_str(), i, d.name.c_str(), ull(j), index,
                        (long long)previous);
    previous = index;
  }
  return nullptr;
}

/// Refuses a step whose f32 inputs hold NaN or Inf before it runs: a
/// poisoned input never reaches the state, even where the step would not
/// propagate it into a written value (e.g. a k-WTA in binary mode ranks NaN
/// scores last and still emits finite values). Index inputs are checked by
/// checkIndexInput.
anima_status_t checkInputs(const EntryDesc &entry,
                           const anima_buffer *inputs) {
  for (size_t i = 0; i < entry.inputs.size(); ++i) {
    const TensorDesc &d = entry.inputs[i];
    if (d.indexBound) {
      if (anima_status_t s = checkIndexInput(entry, i, inputs[i]))
        return s;
      continue;
    }
    if (d.dtype != ANIMA_DTYPE_F32 || !inputs[i].bytes)
      continue;
    int64_t bad = findNonFinite(static_cast<const uint8_t *>(inputs[i].data),
                                inputs[i].bytes);
    if (bad >= 0)
      return makeStatus(ANIMA_STATUS_NONFINITE,
                        "entry '%s' refused: input %zu ('%s') element %lld "
                        "is NaN or Inf; state left unchanged",
                        entry.name.c_str(), i, d.name.c_str(), (long long)bad);
  }
  return nullptr;
}

/// Returns true iff state `i` is protected by a copy made by the core (not
/// when the backend owns the state: it guards the state itself).
bool isCopyGuarded(const anima_model_t *m, size_t i) {
  return m->manifest.states[i].guard == Guard::Copy &&
         !m->executable->ownsState();
}

/// Saves the copy-guarded state tensors before a step.
void backUpCopies(anima_model_t *m) {
  for (size_t i = 0; i < m->state.count(); ++i)
    if (isCopyGuarded(m, i) && m->state.size(i))
      std::memcpy(m->backup.data(i), m->state.data(i), m->state.size(i));
}

/// Restores the copy-guarded state tensors after a refused step.
void restoreCopies(anima_model_t *m) {
  for (size_t i = 0; i < m->state.count(); ++i)
    if (isCopyGuarded(m, i) && m->state.size(i))
      std::memcpy(m->state.data(i), m->backup.data(i), m->state.size(i));
}

/// Returns the index of a copy-guarded f32 state holding NaN/Inf, or -1.
int64_t nonFiniteCopyState(const anima_model_t *m) {
  for (size_t i = 0; i < m->state.count(); ++i) {
    if (!isCopyGuarded(m, i) ||
        m->manifest.states[i].tensor.dtype != ANIMA_DTYPE_F32)
      continue;
    if (findNonFinite(m->state.data(i), m->state.size(i)) >= 0)
      return int64_t(i);
  }
  return -1;
}

/// Puts the state back as it was before the step: journal, then copies.
anima_status_t rollBackStep(anima_model_t *m, const anima_step_context &ctx) {
  anima_status_t status = nullptr;
  if (ctx.journal_used > ctx.journal_capacity)
    status = makeStatus(ANIMA_STATUS_INTERNAL,
                        "the code used %llu journal bytes of %llu",
                        ull(ctx.journal_used), ull(ctx.journal_capacity));
  else
    status = undoJournal(m->journal.data(), ctx.journal_used, m->state,
                         m->journalScratch);
  restoreCopies(m);
  return status;
}

/// Decides whether the step stands; if not, undoes it and says why.
anima_status_t settleStep(anima_model_t *m, const EntryDesc &entry,
                          const anima_step_context &ctx) {
  int64_t badCopy = -1;
  if (ctx.status == ANIMA_STEP_OK) {
    badCopy = nonFiniteCopyState(m);
    if (badCopy < 0 && ctx.journal_used <= ctx.journal_capacity)
      return nullptr;
  }
  if (anima_status_t s = rollBackStep(m, ctx))
    return annotate(s, "entry '%s'", entry.name.c_str());
  if (badCopy >= 0)
    return makeStatus(ANIMA_STATUS_NONFINITE,
                      "entry '%s' refused: state '%s' (guard \"copy\") would "
                      "become NaN or Inf; state left unchanged",
                      entry.name.c_str(),
                      m->manifest.states[size_t(badCopy)].tensor.name.c_str());
  switch (ctx.status) {
  case ANIMA_STEP_NONFINITE:
    return makeStatus(ANIMA_STATUS_NONFINITE,
                      "entry '%s' refused: an update would write NaN or Inf; "
                      "state left unchanged",
                      entry.name.c_str());
  case ANIMA_STEP_JOURNAL_OVERFLOW:
    return makeStatus(ANIMA_STATUS_RESOURCE_EXHAUSTED,
                      "entry '%s' refused: its journal_bytes (%llu) is too "
                      "small for one step; state left unchanged",
                      entry.name.c_str(), ull(entry.journalBytes));
  default:
    return makeStatus(ANIMA_STATUS_INTERNAL,
                      "entry '%s' refused: unknown step status %u; state "
                      "left unchanged",
                      entry.name.c_str(), ctx.status);
  }
}

/// Runs one checked step of entry `index`.
anima_status_t step(anima_model_t *m, size_t index, const anima_buffer *inputs,
                    size_t nInputs, anima_buffer *outputs, size_t nOutputs) {
  if (index >= m->manifest.entries.size())
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                      "entry index %zu out of range (the model has %zu entry "
                      "points)",
                      index, m->manifest.entries.size());
  const EntryDesc &entry = m->manifest.entries[index];
  EntryBinding &binding = m->bindings[index];
  if (anima_status_t s = checkBuffers("input", entry.inputs, inputs, nInputs))
    return annotate(s, "entry '%s'", entry.name.c_str());
  if (anima_status_t s =
          checkBuffers("output", entry.outputs, outputs, nOutputs))
    return annotate(s, "entry '%s'", entry.name.c_str());
  if (anima_status_t s = checkInputs(entry, inputs))
    return s;
  if (anima_status_t s = checkBackend(m))
    return s;
  const bool deviceState = m->executable->ownsState();
  for (size_t i = 0; i < nInputs; ++i)
    if (inputs[i].bytes)
      std::memcpy(binding.io.data(i), inputs[i].data, inputs[i].bytes);
  backUpCopies(m);
  anima_step_context ctx;
  ctx.plasticity = m->plasticity;
  ctx.status = ANIMA_STEP_OK;
  ctx.journal = m->journal.data();
  ctx.journal_capacity = entry.journalBytes;
  ctx.journal_used = 0;
  if (anima_status_t s =
          m->executable->run(index, &ctx, binding.buffers.data())) {
    if (deviceState)
      m->stateStale = true; // Whatever the device holds now is the state.
    else
      anima_status_free(rollBackStep(m, ctx));
    return annotate(s, "entry '%s'", entry.name.c_str());
  }
  // The device holds the state, refused step or not (a refused step was
  // undone there): the host mirror is re-read on the next access.
  if (deviceState)
    m->stateStale = true;
  if (anima_status_t s = settleStep(m, entry, ctx))
    return s;
  for (size_t i = 0; i < nOutputs; ++i)
    if (outputs[i].bytes)
      std::memcpy(outputs[i].data, binding.io.data(nInputs + i),
                  outputs[i].bytes);
  return nullptr;
}

} // namespace

extern "C" {

anima_status_t anima_model_step(anima_model_t *model, size_t entry,
                                const anima_buffer *inputs, size_t n_inputs,
                                anima_buffer *outputs, size_t n_outputs) {
  const char *call = "anima_model_step";
  return guardApi(call, [&]() -> anima_status_t {
    if (anima_status_t s = requireNonNull(model, call, "model"))
      return s;
    return annotate(step(model, entry, inputs, n_inputs, outputs, n_outputs),
                    "%s", call);
  });
}

} // extern "C"
