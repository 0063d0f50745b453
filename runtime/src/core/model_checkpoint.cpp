//===- model_checkpoint.cpp - Saving and loading checkpoints --------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "core/api_guard.h"
#include "core/model.h"
#include "format/checkpoint.h"
#include "support/file_io.h"

#include <cstring>

using namespace anima::rt;

namespace {

/// Slack over the exact checkpoint size before a file is not even read.
constexpr uint64_t kCheckpointSlack = uint64_t(1) << 20;

/// Reads the checkpoint file; a file far larger than any checkpoint of this
/// model is reported as DATA_LOSS without reading it.
anima_status_t readCheckpointFile(const char *path, uint64_t expected,
                                  std::vector<uint8_t> *out) {
  anima_status_t s = readFile(path, expected + kCheckpointSlack, out);
  if (anima_status_code(s) != ANIMA_STATUS_RESOURCE_EXHAUSTED)
    return s;
  anima_status_free(s);
  return makeStatus(ANIMA_STATUS_DATA_LOSS,
                    "'%s' is far larger than a checkpoint of this model "
                    "(%llu bytes)",
                    path, (unsigned long long)expected);
}

} // namespace

extern "C" {

anima_status_t anima_model_save_checkpoint(const anima_model_t *model,
                                           const char *path) {
  const char *call = "anima_model_save_checkpoint";
  return guardApi(call, [&]() -> anima_status_t {
    if (anima_status_t s = requireNonNull(model, call, "model"))
      return s;
    if (anima_status_t s = requireNonNull(path, call, "path"))
      return s;
    if (anima_status_t s = syncStateToHost(model))
      return annotate(s, "%s", call);
    std::vector<const uint8_t *> data;
    for (size_t i = 0; i < model->state.count(); ++i)
      data.push_back(model->state.data(i));
    std::vector<uint8_t> bytes =
        encodeCheckpoint(model->artifactId, model->manifest.states, data);
    return annotate(writeFileAtomic(path, bytes.data(), bytes.size()), "%s",
                    call);
  });
}

anima_status_t anima_model_load_checkpoint(anima_model_t *model,
                                           const char *path) {
  const char *call = "anima_model_load_checkpoint";
  return guardApi(call, [&]() -> anima_status_t {
    if (anima_status_t s = requireNonNull(model, call, "model"))
      return s;
    if (anima_status_t s = requireNonNull(path, call, "path"))
      return s;
    if (anima_status_t s = checkBackend(model))
      return annotate(s, "%s", call);
    std::vector<uint8_t> file;
    uint64_t expected = checkpointSize(model->manifest.states);
    if (anima_status_t s = readCheckpointFile(path, expected, &file))
      return annotate(s, "%s", call);
    std::vector<const uint8_t *> data;
    if (anima_status_t s =
            decodeCheckpoint(file.data(), file.size(), model->artifactId,
                             model->manifest.states, &data))
      return annotate(s, "%s('%s')", call, path);
    for (size_t i = 0; i < data.size(); ++i)
      if (model->state.size(i))
        std::memcpy(model->state.data(i), data[i], model->state.size(i));
    return annotate(publishState(model), "%s", call);
  });
}

} // extern "C"
