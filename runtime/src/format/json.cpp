//===- json.cpp - A small, strict JSON parser -----------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "format/json.h"

#include <charconv>
#include <cmath>
#include <unordered_set>

namespace anima::rt {
namespace {

/// Recursive-descent parser over a bounded input with a depth limit.
class Parser {
public:
  Parser(std::string_view text, JsonLimits limits)
      : text(text), limits(limits) {}

  /// Parses the whole input as one value.
  bool parseDocument(JsonValue *out) {
    skipSpace();
    if (!parseValue(out, 0))
      return false;
    skipSpace();
    if (pos != text.size())
      return fail("unexpected data after the JSON value");
    return true;
  }

  /// Returns the error message (with line and column).
  const std::string &errorMessage() const { return error; }

private:
  bool fail(const char *what) {
    size_t line = 1, column = 1;
    for (size_t i = 0; i < pos && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    error = "line " + std::to_string(line) + ", column " +
            std::to_string(column) + ": " + what;
    return false;
  }

  bool atEnd() const { return pos >= text.size(); }
  char peek() const { return atEnd() ? '\0' : text[pos]; }

  void skipSpace() {
    while (!atEnd() && (text[pos] == ' ' || text[pos] == '\t' ||
                        text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }

  bool expect(char c, const char *what) {
    skipSpace();
    if (peek() != c)
      return fail(what);
    ++pos;
    return true;
  }

  bool parseValue(JsonValue *out, unsigned depth) {
    if (depth > limits.maxDepth)
      return fail("nesting deeper than the limit");
    if (++values > limits.maxValues)
      return fail("more values than the limit");
    skipSpace();
    if (atEnd())
      return fail("unexpected end of input, expected a value");
    char c = peek();
    if (c == '{')
      return parseObject(out, depth);
    if (c == '[')
      return parseArray(out, depth);
    if (c == '"') {
      out->kind = JsonValue::Kind::String;
      return parseString(&out->string);
    }
    if (c == '-' || (c >= '0' && c <= '9'))
      return parseNumber(out);
    if (matchWord("true")) {
      out->kind = JsonValue::Kind::Bool;
      out->boolean = true;
      return true;
    }
    if (matchWord("false")) {
      out->kind = JsonValue::Kind::Bool;
      out->boolean = false;
      return true;
    }
    if (matchWord("null")) {
      out->kind = JsonValue::Kind::Null;
      return true;
    }
    return fail("invalid value");
  }

  bool matchWord(std::string_view word) {
    if (text.substr(pos, word.size()) != word)
      return false;
    pos += word.size();
    return true;
  }

  bool parseObject(JsonValue *out, unsigned depth) {
    out->kind = JsonValue::Kind::Object;
    ++pos; // '{'
    skipSpace();
    if (peek() == '}') {
      ++pos;
      return true;
    }
    std::unordered_set<std::string> keys;
    while (true) {
      skipSpace();
      if (peek() != '"')
        return fail("expected a string key");
      std::string key;
      size_t keyPos = pos;
      if (!parseString(&key))
        return false;
      if (!keys.insert(key).second) {
        pos = keyPos;
        return fail("duplicate key");
      }
      if (!expect(':', "expected ':' after the key"))
        return false;
      out->members.emplace_back(std::move(key), JsonValue());
      if (!parseValue(&out->members.back().second, depth + 1))
        return false;
      skipSpace();
      if (peek() == ',') {
        ++pos;
        continue;
      }
      return expect('}', "expected ',' or '}' in an object");
    }
  }

  bool parseArray(JsonValue *out, unsigned depth) {
    out->kind = JsonValue::Kind::Array;
    ++pos; // '['
    skipSpace();
    if (peek() == ']') {
      ++pos;
      return true;
    }
    while (true) {
      out->items.emplace_back();
      if (!parseValue(&out->items.back(), depth + 1))
        return false;
      skipSpace();
      if (peek() == ',') {
        ++pos;
        continue;
      }
      return expect(']', "expected ',' or ']' in an array");
    }
  }

  /// Reads 4 hex digits at pos.
  bool parseHex4(uint32_t *out) {
    if (text.size() - pos < 4)
      return fail("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text[pos + i];
      uint32_t d;
      if (c >= '0' && c <= '9')
        d = uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f')
        d = uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        d = uint32_t(c - 'A' + 10);
      else
        return fail("invalid hex digit in a \\u escape");
      v = v << 4 | d;
    }
    pos += 4;
    *out = v;
    return true;
  }

  static void appendUtf8(std::string *s, uint32_t cp) {
    if (cp < 0x80) {
      s->push_back(char(cp));
    } else if (cp < 0x800) {
      s->push_back(char(0xC0 | cp >> 6));
      s->push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      s->push_back(char(0xE0 | cp >> 12));
      s->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      s->push_back(char(0x80 | (cp & 0x3F)));
    } else {
      s->push_back(char(0xF0 | cp >> 18));
      s->push_back(char(0x80 | ((cp >> 12) & 0x3F)));
      s->push_back(char(0x80 | ((cp >> 6) & 0x3F)));
      s->push_back(char(0x80 | (cp & 0x3F)));
    }
  }

  bool parseUnicodeEscape(std::string *out) {
    uint32_t cp = 0;
    if (!parseHex4(&cp))
      return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
      return fail("unpaired low surrogate in a \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (text.substr(pos, 2) != "\\u")
        return fail("unpaired high surrogate in a \\u escape");
      pos += 2;
      uint32_t low = 0;
      if (!parseHex4(&low))
        return false;
      if (low < 0xDC00 || low > 0xDFFF)
        return fail("invalid low surrogate in a \\u escape");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    appendUtf8(out, cp);
    return true;
  }

  /// Copies one UTF-8 encoded code point starting at pos, checking it.
  bool copyUtf8(std::string *out) {
    auto byte = [&](size_t i) { return uint8_t(text[pos + i]); };
    uint8_t lead = byte(0);
    size_t length;
    uint32_t cp = 0;
    if (lead < 0x80) {
      length = 1;
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      cp = lead & 0x07;
    } else {
      return fail("invalid UTF-8 in a string");
    }
    if (text.size() - pos < length)
      return fail("truncated UTF-8 sequence in a string");
    for (size_t i = 1; i < length; ++i) {
      if ((byte(i) & 0xC0) != 0x80)
        return fail("invalid UTF-8 in a string");
      cp = cp << 6 | (byte(i) & 0x3F);
    }
    static const uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return fail("invalid UTF-8 in a string");
    out->append(text.data() + pos, length);
    pos += length;
    return true;
  }

  bool parseString(std::string *out) {
    ++pos; // opening quote
    while (true) {
      if (atEnd())
        return fail("unterminated string");
      char c = text[pos];
      if (c == '"') {
        ++pos;
        return true;
      }
      if (uint8_t(c) < 0x20)
        return fail("control character in a string");
      if (c != '\\') {
        if (!copyUtf8(out))
          return false;
        continue;
      }
      ++pos;
      if (atEnd())
        return fail("unterminated escape");
      char e = text[pos++];
      switch (e) {
      case '"':
      case '\\':
      case '/':
        out->push_back(e);
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u':
        if (!parseUnicodeEscape(out))
          return false;
        break;
      default:
        --pos;
        return fail("invalid escape in a string");
      }
    }
  }

  bool isDigit(char c) const { return c >= '0' && c <= '9'; }

  bool parseNumber(JsonValue *out) {
    size_t start = pos;
    if (peek() == '-')
      ++pos;
    if (!isDigit(peek()))
      return fail("invalid number");
    if (peek() == '0' && pos + 1 < text.size() && isDigit(text[pos + 1]))
      return fail("leading zero in a number");
    while (isDigit(peek()))
      ++pos;
    bool integral = true;
    if (peek() == '.') {
      integral = false;
      ++pos;
      if (!isDigit(peek()))
        return fail("expected a digit after '.'");
      while (isDigit(peek()))
        ++pos;
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++pos;
      if (peek() == '+' || peek() == '-')
        ++pos;
      if (!isDigit(peek()))
        return fail("expected a digit in the exponent");
      while (isDigit(peek()))
        ++pos;
    }
    const char *first = text.data() + start;
    const char *last = text.data() + pos;
    if (integral) {
      int64_t v;
      auto [ptr, ec] = std::from_chars(first, last, v);
      if (ec == std::errc() && ptr == last) {
        out->kind = JsonValue::Kind::Integer;
        out->integer = v;
        out->number = double(v);
        return true;
      }
    }
    double d;
    auto [ptr, ec] = std::from_chars(first, last, d);
    if (ec != std::errc() || ptr != last || !std::isfinite(d)) {
      pos = start;
      return fail("number out of range");
    }
    out->kind = JsonValue::Kind::Number;
    out->number = d;
    return true;
  }

  std::string_view text;
  JsonLimits limits;
  size_t pos = 0;
  size_t values = 0;
  std::string error;
};

} // namespace

const JsonValue *JsonValue::get(std::string_view key) const {
  for (const auto &member : members)
    if (member.first == key)
      return &member.second;
  return nullptr;
}

const char *jsonKindName(JsonValue::Kind kind) {
  switch (kind) {
  case JsonValue::Kind::Null:
    return "null";
  case JsonValue::Kind::Bool:
    return "boolean";
  case JsonValue::Kind::Integer:
    return "integer";
  case JsonValue::Kind::Number:
    return "number";
  case JsonValue::Kind::String:
    return "string";
  case JsonValue::Kind::Array:
    return "array";
  case JsonValue::Kind::Object:
    return "object";
  }
  return "?";
}

bool parseJson(std::string_view text, JsonValue *out, std::string *error,
               JsonLimits limits) {
  if (text.size() > limits.maxBytes) {
    *error = "input of " + std::to_string(text.size()) +
             " bytes exceeds the limit of " + std::to_string(limits.maxBytes);
    return false;
  }
  Parser parser(text, limits);
  JsonValue value;
  if (!parser.parseDocument(&value)) {
    *error = parser.errorMessage();
    return false;
  }
  *out = std::move(value);
  return true;
}

} // namespace anima::rt
