//===- anima/runtime/anima.hpp - C++ wrapper of the C API -------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Header-only RAII wrappers over anima.h: Status owns an anima_status_t,
// Model and Snapshot own their handles. No exceptions are thrown (except
// std::bad_alloc from the std::vector convenience overloads); the C API's
// conventions (anima.h) apply unchanged.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_ANIMA_HPP
#define ANIMA_RUNTIME_ANIMA_HPP

#include "anima/runtime/anima.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anima {

/// Owns the result of a fallible call; OK when it holds NULL.
class [[nodiscard]] Status {
public:
  /// Creates an OK status.
  Status() = default;
  /// Takes ownership of `status`.
  explicit Status(anima_status_t status) : status(status) {}
  ~Status() { anima_status_free(status); }
  Status(Status &&other) noexcept
      : status(std::exchange(other.status, nullptr)) {}
  Status &operator=(Status &&other) noexcept {
    if (this != &other) {
      anima_status_free(status);
      status = std::exchange(other.status, nullptr);
    }
    return *this;
  }
  Status(const Status &) = delete;
  Status &operator=(const Status &) = delete;

  /// Returns true on success.
  bool ok() const { return status == nullptr; }
  /// Returns the status code (ANIMA_STATUS_OK on success).
  anima_status_code_t code() const { return anima_status_code(status); }
  /// Returns the message ("OK" on success), owned by this object.
  const char *message() const { return anima_status_message(status); }
  /// Returns "CODE: message", e.g. "DATA_LOSS: ...".
  std::string toString() const {
    return std::string(anima_status_code_name(code())) + ": " + message();
  }
  /// Gives up ownership and returns the raw status.
  anima_status_t release() { return std::exchange(status, nullptr); }

private:
  anima_status_t status = nullptr;
};

/// Returns a buffer describing `count` floats at `data` (inputs are only
/// read; the cast mirrors the C struct).
inline anima_buffer f32Buffer(const float *data, size_t count) {
  return anima_buffer{ANIMA_DTYPE_F32, const_cast<float *>(data),
                      count * sizeof(float)};
}

/// Returns a buffer describing `count` int32 values at `data`.
inline anima_buffer i32Buffer(const int32_t *data, size_t count) {
  return anima_buffer{ANIMA_DTYPE_I32, const_cast<int32_t *>(data),
                      count * sizeof(int32_t)};
}

/// Owns an anima_snapshot_t.
class Snapshot {
public:
  Snapshot() = default;
  ~Snapshot() { anima_snapshot_free(handle); }
  Snapshot(Snapshot &&other) noexcept
      : handle(std::exchange(other.handle, nullptr)) {}
  Snapshot &operator=(Snapshot &&other) noexcept {
    if (this != &other) {
      anima_snapshot_free(handle);
      handle = std::exchange(other.handle, nullptr);
    }
    return *this;
  }
  Snapshot(const Snapshot &) = delete;
  Snapshot &operator=(const Snapshot &) = delete;

  /// Returns the raw handle (NULL when empty).
  const anima_snapshot_t *get() const { return handle; }
  /// Replaces the held snapshot with `snapshot` (takes ownership).
  void reset(anima_snapshot_t *snapshot = nullptr) {
    anima_snapshot_free(handle);
    handle = snapshot;
  }

private:
  anima_snapshot_t *handle = nullptr;
};

/// Owns an open model.
class Model {
public:
  Model() = default;
  ~Model() { anima_model_close(handle); }
  Model(Model &&other) noexcept
      : handle(std::exchange(other.handle, nullptr)) {}
  Model &operator=(Model &&other) noexcept {
    if (this != &other) {
      anima_model_close(handle);
      handle = std::exchange(other.handle, nullptr);
    }
    return *this;
  }
  Model(const Model &) = delete;
  Model &operator=(const Model &) = delete;

  /// Opens the artifact at `path` on `backend` into `out`.
  static Status openFile(const std::string &path, Model *out,
                         const char *backend = "cpu") {
    anima_open_options options;
    anima_open_options_init(&options);
    options.backend = backend;
    anima_model_t *model = nullptr;
    Status status(anima_model_open_file(path.c_str(), &options, &model));
    if (status.ok())
      *out = Model(model);
    return status;
  }

  /// Opens an artifact held in memory on `backend` into `out`.
  static Status openMemory(const void *data, size_t size, Model *out,
                           const char *backend = "cpu") {
    anima_open_options options;
    anima_open_options_init(&options);
    options.backend = backend;
    anima_model_t *model = nullptr;
    Status status(anima_model_open_memory(data, size, &options, &model));
    if (status.ok())
      *out = Model(model);
    return status;
  }

