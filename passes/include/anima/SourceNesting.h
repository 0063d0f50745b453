//===- SourceNesting.h - Refusing absurdly nested input ---------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The MLIR parser recurses once per nesting level of regions, attributes and
// types, and overflows the stack after a few thousand levels (a crash, not a
// diagnostic). anima-opt and animac check the nesting of their input first
// and refuse anything deeper than kMaxSourceNesting with a located error.
// Real models nest a handful of levels.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_SOURCENESTING_H
#define ANIMA_SOURCENESTING_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

namespace mlir::anima {

/// Deepest nesting of brackets the tools accept.
constexpr unsigned kMaxSourceNesting = 256;

/// Returns the offset in `text` of the first bracket ({, [, ( or <) nested
/// deeper than `maxDepth`, skipping string literals and // comments, or
/// StringRef::npos. A '>' of "->" closes nothing; a stray closer never takes
/// the depth below zero.
inline size_t findDeepNesting(llvm::StringRef text,
                              unsigned maxDepth = kMaxSourceNesting) {
  unsigned depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\')
          ++i;
      continue;
    }
    if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      i = text.find('\n', i);
      if (i == llvm::StringRef::npos)
        break;
      continue;
    }
    if (c == '{' || c == '[' || c == '(' || c == '<') {
      if (++depth > maxDepth)
        return i;
    } else if (c == '}' || c == ']' || c == ')' ||
               (c == '>' && (i == 0 || text[i - 1] != '-'))) {
      if (depth)
        --depth;
    }
  }
  return llvm::StringRef::npos;
}

/// Emits a located error (through `context`'s diagnostic handlers) if
/// `buffer` nests deeper than kMaxSourceNesting.
inline LogicalResult checkSourceNesting(const llvm::MemoryBuffer &buffer,
                                        MLIRContext *context) {
  llvm::StringRef text = buffer.getBuffer();
  size_t at = findDeepNesting(text);
  if (at == llvm::StringRef::npos)
    return success();
  llvm::StringRef before = text.take_front(at);
  unsigned line = 1 + before.count('\n');
  size_t lineStart = before.rfind('\n');
  unsigned column =
      1 + unsigned(lineStart == llvm::StringRef::npos ? at : at - lineStart - 1);
  return emitError(FileLineColLoc::get(context, buffer.getBufferIdentifier(),
                                       line, column))
         << "input nested deeper than " << kMaxSourceNesting
         << " levels of brackets; the Anima tools refuse it (the parser "
            "would run out of stack)";
}

} // namespace mlir::anima

#endif // ANIMA_SOURCENESTING_H
