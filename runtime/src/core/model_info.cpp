//===- model_info.cpp - Introspection of a model --------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "core/api_guard.h"
#include "core/model.h"

#include <cstring>

using namespace anima::rt;

namespace {

/// Returns the index of the element of `items` whose name is `name`, or -1.
/// anima_model_find_entry / anima_model_find_state: the index of the item
/// of `list(model)` whose name (`nameOf`) is `name`, or NOT_FOUND naming
/// `what` ("entry point", "state tensor").
template <typename List, typename NameOf>
anima_status_t findByName(const char *call, const anima_model_t *model,
                          const char *name, size_t *index, const char *what,
                          List list, NameOf nameOf) {
  if (anima_status_t s = requireNonNull(model, call, "model"))
    return s;
  if (anima_status_t s = requireNonNull(name, call, "name"))
    return s;
  if (anima_status_t s = requireNonNull(index, call, "index"))
    return s;
  const auto &items = list(*model);
  for (size_t i = 0; i < items.size(); ++i)
    if (nameOf(items[i]) == name) {
      *index = i;
      return nullptr;
    }
  return makeStatus(ANIMA_STATUS_NOT_FOUND, "%s: the model has no %s '%s'",
                    call, what, name);
}

/// The index range check of the *_info calls.
anima_status_t checkIndex(const char *call, const char *what, size_t index,
                          size_t count, const char *plural) {
  if (index < count)
    return nullptr;
  return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                    "%s: %s index %zu out of range (the model has %zu %s)",
                    call, what, index, count, plural);
}

} // namespace

extern "C" {

const char *anima_dtype_name(anima_dtype_t dtype) {
  // A C caller may pass any 32-bit value (anima.h), possibly outside the C++
  // range of the enum: compare it as an integer.
  uint32_t raw;
  std::memcpy(&raw, &dtype, sizeof(raw));
  if (raw == ANIMA_DTYPE_F32)
    return "f32";
  if (raw == ANIMA_DTYPE_I32)
    return "i32";
  return "?";
}

const char *anima_model_manifest(const anima_model_t *model, size_t *size) {
  if (!model) {
    if (size)
      *size = 0;
    return "";
  }
  if (size)
    *size = model->manifestText.size();
  return model->manifestText.c_str();
}

const char *anima_model_name(const anima_model_t *model) {
  return model ? model->manifest.model.c_str() : "";
}

const char *anima_model_backend(const anima_model_t *model) {
  return model ? model->backend.c_str() : "";
}

void anima_model_artifact_id(const anima_model_t *model, uint8_t out[16]) {
  if (!out)
    return;
  if (!model) {
    std::memset(out, 0, 16);
    return;
  }
  std::memcpy(out, model->artifactId, 16);
}

size_t anima_model_entry_count(const anima_model_t *model) {
  return model ? model->manifest.entries.size() : 0;
}

anima_status_t anima_model_entry_info(const anima_model_t *model, size_t index,
                                      anima_entry_info *out) {
  const char *call = "anima_model_entry_info";
  if (anima_status_t s = requireNonNull(model, call, "model"))
    return s;
  if (anima_status_t s = requireNonNull(out, call, "out"))
    return s;
  if (anima_status_t s = checkIndex(call, "entry", index,
                                    model->manifest.entries.size(),
                                    "entry points"))
    return s;
  const EntryDesc &entry = model->manifest.entries[index];
  const EntryBinding &binding = model->bindings[index];
  out->name = entry.name.c_str();
  out->input_count = binding.inputInfo.size();
  out->inputs = binding.inputInfo.data();
  out->output_count = binding.outputInfo.size();
  out->outputs = binding.outputInfo.data();
  out->journal_bytes = entry.journalBytes;
  return nullptr;
}

anima_status_t anima_model_find_entry(const anima_model_t *model,
                                      const char *name, size_t *index) {
  return findByName(
      "anima_model_find_entry", model, name, index, "entry point",
      [](const anima_model_t &m) -> const auto & { return m.manifest.entries; },
      [](const EntryDesc &e) -> const std::string & { return e.name; });
}

size_t anima_model_state_count(const anima_model_t *model) {
  return model ? model->manifest.states.size() : 0;
}

anima_status_t anima_model_state_info(const anima_model_t *model, size_t index,
                                      anima_tensor_info *out) {
  const char *call = "anima_model_state_info";
  if (anima_status_t s = requireNonNull(model, call, "model"))
    return s;
  if (anima_status_t s = requireNonNull(out, call, "out"))
    return s;
  if (anima_status_t s = checkIndex(call, "state", index,
                                    model->stateInfo.size(), "state tensors"))
    return s;
  *out = model->stateInfo[index];
  return nullptr;
}

anima_status_t anima_model_find_state(const anima_model_t *model,
                                      const char *name, size_t *index) {
  return findByName(
      "anima_model_find_state", model, name, index, "state tensor",
      [](const anima_model_t &m) -> const auto & { return m.manifest.states; },
      [](const StateDesc &s) -> const std::string & { return s.tensor.name; });
}

} // extern "C"
