/*===- anima/runtime/anima.h - The Anima runtime C API ---------------------===*
 *
 * Part of the Anima project.
 *
 *===----------------------------------------------------------------------===*
 *
 * Loads a compiled `.anima` artifact (docs/artifact-format.md) on a backend
 * and runs its entry points: every step infers and learns, the learned state
 * stays resident in the model between steps.
 *
 * Conventions (they hold for every function below):
 *
 *  - Errors. A fallible function returns an anima_status_t. NULL means
 *    success. Anything else is a heap object that the CALLER owns and must
 *    release with anima_status_free(); anima_status_code() classifies it and
 *    anima_status_message() names what is wrong (the call, the input, the
 *    section or the state). Results must not be ignored (warn_unused_result).
 *    Nothing aborts and no C++ exception crosses this API; running out of
 *    memory is ANIMA_STATUS_RESOURCE_EXHAUSTED.
 *  - Failure atomicity. A call that fails leaves the model exactly as it was:
 *    state, plasticity and outputs are written only on success. Output
 *    parameters (`out`) are written only on success.
 *  - Ownership. anima_model_t and anima_snapshot_t objects are created by
 *    this API and owned by the caller, who releases them with
 *    anima_model_close() and anima_snapshot_free() (both accept NULL).
 *    Strings and arrays returned by introspection belong to the model and
 *    stay valid until it is closed. Caller buffers are only borrowed for the
 *    duration of the call; the runtime never keeps a pointer to them.
 *  - Threads. A model is not thread-safe: calls on one model must not
 *    overlap. Different models are independent.
 *  - Data. Tensors are dense, row-major, in host byte order (little-endian
 *    hosts only). Caller buffers need no particular alignment.
 *
 *===----------------------------------------------------------------------===*/

#ifndef ANIMA_RUNTIME_ANIMA_H
#define ANIMA_RUNTIME_ANIMA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define ANIMA_MUST_USE __attribute__((warn_unused_result))
#else
#define ANIMA_MUST_USE
#endif

/*===----------------------------------------------------------------------===*
 * Status
 *===----------------------------------------------------------------------===*/

/** What kind of failure a status reports. */
typedef enum anima_status_code {
  ANIMA_STATUS_OK = 0,                  /**< success (only for NULL) */
  ANIMA_STATUS_INVALID_ARGUMENT = 1,    /**< the caller passed a bad value */
  ANIMA_STATUS_NOT_FOUND = 2,           /**< no such file, entry or state */
  ANIMA_STATUS_DATA_LOSS = 3,           /**< corrupt or truncated data */
  ANIMA_STATUS_FAILED_PRECONDITION = 4, /**< the object is in the wrong state */
  ANIMA_STATUS_UNIMPLEMENTED = 5,       /**< not supported by this build */
  ANIMA_STATUS_IO_ERROR = 6,            /**< the operating system failed */
  ANIMA_STATUS_NONFINITE = 7,           /**< refused: would write NaN/Inf */
  ANIMA_STATUS_INCOMPATIBLE = 8,        /**< wrong version, ABI or artifact */
  ANIMA_STATUS_RESOURCE_EXHAUSTED = 9,  /**< out of memory or over a limit */
  ANIMA_STATUS_INTERNAL = 10,           /**< a bug in the runtime or code */
  ANIMA_STATUS_CODE_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit */
} anima_status_code_t;

/** An error: NULL means OK, otherwise caller-owned (anima_status_free). */
typedef struct anima_status_s *anima_status_t;

/** Returns the code of `status` (ANIMA_STATUS_OK for NULL). */
anima_status_code_t anima_status_code(anima_status_t status);

/** Returns the message of `status` ("OK" for NULL); owned by `status`. */
const char *anima_status_message(anima_status_t status);

/** Returns the name of `code`, e.g. "DATA_LOSS" (static storage). */
const char *anima_status_code_name(anima_status_code_t code);

/** Releases `status`; NULL is a no-op. */
void anima_status_free(anima_status_t status);

/*===----------------------------------------------------------------------===*
 * Tensors and buffers
 *===----------------------------------------------------------------------===*/

/** Element types of state tensors, inputs and outputs. */
typedef enum anima_dtype {
  ANIMA_DTYPE_F32 = 1,              /**< IEEE-754 binary32 */
  ANIMA_DTYPE_I32 = 2,              /**< two's complement 32-bit integer */
  ANIMA_DTYPE_MAX_ENUM = 0x7FFFFFFF /**< keeps the enum 32-bit; any value
                                         a caller stores is safe to pass */
} anima_dtype_t;

/** Returns the name of `dtype` ("f32", "i32", or "?" if unknown). */
const char *anima_dtype_name(anima_dtype_t dtype);

