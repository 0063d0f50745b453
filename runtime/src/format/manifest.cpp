//===- manifest.cpp - Decoding the artifact manifest ----------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//

#include "format/manifest.h"

#include "format/json.h"
#include "support/bytes.h"
#include "support/status.h"

#include <cstring>
#include <set>

namespace anima::rt {
namespace {

using ull = unsigned long long;

/// Decodes the fields of one JSON object, prefixing errors with `where`
/// (e.g. `entry_points[0] ("step")`).
class Fields {
public:
  Fields(const JsonValue &object, std::string where)
      : object(object), where(std::move(where)) {}

  /// Returns the location prefix of messages.
  const char *at() const { return where.c_str(); }

  /// Reads the string `key`; absent and not `required`: `fallback`.
  anima_status_t string(const char *key, bool required, std::string *out,
                        std::string fallback = "") const {
    const JsonValue *v = object.get(key);
    if (!v) {
      if (required)
        return missing(key);
      *out = std::move(fallback);
      return nullptr;
    }
    if (!v->isString())
      return wrongType(key, "a string", *v);
    *out = v->string;
    return nullptr;
  }

  /// Reads the non-negative integer `key` (required).
  anima_status_t count(const char *key, uint64_t *out) const {
    const JsonValue *v = object.get(key);
    if (!v)
      return missing(key);
    if (!v->isInteger() || v->integer < 0)
      return wrongType(key, "a non-negative integer", *v);
    *out = uint64_t(v->integer);
    return nullptr;
  }

  /// Returns the array `key`, or an error if it is absent or not an array.
  anima_status_t array(const char *key, const JsonValue **out) const {
    const JsonValue *v = object.get(key);
    if (!v)
      return missing(key);
    if (!v->isArray())
      return wrongType(key, "an array", *v);
    *out = v;
    return nullptr;
  }

  /// Returns the raw member `key` (nullptr when absent).
  const JsonValue *raw(const char *key) const { return object.get(key); }

  /// Returns an error for the absent member `key`.
  anima_status_t missing(const char *key) const {
    return makeStatus(ANIMA_STATUS_DATA_LOSS, "%s: missing \"%s\"", at(), key);
  }

  /// Returns an error for the member `key` of the wrong type.
  anima_status_t wrongType(const char *key, const char *expected,
                           const JsonValue &v) const {
    return makeStatus(ANIMA_STATUS_DATA_LOSS, "%s: \"%s\" must be %s, not %s",
                      at(), key, expected, jsonKindName(v.kind));
  }

private:
  const JsonValue &object;
  std::string where;
};

/// Returns true iff `name` is usable as a tensor or entry name: non-empty,
/// at most 255 bytes, no control characters.
bool isValidName(const std::string &name) {
  if (name.empty() || name.size() > 255)
    return false;
  for (char c : name)
    if (static_cast<unsigned char>(c) < 0x20)
      return false;
  return true;
}

/// Returns true iff `s` is a C identifier (an exported symbol name).
bool isIdentifier(const std::string &s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9'))
    return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_';
    if (!ok)
      return false;
  }
  return true;
}

/// Formats `shape` as "[4, 3]".
std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

/// Returns `where (name)` for messages.
std::string named(const std::string &where, const std::string &name) {
  return where + " (\"" + name + "\")";
}

/// Decodes name, dtype, shape and (optionally required) bytes of a tensor.
anima_status_t parseTensor(const JsonValue &v, const std::string &where,
                           bool bytesRequired, TensorDesc *out) {
  if (!v.isObject())
    return makeStatus(ANIMA_STATUS_DATA_LOSS, "%s: must be an object, not %s",
                      where.c_str(), jsonKindName(v.kind));
  Fields top(v, where);
  if (anima_status_t s = top.string("name", true, &out->name))
    return s;
  if (!isValidName(out->name))
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "%s: \"name\" must be 1 to 255 bytes without control "
                      "characters",
                      where.c_str());
  Fields f(v, named(where, out->name));
  std::string dtype;
  if (anima_status_t s = f.string("dtype", true, &dtype))
    return s;
  if (dtype == "f32")
    out->dtype = ANIMA_DTYPE_F32;
  else if (dtype == "i32")
    out->dtype = ANIMA_DTYPE_I32;
  else
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "%s: unknown dtype \"%s\" (known: f32, i32)", f.at(),
                      dtype.c_str());
  const JsonValue *shape = nullptr;
  if (anima_status_t s = f.array("shape", &shape))
    return s;
  if (shape->items.size() > kMaxRank)
    return makeStatus(ANIMA_STATUS_RESOURCE_EXHAUSTED,
                      "%s: rank %zu exceeds the limit of %zu", f.at(),
                      shape->items.size(), kMaxRank);
  uint64_t bytes = dtypeSize(out->dtype);
  bool overflow = false;
  out->shape.clear();
  for (const JsonValue &dim : shape->items) {
    if (!dim.isInteger() || dim.integer < 0)
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "%s: \"shape\" must hold non-negative integers",
                        f.at());
    out->shape.push_back(dim.integer);
    overflow |= !checkedMul(bytes, uint64_t(dim.integer), &bytes);
  }
  if (overflow || bytes > kMaxTensorBytes)
    return makeStatus(ANIMA_STATUS_RESOURCE_EXHAUSTED,
                      "%s: shape %s of %s exceeds the limit of %llu bytes",
                      f.at(), shapeText(out->shape).c_str(), dtype.c_str(),
                      ull(kMaxTensorBytes));
  out->bytes = bytes;
  if (!bytesRequired && !f.raw("bytes"))
    return nullptr;
  uint64_t declared = 0;
  if (anima_status_t s = f.count("bytes", &declared))
    return s;
  if (declared != bytes)
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "%s: \"bytes\" is %llu, the shape %s of %s needs %llu",
                      f.at(), ull(declared), shapeText(out->shape).c_str(),
                      dtype.c_str(), ull(bytes));
  return nullptr;
}

