//===- status.cpp - Status objects of the C API ---------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "support/status.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

struct anima_status_s {
  anima_status_code_t code;
  char *message;
};

namespace {

char kOutOfMemoryMessage[] = "out of memory";
anima_status_s kOutOfMemory = {ANIMA_STATUS_RESOURCE_EXHAUSTED,
                               kOutOfMemoryMessage};

/// Allocates a status whose message is `prefix` followed by the formatted
/// text; returns the static out-of-memory status on failure.
anima_status_t formatStatus(anima_status_code_t code, const char *prefix,
                            const char *format, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int length = std::vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  if (length < 0)
    length = 0;
  size_t prefixLength = prefix ? std::strlen(prefix) : 0;
  size_t total = prefixLength + static_cast<size_t>(length) + 1;
  auto *status = static_cast<anima_status_s *>(
      std::malloc(sizeof(anima_status_s) + total));
  if (!status)
    return &kOutOfMemory;
  status->code = code;
  status->message = reinterpret_cast<char *>(status + 1);
  if (prefixLength)
    std::memcpy(status->message, prefix, prefixLength);
  std::vsnprintf(status->message + prefixLength, total - prefixLength, format,
                 args);
  return status;
}

} // namespace

namespace anima::rt {

anima_status_t makeStatus(anima_status_code_t code, const char *format, ...) {
  va_list args;
  va_start(args, format);
  anima_status_t status = formatStatus(code, nullptr, format, args);
  va_end(args);
  return status;
}

anima_status_t annotate(anima_status_t status, const char *format, ...) {
  if (!status || status == &kOutOfMemory)
    return status;
  va_list args;
  va_start(args, format);
  char prefix[512];
  std::vsnprintf(prefix, sizeof(prefix), format, args);
  va_end(args);
  anima_status_t annotated =
      makeStatus(status->code, "%s: %s", prefix, status->message);
  anima_status_free(status);
  return annotated;
}

anima_status_t outOfMemoryStatus() { return &kOutOfMemory; }

} // namespace anima::rt

extern "C" {

anima_status_code_t anima_status_code(anima_status_t status) {
  return status ? status->code : ANIMA_STATUS_OK;
}

const char *anima_status_message(anima_status_t status) {
  return status ? status->message : "OK";
}

const char *anima_status_code_name(anima_status_code_t code) {
  // A C caller may pass any 32-bit value, possibly outside the C++ range of
  // the enum: switch on it as an integer.
  uint32_t raw;
  std::memcpy(&raw, &code, sizeof(raw));
  switch (raw) {
  case ANIMA_STATUS_OK:
    return "OK";
  case ANIMA_STATUS_INVALID_ARGUMENT:
    return "INVALID_ARGUMENT";
  case ANIMA_STATUS_NOT_FOUND:
    return "NOT_FOUND";
  case ANIMA_STATUS_DATA_LOSS:
    return "DATA_LOSS";
  case ANIMA_STATUS_FAILED_PRECONDITION:
    return "FAILED_PRECONDITION";
  case ANIMA_STATUS_UNIMPLEMENTED:
    return "UNIMPLEMENTED";
  case ANIMA_STATUS_IO_ERROR:
    return "IO_ERROR";
  case ANIMA_STATUS_NONFINITE:
    return "NONFINITE";
  case ANIMA_STATUS_INCOMPATIBLE:
    return "INCOMPATIBLE";
  case ANIMA_STATUS_RESOURCE_EXHAUSTED:
    return "RESOURCE_EXHAUSTED";
  case ANIMA_STATUS_INTERNAL:
    return "INTERNAL";
  case ANIMA_STATUS_CODE_MAX_ENUM:
    break;
  }
  return "UNKNOWN";
}

void anima_status_free(anima_status_t status) {
  if (status == &kOutOfMemory)
    return;
  std::free(status);
}

} // extern "C"