/** Describes one tensor; the pointers belong to the model. */
typedef struct anima_tensor_info {
  const char *name;     /**< name from the manifest, NUL-terminated */
  anima_dtype_t dtype;  /**< element type */
  uint32_t rank;        /**< number of dimensions (0 for a scalar) */
  const int64_t *shape; /**< `rank` dimensions, outermost first */
  uint64_t bytes;       /**< total size in bytes */
} anima_tensor_info;

/** Describes one entry point; the pointers belong to the model. */
typedef struct anima_entry_info {
  const char *name;                 /**< e.g. "step" */
  size_t input_count;               /**< number of inputs */
  const anima_tensor_info *inputs;  /**< `input_count` inputs, in order */
  size_t output_count;              /**< number of outputs */
  const anima_tensor_info *outputs; /**< `output_count` outputs, in order */
  uint64_t journal_bytes;           /**< undo journal one step may write */
} anima_entry_info;

/** A caller buffer passed to a step; inputs are only read. */
typedef struct anima_buffer {
  anima_dtype_t dtype; /**< must equal the manifest's dtype */
  void *data;          /**< `bytes` bytes, any alignment */
  size_t bytes;        /**< must equal the manifest's byte size */
} anima_buffer;

/*===----------------------------------------------------------------------===*
 * Models
 *===----------------------------------------------------------------------===*/

/** A loaded artifact with its resident state. */
typedef struct anima_model_s anima_model_t;

/** A copy of a model's state, taken by anima_model_snapshot(). */
typedef struct anima_snapshot_s anima_snapshot_t;

/** anima_open_options.flags: enable the Vulkan validation layer
 *  (VK_LAYER_KHRONOS_validation, synchronization validation included; the
 *  environment variable ANIMA_VULKAN_VALIDATION=1 does the same). Every
 *  warning or error it reports is printed to stderr and makes the next call
 *  on the model return ANIMA_STATUS_INTERNAL "Vulkan validation: ...".
 *  Without the layer installed (Debian: vulkan-validationlayers) the open
 *  fails with ANIMA_STATUS_FAILED_PRECONDITION. Ignored by the "cpu"
 *  backend. */
#define ANIMA_OPEN_VULKAN_VALIDATION 0x1u

/** Options of anima_model_open_*; initialize with anima_open_options_init.
 *  Fields are only ever appended; the runtime reads a field only when the
 *  caller's struct_size covers it. */
typedef struct anima_open_options {
  size_t struct_size;   /**< sizeof(anima_open_options) of the caller */
  const char *backend;  /**< "cpu" (NULL = "cpu") or "vulkan" (the
                             artifact needs a vulkan target; the state then
                             lives on the device, see runtime/README.md) */
  uint32_t flags;       /**< ANIMA_OPEN_VULKAN_VALIDATION; other bits 0 */
  uint32_t reserved0;   /**< reserved, must be 0 */
  uint64_t reserved[4]; /**< reserved, must be 0 */
  const char *device;   /**< "vulkan": the device to run on. NULL or "" =
                             $ANIMA_VULKAN_DEVICE if set, else the first
                             device with a compute queue; otherwise a
                             decimal index (vkEnumeratePhysicalDevices
                             order) or a case-insensitive substring of the
                             device name ("llvmpipe" = lavapipe). No match:
                             ANIMA_STATUS_NOT_FOUND listing the devices.
                             Ignored by "cpu". */
  uint64_t max_memory_bytes; /**< host memory the model may allocate at open
                             (state, its initial copy, guard backups,
                             staging buffers, journal). 0 = the machine's
                             physical memory. An artifact that needs more
                             (e.g. a hostile one with valid checksums) is
                             refused with ANIMA_STATUS_RESOURCE_EXHAUSTED
                             before anything is allocated. */
} anima_open_options;

/** Fills `options` with the defaults (backend "cpu", no flags, device NULL)
 *  and its struct_size. */
void anima_open_options_init(anima_open_options *options);

/** Opens the artifact at `path`; `options` may be NULL (defaults). */
ANIMA_MUST_USE anima_status_t anima_model_open_file(
    const char *path, const anima_open_options *options, anima_model_t **out);

/** Opens an artifact held in memory; `data` is only read during the call. */
ANIMA_MUST_USE anima_status_t
anima_model_open_memory(const void *data, size_t size,
                        const anima_open_options *options, anima_model_t **out);

/** Releases `model` and its state; NULL is a no-op. */
void anima_model_close(anima_model_t *model);

/*===----------------------------------------------------------------------===*
 * Introspection (infallible for a valid model; pointers belong to it)
 *===----------------------------------------------------------------------===*/

/** Returns the manifest JSON text (NUL-terminated); `size` may be NULL. */
const char *anima_model_manifest(const anima_model_t *model, size_t *size);

