//===- tensor_store.cpp - Tensors in one aligned allocation ---------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "core/tensor_store.h"

#include "support/bytes.h"

#include <cstring>

namespace anima::rt {

bool TensorStore::allocate(const std::vector<uint64_t> &tensorSizes) {
  std::vector<uint64_t> layout;
  uint64_t end = 0;
  for (uint64_t size : tensorSizes) {
    layout.push_back(end);
    if (!checkedAdd(end, size, &end) ||
        !checkedAlignUp(end, kBufferAlignment, &end))
      return false;
  }
  if (end > SIZE_MAX || !buffer.allocate(size_t(end)))
    return false;
  offsets = std::move(layout);
  sizes = tensorSizes;
  return true;
}

void TensorStore::copyFrom(const TensorStore &other) {
  for (size_t i = 0; i < sizes.size(); ++i)
    if (sizes[i])
      std::memcpy(data(i), other.data(i), sizes[i]);
}

bool TensorStore::contains(const void *address, uint64_t bytes) const {
  auto p = reinterpret_cast<uintptr_t>(address);
  for (size_t i = 0; i < sizes.size(); ++i) {
    auto begin = reinterpret_cast<uintptr_t>(data(i));
    if (p >= begin && rangeInside(p - begin, bytes, sizes[i]))
      return true;
  }
  return false;
}

} // namespace anima::rt
