//===- tensor_store.h - Tensors in one aligned allocation -------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_CORE_TENSOR_STORE_H
#define ANIMA_RUNTIME_CORE_TENSOR_STORE_H

#include "support/aligned_buffer.h"

#include <cstdint>
#include <vector>

namespace anima::rt {

/// A fixed list of tensors stored in one allocation, each at a 64-byte
/// aligned offset (the ABI's buffer alignment). Used for the live state, the
/// initial state, snapshots, copy-guard backups and step staging buffers.
class TensorStore {
public:
  /// Allocates zeroed storage for tensors of `sizes` bytes; returns false
  /// when memory runs out.
  [[nodiscard]] bool allocate(const std::vector<uint64_t> &sizes);

  /// Returns the number of tensors.
  size_t count() const { return sizes.size(); }
  /// Returns the bytes of tensor `i`.
  uint64_t size(size_t i) const { return sizes[i]; }
  /// Returns the first byte of tensor `i`.
  uint8_t *data(size_t i) { return buffer.data() + offsets[i]; }
  /// Returns the first byte of tensor `i`.
  const uint8_t *data(size_t i) const { return buffer.data() + offsets[i]; }

  /// Copies every tensor of `other`, which has the same sizes.
  void copyFrom(const TensorStore &other);

  /// Returns true iff [address, address + bytes) lies inside one tensor.
  bool contains(const void *address, uint64_t bytes) const;

private:
  AlignedBuffer buffer;
  std::vector<uint64_t> offsets;
  std::vector<uint64_t> sizes;
};

} // namespace anima::rt

#endif // ANIMA_RUNTIME_CORE_TENSOR_STORE_H
