//===- model_state.cpp - Plasticity, reset, state access, snapshots -------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "core/api_guard.h"
#include "core/model.h"
#include "format/checkpoint.h"

#include <cmath>
#include <cstring>

using namespace anima::rt;

namespace {

using ull = unsigned long long;

/// Checks a state index and the caller's byte count for `call`.
anima_status_t checkStateAccess(const anima_model_t *m, const char *call,
                                size_t index, const void *data, size_t bytes) {
  if (index >= m->state.count())
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                      "%s: state index %zu out of range (the model has %zu "
                      "state tensors)",
                      call, index, m->state.count());
  const TensorDesc &t = m->manifest.states[index].tensor;
  if (bytes != t.bytes)
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                      "%s: state '%s' is %llu bytes, got %zu", call,
                      t.name.c_str(), ull(t.bytes), bytes);
  if (!data && bytes)
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                      "%s: the buffer for state '%s' is NULL", call,
                      t.name.c_str());
  return nullptr;
}

/// Returns pointers to every tensor of the host mirror.
std::vector<void *> mirrorPointers(const anima_model_t *m) {
  std::vector<void *> pointers;
  for (size_t i = 0; i < m->state.count(); ++i)
    pointers.push_back(m->state.data(i));
  return pointers;
}

} // namespace

namespace anima::rt {

anima_status_t checkBackend(const anima_model_t *m) {
  return m->executable ? m->executable->takeDiagnostics() : nullptr;
}

anima_status_t syncStateToHost(const anima_model_t *m) {
  if (anima_status_t s = checkBackend(m))
    return s;
  if (!m->stateStale)
    return nullptr;
  std::vector<void *> pointers = mirrorPointers(m);
  if (anima_status_t s = m->executable->pullState(pointers.data()))
    return s;
  if (anima_status_t s = checkBackend(m))
    return s;
  m->stateStale = false;
  return nullptr;
}

anima_status_t publishState(anima_model_t *m) {
  if (!m->executable->ownsState())
    return nullptr;
  std::vector<void *> pointers = mirrorPointers(m);
  std::vector<const void *> constPointers(pointers.begin(), pointers.end());
  anima_status_t s = m->executable->pushState(constPointers.data());
  if (!s)
    s = checkBackend(m);
  if (s)
    m->stateStale = true; // The device is authoritative: pull it back.
  return s;
}

} // namespace anima::rt

extern "C" {

anima_status_t anima_model_set_plasticity(anima_model_t *model,
                                          float plasticity) {
  const char *call = "anima_model_set_plasticity";
  if (anima_status_t s = requireNonNull(model, call, "model"))
    return s;
  if (!std::isfinite(plasticity) || plasticity < 0)
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                      "%s: plasticity %g must be finite and >= 0", call,
                      double(plasticity));
  model->plasticity = plasticity;
  return nullptr;
}

float anima_model_plasticity(const anima_model_t *model) {
  return model ? model->plasticity : 0.0f;
}

anima_status_t anima_model_reset(anima_model_t *model) {
  const char *call = "anima_model_reset";
  return guardApi(call, [&]() -> anima_status_t {
    if (anima_status_t s = requireNonNull(model, call, "model"))
      return s;
    if (anima_status_t s = checkBackend(model))
      return annotate(s, "%s", call);
    model->state.copyFrom(model->initial);
    return annotate(publishState(model), "%s", call);
  });
}

anima_status_t anima_model_read_state(const anima_model_t *model, size_t index,
                                      void *dst, size_t bytes) {
  const char *call = "anima_model_read_state";
  return guardApi(call, [&]() -> anima_status_t {
    if (anima_status_t s = requireNonNull(model, call, "model"))
      return s;
    if (anima_status_t s = checkStateAccess(model, call, index, dst, bytes))
      return s;
    if (anima_status_t s = syncStateToHost(model))
      return annotate(s, "%s", call);
    if (bytes)
      std::memcpy(dst, model->state.data(index), bytes);
    return nullptr;
  });
}

anima_status_t anima_model_write_state(anima_model_t *model, size_t index,
                                       const void *src, size_t bytes) {
  const char *call = "anima_model_write_state";
  return guardApi(call, [&]() -> anima_status_t {
    if (anima_status_t s = requireNonNull(model, call, "model"))
      return s;
    if (anima_status_t s = checkStateAccess(model, call, index, src, bytes))
      return s;
    const TensorDesc &t = model->manifest.states[index].tensor;
    if (t.dtype == ANIMA_DTYPE_F32) {
      int64_t bad = findNonFinite(static_cast<const uint8_t *>(src), bytes);
      if (bad >= 0)
        return makeStatus(ANIMA_STATUS_NONFINITE,
                          "%s: state '%s': element %lld is not finite", call,
                          t.name.c_str(), (long long)bad);
    }
    // The other tensors are published too: the mirror must be current.
    if (anima_status_t s = syncStateToHost(model))
      return annotate(s, "%s", call);
    if (bytes)
      std::memcpy(model->state.data(index), src, bytes);
    return annotate(publishState(model), "%s", call);
  });
}

anima_status_t anima_model_snapshot(const anima_model_t *model,
                                    anima_snapshot_t **out) {
  const char *call = "anima_model_snapshot";
  return guardApi(call, [&]() -> anima_status_t {
    if (anima_status_t s = requireNonNull(model, call, "model"))
      return s;
    if (anima_status_t s = requireNonNull(out, call, "out"))
      return s;
    if (anima_status_t s = syncStateToHost(model))
      return annotate(s, "%s", call);
    auto snapshot = std::make_unique<anima_snapshot_t>();
    std::vector<uint64_t> sizes;
    for (size_t i = 0; i < model->state.count(); ++i)
      sizes.push_back(model->state.size(i));
    if (!snapshot->state.allocate(sizes))
      return makeStatus(ANIMA_STATUS_RESOURCE_EXHAUSTED,
                        "%s: out of memory copying the state", call);
    snapshot->state.copyFrom(model->state);
    snapshot->modelSerial = model->serial;
    *out = snapshot.release();
    return nullptr;
  });
}

anima_status_t anima_model_rollback(anima_model_t *model,
                                    const anima_snapshot_t *snapshot) {
  const char *call = "anima_model_rollback";
  return guardApi(call, [&]() -> anima_status_t {
    if (anima_status_t s = requireNonNull(model, call, "model"))
      return s;
    if (anima_status_t s = requireNonNull(snapshot, call, "snapshot"))
      return s;
    if (snapshot->modelSerial != model->serial)
      return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                        "%s: the snapshot was taken from another model", call);
    if (anima_status_t s = checkBackend(model))
      return annotate(s, "%s", call);
    model->state.copyFrom(snapshot->state);
    return annotate(publishState(model), "%s", call);
  });
}

void anima_snapshot_free(anima_snapshot_t *snapshot) { delete snapshot; }

} // extern "C"
