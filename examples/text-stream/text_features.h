//===- text_features.h - Input preprocessing of the text model --*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The application side of the text-stream demo, shared by the driver
// (text_stream.cpp) and its test (tests/demos/text): hashing of the bytes
// seen so far into the model's sparse inputs, a wrapper over the compiled
// model (text_stream.mlir) that uses only the public runtime API, an adaptive
// order-0 baseline, and the default corpus (Debian's vim documentation).
//
// Context features, one per slot (slot j indexes rows in its own band of the
// model's readout table, so a step's indices are ascending and distinct by
// construction and never collide across slots):
//   slots 0..6  the last 0..6 bytes (order 0 and 1 index their band
//               directly; orders 2..6 are hashed into it)
//   slot 7      the current word (alphanumeric run) and the byte before it
//   slot 8      the current word and the previous word
//   slot 9      the byte above (same column, previous line), the column
//               (capped at 80) and the last byte
// A slot whose context does not exist yet (the first bytes) gets value 0.
//
// Memory key: the last 5, 7, 9, 12, 16 and 24 bytes, each hashed to a column
// of the memory; the columns are sorted, duplicates merged, and the key is
// padded to 6 entries with reserved columns of value 0.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_EXAMPLES_TEXT_STREAM_TEXT_FEATURES_H
#define ANIMA_EXAMPLES_TEXT_STREAM_TEXT_FEATURES_H

#include "anima/runtime/anima.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace textstream {

/// Context-feature slots and memory-key entries of the model's step.
constexpr int kSlots = 10;
constexpr int kKeyEntries = 6;
constexpr std::array<int, kKeyEntries> kKeyOrders = {5, 7, 9, 12, 16, 24};
/// Byte classes of the readout.
constexpr int kClasses = 256;
/// Rows at the top of the readout that the model itself activates (the
/// byte recalled by its memory, 8 strength levels each); the context bands
/// share the rows below.
constexpr uint64_t kRecallRows = 256 * 8;

/// splitmix64's finalizer.
inline uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// Hash of a byte string under `seed`.
inline uint64_t hashBytes(uint64_t seed, const uint8_t *begin,
                          const uint8_t *end) {
  uint64_t h = mix64(seed);
  for (const uint8_t *p = begin; p != end; ++p)
    h = mix64(h + *p + 1);
  return h;
}

/// True for bytes that belong to a word: letters, digits, non-ASCII.
inline bool isWordByte(uint8_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
         (c >= 'a' && c <= 'z') || c >= 0x80;
}

/// Turns the bytes seen so far into the sparse inputs of one step.
class Features {
public:
  /// `rows`: rows of the readout table (more than kRecallRows + 1024);
  /// `columns`: columns of the memory (more than kKeyEntries).
  Features(uint64_t rows, uint64_t columns) : columns(columns) {
    // Orders 0 and 1 get direct bands (1 and 256 rows); the other slots
    // share the remaining rows below the recall rows equally.
    size[0] = 1;
    size[1] = 256;
    const uint64_t share = (rows - kRecallRows - 257) / (kSlots - 2);
    for (int j = 2; j < kSlots; ++j)
      size[j] = share;
    uint64_t b = 0;
    for (int j = 0; j < kSlots; ++j) {
      base[j] = b;
      b += size[j];
    }
  }

