//===- aligned_buffer.h - 64-byte aligned heap memory -----------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_SUPPORT_ALIGNED_BUFFER_H
#define ANIMA_RUNTIME_SUPPORT_ALIGNED_BUFFER_H

#include <cstddef>
#include <cstdint>

namespace anima::rt {

/// Alignment of every buffer handed to compiled code (abi.h).
constexpr size_t kBufferAlignment = 64;

/// An owned, zero-initialized, 64-byte aligned block of memory.
class AlignedBuffer {
public:
  AlignedBuffer() = default;
  ~AlignedBuffer();
  AlignedBuffer(AlignedBuffer &&other) noexcept;
  AlignedBuffer &operator=(AlignedBuffer &&other) noexcept;
  AlignedBuffer(const AlignedBuffer &) = delete;
  AlignedBuffer &operator=(const AlignedBuffer &) = delete;

  /// Allocates `size` zeroed bytes (at least one cache line); returns false
  /// when memory runs out, leaving the buffer empty.
  [[nodiscard]] bool allocate(size_t size);

  /// Returns the first byte (nullptr when empty).
  uint8_t *data() { return bytes; }
  /// Returns the first byte (nullptr when empty).
  const uint8_t *data() const { return bytes; }
  /// Returns the usable size in bytes.
  size_t size() const { return length; }

private:
  uint8_t *bytes = nullptr;
  size_t length = 0;
};

} // namespace anima::rt

#endif // ANIMA_RUNTIME_SUPPORT_ALIGNED_BUFFER_H