/** Returns the manifest's "model" name ("" when absent). */
const char *anima_model_name(const anima_model_t *model);

/** Returns the backend the model runs on, e.g. "cpu". */
const char *anima_model_backend(const anima_model_t *model);

/** Copies the 16-byte artifact id (identity of the artifact) to `out`. */
void anima_model_artifact_id(const anima_model_t *model, uint8_t out[16]);

/** Returns the number of entry points. */
size_t anima_model_entry_count(const anima_model_t *model);

/** Describes entry point `index`. */
ANIMA_MUST_USE anima_status_t anima_model_entry_info(const anima_model_t *model,
                                                     size_t index,
                                                     anima_entry_info *out);

/** Finds the entry point called `name` (NOT_FOUND if there is none). */
ANIMA_MUST_USE anima_status_t anima_model_find_entry(const anima_model_t *model,
                                                     const char *name,
                                                     size_t *index);

/** Returns the number of state tensors. */
size_t anima_model_state_count(const anima_model_t *model);

/** Describes state tensor `index`. */
ANIMA_MUST_USE anima_status_t anima_model_state_info(const anima_model_t *model,
                                                     size_t index,
                                                     anima_tensor_info *out);

/** Finds the state tensor called `name` (NOT_FOUND if there is none). */
ANIMA_MUST_USE anima_status_t anima_model_find_state(const anima_model_t *model,
                                                     const char *name,
                                                     size_t *index);

/*===----------------------------------------------------------------------===*
 * Stepping
 *===----------------------------------------------------------------------===*/

/** Runs entry point `entry` once: reads the inputs, writes the outputs and
 *  updates the state (scaled by the plasticity). Every buffer's dtype and
 *  byte size must match the manifest. A step whose f32 inputs hold NaN or
 *  Inf, or whose update would write NaN or Inf, is refused: it returns
 *  ANIMA_STATUS_NONFINITE and leaves state and outputs untouched. */
ANIMA_MUST_USE anima_status_t
anima_model_step(anima_model_t *model, size_t entry, const anima_buffer *inputs,
                 size_t n_inputs, anima_buffer *outputs, size_t n_outputs);

/** Sets the learning scale: 1 = as compiled, 0 = frozen. Must be finite and
 *  >= 0. */
ANIMA_MUST_USE anima_status_t anima_model_set_plasticity(anima_model_t *model,
                                                         float plasticity);

/** Returns the learning scale (1 after open). */
float anima_model_plasticity(const anima_model_t *model);

/** Puts every state tensor back to the artifact's initial value. */
ANIMA_MUST_USE anima_status_t anima_model_reset(anima_model_t *model);

/*===----------------------------------------------------------------------===*
 * State
 *===----------------------------------------------------------------------===*/

/** Copies state tensor `index` to `dst`; `bytes` must equal its size. */
ANIMA_MUST_USE anima_status_t anima_model_read_state(const anima_model_t *model,
                                                     size_t index, void *dst,
                                                     size_t bytes);

/** Overwrites state tensor `index` from `src`; `bytes` must equal its size
 *  and f32 data must be finite (NONFINITE otherwise). */
ANIMA_MUST_USE anima_status_t anima_model_write_state(anima_model_t *model,
                                                      size_t index,
                                                      const void *src,
                                                      size_t bytes);

/** Copies the whole state into a new snapshot owned by the caller. */
ANIMA_MUST_USE anima_status_t anima_model_snapshot(const anima_model_t *model,
                                                   anima_snapshot_t **out);

/** Restores the state saved in `snapshot`; refuses (INVALID_ARGUMENT) a
 *  snapshot taken from another model. The snapshot stays valid. */
ANIMA_MUST_USE anima_status_t
anima_model_rollback(anima_model_t *model, const anima_snapshot_t *snapshot);

/** Releases `snapshot`; NULL is a no-op. */
void anima_snapshot_free(anima_snapshot_t *snapshot);

/*===----------------------------------------------------------------------===*
 * Checkpoints (docs/artifact-format.md, "Checkpoint layout")
 *===----------------------------------------------------------------------===*/

/** Writes the state to `path` atomically (temporary file in the same
 *  directory, fsync, rename, fsync of the directory). */
ANIMA_MUST_USE anima_status_t
anima_model_save_checkpoint(const anima_model_t *model, const char *path);

/** Replaces the state with the checkpoint at `path`. The whole file is
 *  validated first; a corrupt or truncated file (DATA_LOSS), one of another
 *  artifact or version (INCOMPATIBLE) or one holding NaN/Inf (NONFINITE)
 *  leaves the state untouched. */
ANIMA_MUST_USE anima_status_t anima_model_load_checkpoint(anima_model_t *model,
                                                          const char *path);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ANIMA_RUNTIME_ANIMA_H */