  /// Fills the context features for predicting data[i] from data[0, i).
  void context(const uint8_t *data, size_t i, int32_t *idx, float *val) const {
    const uint8_t *end = data + i;
    auto put = [&](int j, uint64_t h, bool present) {
      idx[j] = int32_t(base[j] + (present ? h % size[j] : 0));
      val[j] = present ? 1.0f : 0.0f;
    };
    put(0, 0, true);
    put(1, i >= 1 ? end[-1] : 0, i >= 1);
    for (int o = 2; o <= 6; ++o)
      put(o, size_t(o) <= i ? hashBytes(o, end - o, end) : 0, size_t(o) <= i);

    // Current word, capped at 32 bytes, and the byte before it.
    size_t w = i;
    while (w > 0 && i - w < 32 && isWordByte(data[w - 1]))
      --w;
    const uint64_t word = hashBytes(7, data + w, end);
    put(7, mix64(word + (w > 0 ? data[w - 1] : 256)), true);
    // Previous word (skipping up to 8 separators), capped at 32 bytes.
    size_t pe = w;
    while (pe > 0 && w - pe < 8 && !isWordByte(data[pe - 1]))
      --pe;
    size_t pb = pe;
    while (pb > 0 && pe - pb < 32 && isWordByte(data[pb - 1]))
      --pb;
    put(8, hashBytes(word, data + pb, data + pe), true);

    // Column and the byte above it (lines longer than 256 are cut).
    size_t ls = i;
    while (ls > 0 && i - ls < 256 && data[ls - 1] != '\n')
      --ls;
    const size_t col = i - ls;
    uint64_t above = 257; // no previous line
    if (ls > 0 && data[ls - 1] == '\n') {
      size_t ps = ls - 1;
      while (ps > 0 && ls - 1 - ps < 256 && data[ps - 1] != '\n')
        --ps;
      above = ps + col < ls - 1 ? data[ps + col] : 256; // 256: line too short
    }
    uint64_t h = mix64(9 + above);
    h = mix64(h + std::min<size_t>(col, 80));
    h = mix64(h + (i >= 1 ? end[-1] : 256));
    put(9, h, true);
  }

  /// Fills the memory key of position i (context data[0, i)).
  void key(const uint8_t *data, size_t i, int32_t *idx, float *val) const {
    const uint64_t hashed = columns - kKeyEntries;
    std::array<uint32_t, kKeyEntries> cols;
    int n = 0;
    for (int o : kKeyOrders)
      if (size_t(o) <= i)
        cols[n++] = uint32_t(hashBytes(100 + o, data + i - o, data + i) %
                             hashed);
    // Insertion sort (at most 6 entries), then merge duplicates.
    for (int a = 1; a < n; ++a)
      for (int b = a; b > 0 && cols[b - 1] > cols[b]; --b)
        std::swap(cols[b - 1], cols[b]);
    int distinct = 0;
    for (int a = 0; a < n; ++a)
      if (distinct == 0 || cols[distinct - 1] != cols[a])
        cols[distinct++] = cols[a];
    n = distinct;
    const float v = 1.0f / std::sqrt(float(kKeyEntries));
    for (int j = 0; j < kKeyEntries; ++j) {
      const bool present = j < n;
      idx[j] = present ? int32_t(cols[j]) : int32_t(hashed + j);
      val[j] = present ? v : 0.0f;
    }
  }

private:
  uint64_t columns;
  std::array<uint64_t, kSlots> base{}, size{};
};

/// -log2 of the softmax probability of class `c` under `logits`.
inline double bitsOf(const float *logits, int c) {
  double m = logits[0];
  for (int j = 1; j < kClasses; ++j)
    m = std::max(m, double(logits[j]));
  double z = 0;
  for (int j = 0; j < kClasses; ++j)
    z += std::exp(double(logits[j]) - m);
  return -(double(logits[c]) - m - std::log(z)) / std::log(2.0);
}

/// Adaptive order-0 model (Krichevsky-Trofimov counts over 256 bytes).
class Order0 {
public:
  /// Returns -log2 p(c), then counts c.
  double code(uint8_t c) {
    const double p = (counts[c] + 0.5) / (total + 0.5 * kClasses);
    counts[c] += 1;
    total += 1;
    return -std::log2(p);
  }

private:
  std::array<double, kClasses> counts{};
  double total = 0;
};

/// The compiled text model, driven through anima.hpp.
class TextModel {
public:
  /// Opens the artifact; returns the failure as text ("" on success).
  std::string open(const std::string &path) {
    anima::Status s = anima::Model::openFile(path, &model);
    if (s.ok())
      s = model.findEntry("step", &entry);
    size_t readout = 0, memory = 0;
    if (s.ok())
      s = model.findState("readout", &readout);
    if (s.ok())
      s = model.findState("memory", &memory);
    anima_tensor_info r{}, m{};
    if (s.ok())
      s = model.stateInfo(readout, &r);
    if (s.ok())
      s = model.stateInfo(memory, &m);
    anima_entry_info e{};
    if (s.ok())
      s = model.entryInfo(entry, &e);
    if (!s.ok())
      return s.toString();
    if (e.input_count != 5 || e.inputs[0].shape[0] != kSlots ||
        e.inputs[2].shape[0] != kKeyEntries || r.rank != 2 ||
        r.shape[1] != kClasses || m.rank != 2 ||
        uint64_t(r.shape[0]) < kRecallRows + 1024 ||
        m.shape[1] <= kKeyEntries)
      return "the artifact is not a text-stream model";
    features = std::make_unique<Features>(uint64_t(r.shape[0]),
                                          uint64_t(m.shape[1]));
    return {};
  }