/// Rejects a second tensor of the same name within one list.
anima_status_t checkUnique(std::set<std::string> *seen,
                           const std::string &where, const std::string &name) {
  if (seen->insert(name).second)
    return nullptr;
  return makeStatus(ANIMA_STATUS_DATA_LOSS, "%s: duplicate name \"%s\"",
                    where.c_str(), name.c_str());
}

/// Decodes the "state" array.
anima_status_t parseStates(const Fields &root, Manifest *out) {
  const JsonValue *states = nullptr;
  if (anima_status_t s = root.array("state", &states))
    return s;
  std::set<std::string> seen;
  for (size_t i = 0; i < states->items.size(); ++i) {
    std::string where = "state[" + std::to_string(i) + "]";
    StateDesc state;
    const JsonValue &v = states->items[i];
    if (anima_status_t s = parseTensor(v, where, true, &state.tensor))
      return s;
    Fields f(v, named(where, state.tensor.name));
    if (anima_status_t s = checkUnique(&seen, "state", state.tensor.name))
      return s;
    if (anima_status_t s = f.count("init_offset", &state.initOffset))
      return s;
    if (state.initOffset % 64 != 0)
      return makeStatus(ANIMA_STATUS_DATA_LOSS,
                        "%s: \"init_offset\" %llu is not a multiple of 64",
                        f.at(), ull(state.initOffset));
    std::string guard;
    if (anima_status_t s = f.string("guard", true, &guard))
      return s;
    if (guard == "journal")
      state.guard = Guard::Journal;
    else if (guard == "copy")
      state.guard = Guard::Copy;
    else
      return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                        "%s: unknown guard \"%s\" (known: journal, copy)",
                        f.at(), guard.c_str());
    out->states.push_back(std::move(state));
  }
  return nullptr;
}

/// Decodes the "inputs" or "outputs" array of an entry point.
anima_status_t parseTensorList(const Fields &f, const char *key,
                               std::vector<TensorDesc> *out) {
  const JsonValue *list = nullptr;
  if (anima_status_t s = f.array(key, &list))
    return s;
  std::set<std::string> seen;
  for (size_t i = 0; i < list->items.size(); ++i) {
    std::string where =
        std::string(f.at()) + ": " + key + "[" + std::to_string(i) + "]";
    TensorDesc tensor;
    if (anima_status_t s = parseTensor(list->items[i], where, false, &tensor))
      return s;
    Fields tf(list->items[i], named(where, tensor.name));
    if (std::strcmp(key, "inputs") == 0 && tf.raw("index_bound")) {
      if (anima_status_t s = tf.count("index_bound", &tensor.indexBound))
        return s;
      if (tensor.dtype != ANIMA_DTYPE_I32 || tensor.indexBound == 0 ||
          tensor.indexBound > uint64_t(INT32_MAX) + 1)
        return makeStatus(ANIMA_STATUS_DATA_LOSS,
                          "%s: \"index_bound\" must be in [1, 2^31] and "
                          "belongs to an i32 input",
                          tf.at());
    }
    if (anima_status_t s =
            checkUnique(&seen, std::string(f.at()) + ": " + key, tensor.name))
      return s;
    out->push_back(std::move(tensor));
  }
  return nullptr;
}

