//===- bytes.h - Little-endian fields and checked arithmetic ----*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Reading and writing the little-endian integers of the artifact and
// checkpoint formats, and size arithmetic that reports overflow instead of
// wrapping (sizes come from untrusted files).
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_SUPPORT_BYTES_H
#define ANIMA_RUNTIME_SUPPORT_BYTES_H

#include <cstddef>
#include <cstdint>
#include <vector>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the Anima runtime supports little-endian hosts only");

namespace anima::rt {

/// Reads a little-endian u32 at `p`.
inline uint32_t loadU32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}

/// Reads a little-endian u64 at `p`.
inline uint64_t loadU64(const uint8_t *p) {
  return uint64_t(loadU32(p)) | uint64_t(loadU32(p + 4)) << 32;
}

/// Writes `v` little-endian at `p`.
inline void storeU32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}

/// Writes `v` little-endian at `p`.
inline void storeU64(uint8_t *p, uint64_t v) {
  storeU32(p, uint32_t(v));
  storeU32(p + 4, uint32_t(v >> 32));
}

/// Appends `v` little-endian to `out`.
inline void appendU32(std::vector<uint8_t> &out, uint32_t v) {
  uint8_t b[4];
  storeU32(b, v);
  out.insert(out.end(), b, b + 4);
}

/// Appends `v` little-endian to `out`.
inline void appendU64(std::vector<uint8_t> &out, uint64_t v) {
  uint8_t b[8];
  storeU64(b, v);
  out.insert(out.end(), b, b + 8);
}

/// Sets `*out = a + b`; returns false (leaving *out alone) on overflow.
[[nodiscard]] inline bool checkedAdd(uint64_t a, uint64_t b, uint64_t *out) {
  return !__builtin_add_overflow(a, b, out);
}

/// Sets `*out = a * b`; returns false on overflow.
[[nodiscard]] inline bool checkedMul(uint64_t a, uint64_t b, uint64_t *out) {
  return !__builtin_mul_overflow(a, b, out);
}

/// Rounds `v` up to a multiple of the power of two `align`; returns false on
/// overflow.
[[nodiscard]] inline bool checkedAlignUp(uint64_t v, uint64_t align,
                                         uint64_t *out) {
  uint64_t sum;
  if (!checkedAdd(v, align - 1, &sum))
    return false;
  *out = sum & ~(align - 1);
  return true;
}

/// Returns true iff [offset, offset + size) lies inside [0, limit).
inline bool rangeInside(uint64_t offset, uint64_t size, uint64_t limit) {
  return offset <= limit && size <= limit - offset;
}

} // namespace anima::rt

#endif // ANIMA_RUNTIME_SUPPORT_BYTES_H