  /// Opens the artifact at `path` with every option of anima.h (device,
  /// validation, memory budget); `options` comes from
  /// anima_open_options_init.
  static Status openFile(const std::string &path, Model *out,
                         const anima_open_options &options) {
    anima_model_t *model = nullptr;
    Status status(anima_model_open_file(path.c_str(), &options, &model));
    if (status.ok())
      *out = Model(model);
    return status;
  }

  /// Returns the raw handle (NULL when not open).
  anima_model_t *get() const { return handle; }
  /// Returns true iff a model is open.
  explicit operator bool() const { return handle != nullptr; }

  /// Returns the manifest JSON text.
  std::string_view manifest() const {
    size_t size = 0;
    const char *text = anima_model_manifest(handle, &size);
    return std::string_view(text, size);
  }
  /// Returns the 16-byte artifact id.
  std::array<uint8_t, 16> artifactId() const {
    std::array<uint8_t, 16> id{};
    anima_model_artifact_id(handle, id.data());
    return id;
  }
  /// Returns the number of entry points.
  size_t entryCount() const { return anima_model_entry_count(handle); }
  /// Describes entry point `index`.
  Status entryInfo(size_t index, anima_entry_info *out) const {
    return Status(anima_model_entry_info(handle, index, out));
  }
  /// Finds the entry point `name`.
  Status findEntry(const std::string &name, size_t *index) const {
    return Status(anima_model_find_entry(handle, name.c_str(), index));
  }
  /// Returns the number of state tensors.
  size_t stateCount() const { return anima_model_state_count(handle); }
  /// Describes state tensor `index`.
  Status stateInfo(size_t index, anima_tensor_info *out) const {
    return Status(anima_model_state_info(handle, index, out));
  }
  /// Finds the state tensor `name`.
  Status findState(const std::string &name, size_t *index) const {
    return Status(anima_model_find_state(handle, name.c_str(), index));
  }

  /// Runs entry point `entry` once (see anima_model_step).
  Status step(size_t entry, const anima_buffer *inputs, size_t nInputs,
              anima_buffer *outputs, size_t nOutputs) {
    return Status(
        anima_model_step(handle, entry, inputs, nInputs, outputs, nOutputs));
  }
  /// Runs entry point `entry` once on vectors of buffers.
  Status step(size_t entry, const std::vector<anima_buffer> &inputs,
              std::vector<anima_buffer> &outputs) {
    return step(entry, inputs.data(), inputs.size(), outputs.data(),
                outputs.size());
  }

  /// Sets the learning scale (finite, >= 0).
  Status setPlasticity(float plasticity) {
    return Status(anima_model_set_plasticity(handle, plasticity));
  }
  /// Returns the learning scale.
  float plasticity() const { return anima_model_plasticity(handle); }
  /// Restores the artifact's initial state.
  Status reset() { return Status(anima_model_reset(handle)); }

  /// Copies state tensor `index` into `dst` (`bytes` must match).
  Status readState(size_t index, void *dst, size_t bytes) const {
    return Status(anima_model_read_state(handle, index, dst, bytes));
  }
  /// Copies state tensor `index` into `out`, resized to fit.
  template <typename T>
  Status readState(size_t index, std::vector<T> *out) const {
    anima_tensor_info info{};
    Status status = stateInfo(index, &info);
    if (!status.ok())
      return status;
    out->resize(size_t(info.bytes) / sizeof(T));
    return readState(index, out->data(), out->size() * sizeof(T));
  }
  /// Overwrites state tensor `index` from `src` (`bytes` must match).
  Status writeState(size_t index, const void *src, size_t bytes) {
    return Status(anima_model_write_state(handle, index, src, bytes));
  }
  /// Overwrites state tensor `index` from `values`.
  template <typename T>
  Status writeState(size_t index, const std::vector<T> &values) {
    return writeState(index, values.data(), values.size() * sizeof(T));
  }

  /// Copies the state into `out`.
  Status snapshot(Snapshot *out) const {
    anima_snapshot_t *snapshot = nullptr;
    Status status(anima_model_snapshot(handle, &snapshot));
    if (status.ok())
      out->reset(snapshot);
    return status;
  }
  /// Restores the state saved in `snapshot`.
  Status rollback(const Snapshot &snapshot) {
    return Status(anima_model_rollback(handle, snapshot.get()));
  }

  /// Writes an atomic checkpoint to `path`.
  Status saveCheckpoint(const std::string &path) const {
    return Status(anima_model_save_checkpoint(handle, path.c_str()));
  }
  /// Loads the checkpoint at `path` (state untouched on failure).
  Status loadCheckpoint(const std::string &path) {
    return Status(anima_model_load_checkpoint(handle, path.c_str()));
  }

private:
  explicit Model(anima_model_t *model) : handle(model) {}

  anima_model_t *handle = nullptr;
};

} // namespace anima

#endif // ANIMA_RUNTIME_ANIMA_HPP