/// Decodes one element of "entry_points".
anima_status_t parseEntry(const JsonValue &v, const std::string &where,
                          EntryDesc *entry) {
  if (!v.isObject())
    return makeStatus(ANIMA_STATUS_DATA_LOSS, "%s: must be an object, not %s",
                      where.c_str(), jsonKindName(v.kind));
  if (anima_status_t s = Fields(v, where).string("name", true, &entry->name))
    return s;
  if (!isIdentifier(entry->name))
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "%s: \"name\" must be a C identifier", where.c_str());
  Fields f(v, named(where, entry->name));
  if (anima_status_t s = f.string("symbol", false, &entry->symbol,
                                  "anima_entry_" + entry->name))
    return s;
  if (!isIdentifier(entry->symbol))
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "%s: \"symbol\" must be a C identifier", f.at());
  if (anima_status_t s = parseTensorList(f, "inputs", &entry->inputs))
    return s;
  if (anima_status_t s = parseTensorList(f, "outputs", &entry->outputs))
    return s;
  if (anima_status_t s = f.count("journal_bytes", &entry->journalBytes))
    return s;
  if (entry->journalBytes > kMaxJournalBytes)
    return makeStatus(ANIMA_STATUS_RESOURCE_EXHAUSTED,
                      "%s: \"journal_bytes\" %llu exceeds the limit of %llu",
                      f.at(), ull(entry->journalBytes), ull(kMaxJournalBytes));
  return nullptr;
}

/// Decodes the "entry_points" array.
anima_status_t parseEntries(const Fields &root, Manifest *out) {
  const JsonValue *entries = nullptr;
  if (anima_status_t s = root.array("entry_points", &entries))
    return s;
  std::set<std::string> seen;
  for (size_t i = 0; i < entries->items.size(); ++i) {
    EntryDesc entry;
    std::string where = "entry_points[" + std::to_string(i) + "]";
    if (anima_status_t s = parseEntry(entries->items[i], where, &entry))
      return s;
    if (anima_status_t s = checkUnique(&seen, "entry_points", entry.name))
      return s;
    out->entries.push_back(std::move(entry));
  }
  return nullptr;
}

/// Decodes the "targets" array.
anima_status_t parseTargets(const Fields &root, Manifest *out) {
  const JsonValue *targets = nullptr;
  if (anima_status_t s = root.array("targets", &targets))
    return s;
  for (size_t i = 0; i < targets->items.size(); ++i) {
    std::string where = "targets[" + std::to_string(i) + "]";
    const JsonValue &v = targets->items[i];
    if (!v.isObject())
      return makeStatus(ANIMA_STATUS_DATA_LOSS, "%s: must be an object, not %s",
                        where.c_str(), jsonKindName(v.kind));
    Fields f(v, where);
    TargetDesc target;
    if (anima_status_t s = f.string("backend", true, &target.backend))
      return s;
    if (anima_status_t s = f.string("triple", false, &target.triple))
      return s;
    if (anima_status_t s = f.string("section", true, &target.section))
      return s;
    if (anima_status_t s = f.string("schedule", false, &target.schedule))
      return s;
    out->targets.push_back(std::move(target));
  }
  return nullptr;
}

/// Checks "format" and "format_version".
anima_status_t checkFormat(const Fields &root) {
  std::string format;
  if (anima_status_t s = root.string("format", true, &format))
    return s;
  if (format != "anima-artifact")
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "\"format\" is \"%s\", expected \"anima-artifact\"",
                      format.c_str());
  uint64_t version = 0;
  if (anima_status_t s = root.count("format_version", &version))
    return s;
  if (version != 1)
    return makeStatus(ANIMA_STATUS_INCOMPATIBLE,
                      "\"format_version\" %llu, this runtime reads version 1",
                      ull(version));
  return nullptr;
}

/// Decodes the whole manifest from its parsed JSON.
anima_status_t decode(const JsonValue &json, Manifest *out) {
  if (!json.isObject())
    return makeStatus(ANIMA_STATUS_DATA_LOSS,
                      "the top level must be an object, not %s",
                      jsonKindName(json.kind));
  Fields root(json, "top-level object");
  if (anima_status_t s = checkFormat(root))
    return s;
  if (anima_status_t s = root.string("model", false, &out->model))
    return s;
  if (anima_status_t s = root.string("producer", false, &out->producer))
    return s;
  if (anima_status_t s = parseStates(root, out))
    return s;
  if (anima_status_t s = parseEntries(root, out))
    return s;
  return parseTargets(root, out);
}

} // namespace

size_t dtypeSize(anima_dtype_t dtype) {
  switch (dtype) {
  case ANIMA_DTYPE_F32:
  case ANIMA_DTYPE_I32:
    return 4;
  case ANIMA_DTYPE_MAX_ENUM:
    break;
  }
  return 0;
}

anima_status_t parseManifest(std::string_view text, Manifest *out) {
  JsonValue json;
  std::string error;
  if (!parseJson(text, &json, &error))
    return makeStatus(ANIMA_STATUS_DATA_LOSS, "manifest: invalid JSON: %s",
                      error.c_str());
  Manifest manifest;
  if (anima_status_t s = decode(json, &manifest))
    return annotate(s, "manifest");
  *out = std::move(manifest);
  return nullptr;
}

} // namespace anima::rt