  /// Predicts data[i] from data[0, i) into `logits`, then learns it (scaled
  /// by the plasticity). With `useMemory` false the memory key is empty, so
  /// the memory is neither read nor written.
  std::string step(const uint8_t *data, size_t i, bool useMemory,
                   float *logits) {
    features->context(data, i, ctxIdx.data(), ctxVal.data());
    features->key(data, i, keyIdx.data(), keyVal.data());
    if (!useMemory)
      std::fill(keyVal.begin(), keyVal.end(), 0.0f);
    int32_t next = data[i];
    anima_buffer in[5] = {anima::i32Buffer(ctxIdx.data(), kSlots),
                          anima::f32Buffer(ctxVal.data(), kSlots),
                          anima::i32Buffer(keyIdx.data(), kKeyEntries),
                          anima::f32Buffer(keyVal.data(), kKeyEntries),
                          anima::i32Buffer(&next, 1)};
    anima_buffer out = anima::f32Buffer(logits, kClasses);
    anima::Status s = model.step(entry, in, 5, &out, 1);
    return s.ok() ? std::string() : s.toString();
  }

  /// The underlying model (plasticity, snapshots, reset).
  anima::Model &get() { return model; }

private:
  anima::Model model;
  size_t entry = 0;
  std::unique_ptr<Features> features;
  std::array<int32_t, kSlots> ctxIdx{};
  std::array<float, kSlots> ctxVal{};
  std::array<int32_t, kKeyEntries> keyIdx{};
  std::array<float, kKeyEntries> keyVal{};
};

/// Reads the default corpus: /usr/share/vim/vim*/doc/*.txt (the first vim*
/// folder with a doc/ folder), sorted by name, concatenated, at most `limit`
/// bytes. Returns "" or what is wrong.
inline std::string loadVimDocs(size_t limit, std::vector<uint8_t> *out,
                               std::string *folder = nullptr) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> roots;
  for (const fs::directory_entry &e :
       fs::directory_iterator("/usr/share/vim", ec))
    if (e.path().filename().string().rfind("vim", 0) == 0 &&
        fs::is_directory(e.path() / "doc", ec))
      roots.push_back(e.path() / "doc");
  if (roots.empty())
    return "no /usr/share/vim/vim*/doc (install vim-runtime)";
  std::sort(roots.begin(), roots.end());
  std::vector<std::string> files;
  for (const fs::directory_entry &e : fs::directory_iterator(roots[0], ec))
    if (e.path().extension() == ".txt")
      files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  if (folder)
    *folder = roots[0].string();
  out->clear();
  for (const std::string &f : files) {
    FILE *fp = std::fopen(f.c_str(), "rb");
    if (!fp)
      return "cannot read " + f;
    uint8_t buf[65536];
    size_t n;
    while (out->size() < limit && (n = std::fread(buf, 1, sizeof buf, fp)))
      out->insert(out->end(), buf,
                  buf + std::min(n, limit - out->size()));
    std::fclose(fp);
    if (out->size() >= limit)
      break;
  }
  return out->empty() ? "the vim documentation is empty" : std::string();
}

/// Reads at most `limit` bytes of `path`. Returns "" or what is wrong.
inline std::string loadFile(const std::string &path, size_t limit,
                            std::vector<uint8_t> *out) {
  FILE *fp = std::fopen(path.c_str(), "rb");
  if (!fp)
    return "cannot open " + path;
  out->clear();
  uint8_t buf[65536];
  size_t n;
  while (out->size() < limit && (n = std::fread(buf, 1, sizeof buf, fp)))
    out->insert(out->end(), buf, buf + std::min(n, limit - out->size()));
  std::fclose(fp);
  return {};
}

} // namespace textstream

#endif // ANIMA_EXAMPLES_TEXT_STREAM_TEXT_FEATURES_H
