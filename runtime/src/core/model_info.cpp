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
template <typename T, typename NameOf>
int64_t indexByName(const std::vector<T> &items, const char *name,
                    NameOf nameOf) {
  for (size_t i = 0; i < items.size(); ++i)
    if (nameOf(items[i]) == name)
      return int64_t(i);
  return -1;
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
  if (index >= model->manifest.entries.size())
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                      "%s: entry index %zu out of range (the model has %zu "
                      "entry points)",
                      call, index, model->manifest.entries.size());
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
  const char *call = "anima_model_find_entry";
  if (anima_status_t s = requireNonNull(model, call, "model"))
    return s;
  if (anima_status_t s = requireNonNull(name, call, "name"))
    return s;
  if (anima_status_t s = requireNonNull(index, call, "index"))
    return s;
  int64_t found = indexByName(
      model->manifest.entries, name,
      [](const EntryDesc &e) -> const std::string & { return e.name; });
  if (found < 0)
    return makeStatus(ANIMA_STATUS_NOT_FOUND,
                      "%s: the model has no entry point '%s'", call, name);
  *index = size_t(found);
  return nullptr;
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
  if (index >= model->stateInfo.size())
    return makeStatus(ANIMA_STATUS_INVALID_ARGUMENT,
                      "%s: state index %zu out of range (the model has %zu "
                      "state tensors)",
                      call, index, model->stateInfo.size());
  *out = model->stateInfo[index];
  return nullptr;
}

anima_status_t anima_model_find_state(const anima_model_t *model,
                                      const char *name, size_t *index) {
  const char *call = "anima_model_find_state";
  if (anima_status_t s = requireNonNull(model, call, "model"))
    return s;
  if (anima_status_t s = requireNonNull(name, call, "name"))
    return s;
  if (anima_status_t s = requireNonNull(index, call, "index"))
    return s;
  int64_t found = indexByName(
      model->manifest.states, name,
      [](const StateDesc &s) -> const std::string & { return s.tensor.name; });
  if (found < 0)
    return makeStatus(ANIMA_STATUS_NOT_FOUND,
                      "%s: the model has no state tensor '%s'", call, name);
  *index = size_t(found);
  return nullptr;
}

} // extern "C"
