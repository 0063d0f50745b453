//===- aligned_buffer.cpp - 64-byte aligned heap memory -------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "support/aligned_buffer.h"

#include <cstdlib>
#include <cstring>
#include <utility>

namespace anima::rt {

AlignedBuffer::~AlignedBuffer() { std::free(bytes); }

AlignedBuffer::AlignedBuffer(AlignedBuffer &&other) noexcept
    : bytes(std::exchange(other.bytes, nullptr)),
      length(std::exchange(other.length, 0)) {}

AlignedBuffer &AlignedBuffer::operator=(AlignedBuffer &&other) noexcept {
  if (this == &other)
    return *this;
  std::free(bytes);
  bytes = std::exchange(other.bytes, nullptr);
  length = std::exchange(other.length, 0);
  return *this;
}

bool AlignedBuffer::allocate(size_t size) {
  size_t rounded = (size + kBufferAlignment - 1) & ~(kBufferAlignment - 1);
  if (rounded < size)
    return false;
  if (rounded == 0)
    rounded = kBufferAlignment;
  void *p = nullptr;
  if (::posix_memalign(&p, kBufferAlignment, rounded) != 0)
    return false;
  std::memset(p, 0, rounded);
  std::free(bytes);
  bytes = static_cast<uint8_t *>(p);
  length = size;
  return true;
}

} // namespace anima::rt
