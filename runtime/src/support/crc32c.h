//===- crc32c.h - CRC-32C (Castagnoli) --------------------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_SUPPORT_CRC32C_H
#define ANIMA_RUNTIME_SUPPORT_CRC32C_H

#include <cstddef>
#include <cstdint>

namespace anima::rt {

/// Returns the CRC-32C of `size` bytes at `data` (reflected polynomial
/// 0x82F63B78, init and final xor 0xFFFFFFFF); crc32c("123456789") is
/// 0xE3069283.
uint32_t crc32c(const void *data, size_t size);

/// Continues a CRC-32C: `crc32cExtend(crc32c(a), b)` is the CRC of a then b.
uint32_t crc32cExtend(uint32_t crc, const void *data, size_t size);

} // namespace anima::rt

#endif // ANIMA_RUNTIME_SUPPORT_CRC32C_H
