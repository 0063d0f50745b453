//===- artifact_id.cpp - The artifact id hash -----------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "format/artifact_layout.h"
#include "support/bytes.h"

namespace anima::rt {

void ArtifactIdHasher::update(const uint8_t *data, size_t size) {
  constexpr uint64_t kPrime = 0x100000001b3ull;
  uint64_t a = first, b = second;
  for (size_t i = 0; i < size; ++i) {
    a = (a ^ data[i]) * kPrime;
    b = (b ^ data[i]) * kPrime;
  }
  first = a;
  second = b;
}

void ArtifactIdHasher::finish(uint8_t out[16]) const {
  storeU64(out, first);
  storeU64(out + 8, second);
}

} // namespace anima::rt
