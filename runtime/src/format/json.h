//===- json.h - A small, strict JSON parser ---------------------*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// Enough JSON for the manifest (RFC 8259): objects, arrays, strings with
// every escape (UTF-8 checked), integers, numbers, true/false/null. Input is
// untrusted: sizes and nesting depth are limited, duplicate keys and
// trailing bytes are errors, and the parser never crashes or recurses
// without bound.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_RUNTIME_FORMAT_JSON_H
#define ANIMA_RUNTIME_FORMAT_JSON_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace anima::rt {

/// A parsed JSON value.
struct JsonValue {
  /// The JSON type; numbers written without fraction or exponent that fit
  /// int64 are Integer, all other numbers are Number.
  enum class Kind { Null, Bool, Integer, Number, String, Array, Object };

  Kind kind = Kind::Null;       ///< which of the fields below is meaningful
  bool boolean = false;         ///< Bool
  int64_t integer = 0;          ///< Integer
  double number = 0;            ///< Number (and Integer, converted)
  std::string string;           ///< String, decoded to UTF-8
  std::vector<JsonValue> items; ///< Array elements
  std::vector<std::pair<std::string, JsonValue>> members; ///< Object, in order

  /// Returns the member `key` of an object, or nullptr.
  const JsonValue *get(std::string_view key) const;
  /// Returns true iff this is a string.
  bool isString() const { return kind == Kind::String; }
  /// Returns true iff this is an integer.
  bool isInteger() const { return kind == Kind::Integer; }
  /// Returns true iff this is an array.
  bool isArray() const { return kind == Kind::Array; }
  /// Returns true iff this is an object.
  bool isObject() const { return kind == Kind::Object; }
};

/// Returns the JSON type name of `kind` ("object", "integer", ...).
const char *jsonKindName(JsonValue::Kind kind);

/// Limits on untrusted input.
struct JsonLimits {
  size_t maxBytes = size_t(4) << 20;  ///< longest accepted input
  size_t maxValues = size_t(1) << 20; ///< most values in one document
  unsigned maxDepth = 64;             ///< deepest nesting of arrays/objects
};

/// Parses `text` into `out`. On failure returns false and sets `error` to a
/// message with the line and column ("line 3, column 7: expected ':'").
[[nodiscard]] bool parseJson(std::string_view text, JsonValue *out,
                             std::string *error, JsonLimits limits = {});

} // namespace anima::rt

#endif // ANIMA_RUNTIME_FORMAT_JSON_H
