//===- recall_stream.h - Associative-recall streams and scoring -*- C++ -*-===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
// The application side of the associative-recall demo, shared by the driver
// (recall.cpp) and its test (tests/demos/recall): a seeded generator of
// MQAR-style streams (key/value bindings, distractor bindings, re-bindings,
// then queries), a thin wrapper over the compiled model (recall.mlir) that
// uses only the public runtime API, and the recall score.
//
// Keys are correlated: every key of an episode is
//   k = normalize(sqrt(rho) * m + sqrt(1 - rho) * g),   m, g ~ N(0, I_64)/8
// with one shared direction m per episode, so two keys have cosine ~ rho.
// Values are independent unit Gaussian vectors (d_v = 64).
//
// Recall of a query is correct when the value the memory reads is nearer (by
// cosine) to the value bound last to the query's key than to every other
// value written in the episode (queried, distractor and overwritten values
// alike): a nearest-neighbour clean-up over the episode's candidates.
//
//===----------------------------------------------------------------------===//

#ifndef ANIMA_EXAMPLES_RECALL_RECALL_STREAM_H
#define ANIMA_EXAMPLES_RECALL_RECALL_STREAM_H

#include "anima/runtime/anima.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace recall {

/// Key and value width of the model.
constexpr int kDim = 64;
/// Write rules and key codings of the model's memories.
enum Rule { kHebb = 0, kDelta = 1, kGated = 2 };
enum Coding { kDense = 0, kKwta1k = 1, kKwta4k = 2 };
constexpr int kRules = 3;
constexpr int kCodings = 3;
constexpr int kMemories = kRules * kCodings;

/// Returns the name of write rule `r`.
inline const char *ruleName(int r) {
  static const char *names[kRules] = {"hebb", "delta", "gated"};
  return names[r];
}
/// Returns the name of key coding `c`.
inline const char *codingName(int c) {
  static const char *names[kCodings] = {"dense", "kwta 1024", "kwta 4096"};
  return names[c];
}
/// Index of memory (rule, coding) among the @read outputs (coding-major:
/// hebb, delta, gated of each coding, as recall.mlir orders them).
constexpr int memoryIndex(int rule, int coding) {
  return coding * kRules + rule;
}

using Vec = std::array<float, kDim>;

/// splitmix64 stream: uniform [0, 1) and standard normal (Box-Muller).
class Rng {
public:
  explicit Rng(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  double normal() {
    const double u = uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(1.0 - u)) * std::cos(6.283185307179586 * v);
  }
  /// Returns an integer in [0, n).
  size_t below(size_t n) { return size_t(uniform() * double(n)); }

private:
  uint64_t state;
};

/// Scales `v` to unit length (a zero vector stays zero).
inline void normalize(Vec &v) {
  double s = 0;
  for (float x : v)
    s += double(x) * x;
  const float inv = s > 0 ? float(1.0 / std::sqrt(s)) : 0.0f;
  for (float &x : v)
    x *= inv;
}

/// Returns the cosine of `a` and `b` (-2 when either is zero).
inline float cosine(const Vec &a, const Vec &b) {
  double ab = 0, aa = 0, bb = 0;
  for (int i = 0; i < kDim; ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return aa > 0 && bb > 0 ? float(ab / std::sqrt(aa * bb)) : -2.0f;
}

/// Draws the keys of one episode around a shared direction (cosine ~ rho).
class KeySource {
public:
  KeySource(Rng &rng, double rho) : rng(rng), a(std::sqrt(rho)),
                                    b(std::sqrt(1.0 - rho)) {
    for (float &x : common)
      x = float(rng.normal());
  }
  Vec next() {
    Vec k;
    for (int i = 0; i < kDim; ++i)
      k[i] = float(a * common[i] + b * rng.normal());
    normalize(k);
    return k;
  }

private:
  Rng &rng;
  double a, b;
  Vec common;
};

/// Returns a random unit vector (a value).
inline Vec randomValue(Rng &rng) {
  Vec v;
  for (float &x : v)
    x = float(rng.normal());
  normalize(v);
  return v;
}

/// The compiled recall model (recall.mlir), driven through anima.hpp.
class Memories {
public:
  /// Opens the artifact; returns the failure as text ("" on success).
  std::string open(const std::string &path) {
    anima::Status s = anima::Model::openFile(path, &model);
    if (s.ok())
      s = model.findEntry("write", &writeEntry);
    if (s.ok())
      s = model.findEntry("read", &readEntry);
    anima_entry_info w{}, r{};
    if (s.ok())
      s = model.entryInfo(writeEntry, &w);
    if (s.ok())
      s = model.entryInfo(readEntry, &r);
    if (!s.ok())
      return s.toString();
    if (w.input_count != 2 || w.output_count != 0 || r.input_count != 1 ||
        r.output_count != kMemories || r.inputs[0].bytes != sizeof(Vec))
      return "the artifact is not a recall model";
    return {};
  }
  /// Forgets every binding (the artifact's initial state).
  std::string reset() { return check(model.reset()); }
  /// Binds `value` to `key` in all memories.
  std::string write(const Vec &key, const Vec &value) {
    anima_buffer in[2] = {anima::f32Buffer(key.data(), kDim),
                          anima::f32Buffer(value.data(), kDim)};
    return check(model.step(writeEntry, in, 2, nullptr, 0));
  }
  /// Reads what every memory recalls for `key` (the state is untouched).
  std::string read(const Vec &key, std::array<Vec, kMemories> *out) {
    anima_buffer in = anima::f32Buffer(key.data(), kDim);
    anima_buffer o[kMemories];
    for (int m = 0; m < kMemories; ++m)
      o[m] = anima::f32Buffer((*out)[m].data(), kDim);
    return check(model.step(readEntry, &in, 1, o, kMemories));
  }

  /// The underlying model (plasticity, state, snapshots).
  anima::Model &get() { return model; }

private:
  static std::string check(const anima::Status &s) {
    return s.ok() ? std::string() : s.toString();
  }
  anima::Model model;
  size_t writeEntry = 0, readEntry = 0;
};

/// Options of one experiment.
struct StreamOptions {
  double rho = 0.65;         ///< cosine between two keys of an episode
  double distractors = 0.0;  ///< distractor bindings per queried pair
  uint64_t seed = 1;         ///< stream seed
};

/// Recall counts of one experiment, per memory.
struct Score {
  std::array<size_t, kMemories> latest{}; ///< recalled the latest value
  std::array<size_t, kMemories> stale{};  ///< recalled an overwritten value
  size_t queries = 0;
  double rate(int m) const { return queries ? double(latest[m]) / queries : 0; }
  double staleRate(int m) const {
    return queries ? double(stale[m]) / queries : 0;
  }
};

/// Number of bindings a capacity episode of `pairs` pairs writes.
inline int capacityWrites(int pairs, const StreamOptions &opt) {
  return pairs + int(std::lround(opt.distractors * pairs));
}
/// Number of bindings a re-binding episode of `pairs` keys writes.
inline int rebindingWrites(int pairs, const StreamOptions &opt) {
  return 2 * pairs + int(std::lround(opt.distractors * pairs));
}

namespace detail {
/// A binding the stream writes: key, value, and whether it is queried.
struct Binding {
  int key;    ///< index into the episode's keys
  int value;  ///< index into the episode's values
};

/// Scores the reads of `queries` (key index -> expected value index) against
/// every value of the episode; `stale[k]` is the value index key k held
/// before its re-binding (-1 if none).
inline std::string scoreQueries(Memories &mem, const std::vector<Vec> &keys,
                                const std::vector<Vec> &values,
                                const std::vector<std::pair<int, int>> &queries,
                                const std::vector<int> &stale, Score *score) {
  std::array<Vec, kMemories> read;
  for (auto [k, expected] : queries) {
    if (std::string e = mem.read(keys[k], &read); !e.empty())
      return e;
    for (int m = 0; m < kMemories; ++m) {
      int best = -1;
      float bestCos = -3.0f;
      for (size_t v = 0; v < values.size(); ++v) {
        const float c = cosine(read[m], values[v]);
        if (c > bestCos) {
          bestCos = c;
          best = int(v);
        }
      }
      score->latest[m] += best == expected;
      score->stale[m] += stale[k] >= 0 && best == stale[k];
    }
    ++score->queries;
  }
  return {};
}
} // namespace detail

/// Capacity: `episodes` streams of `pairs` bindings (plus
/// `distractors * pairs` distractor bindings, interleaved at random and
/// never queried), then one query per pair. Returns "" or the failure.
inline std::string runCapacity(Memories &mem, int pairs, int episodes,
                               const StreamOptions &opt, Score *score) {
  Rng rng(opt.seed * 0x100000001B3ull + uint64_t(pairs));
  const int nDistract = int(std::lround(opt.distractors * pairs));
  for (int e = 0; e < episodes; ++e) {
    if (std::string err = mem.reset(); !err.empty())
      return err;
    KeySource keySource(rng, opt.rho);
    std::vector<Vec> keys, values;
    std::vector<detail::Binding> stream;
    for (int i = 0; i < pairs + nDistract; ++i) {
      keys.push_back(keySource.next());
      values.push_back(randomValue(rng));
      stream.push_back({i, i});
    }
    // Shuffle so distractors are interleaved with the queried pairs.
    for (size_t i = stream.size(); i > 1; --i)
      std::swap(stream[i - 1], stream[rng.below(i)]);
    for (const detail::Binding &b : stream)
      if (std::string err = mem.write(keys[b.key], values[b.value]);
          !err.empty())
        return err;
    std::vector<std::pair<int, int>> queries;
    for (int i = 0; i < pairs; ++i)
      queries.push_back({i, i});
    for (size_t i = queries.size(); i > 1; --i)
      std::swap(queries[i - 1], queries[rng.below(i)]);
    std::vector<int> stale(keys.size(), -1);
    if (std::string err =
            detail::scoreQueries(mem, keys, values, queries, stale, score);
        !err.empty())
      return err;
  }
  return {};
}

/// Re-binding: `pairs` keys are bound, then every key is re-bound to a new
/// value (in a new random order, interleaved with the distractors), then each
/// key is queried; correct = the latest value. Returns "" or the failure.
inline std::string runRebinding(Memories &mem, int pairs, int episodes,
                                const StreamOptions &opt, Score *score) {
  Rng rng(opt.seed * 0x100000001B3ull + 0xB1D + uint64_t(pairs));
  const int nDistract = int(std::lround(opt.distractors * pairs));
  for (int e = 0; e < episodes; ++e) {
    if (std::string err = mem.reset(); !err.empty())
      return err;
    KeySource keySource(rng, opt.rho);
    std::vector<Vec> keys, values;
    for (int i = 0; i < pairs + nDistract; ++i)
      keys.push_back(keySource.next());
    // Values: 0..pairs-1 first bindings, pairs..2*pairs-1 re-bindings, then
    // the distractors'.
    for (int i = 0; i < 2 * pairs + nDistract; ++i)
      values.push_back(randomValue(rng));
    std::vector<detail::Binding> first, second;
    for (int i = 0; i < pairs; ++i) {
      first.push_back({i, i});
      second.push_back({i, pairs + i});
    }
    for (int i = 0; i < nDistract; ++i)
      (i % 2 ? second : first).push_back({pairs + i, 2 * pairs + i});
    for (auto *phase : {&first, &second}) {
      for (size_t i = phase->size(); i > 1; --i)
        std::swap((*phase)[i - 1], (*phase)[rng.below(i)]);
      for (const detail::Binding &b : *phase)
        if (std::string err = mem.write(keys[b.key], values[b.value]);
            !err.empty())
          return err;
    }
    std::vector<std::pair<int, int>> queries;
    std::vector<int> stale(keys.size(), -1);
    for (int i = 0; i < pairs; ++i) {
      queries.push_back({i, pairs + i});
      stale[i] = i;
    }
    if (std::string err =
            detail::scoreQueries(mem, keys, values, queries, stale, score);
        !err.empty())
      return err;
  }
  return {};
}

} // namespace recall

#endif // ANIMA_EXAMPLES_RECALL_RECALL_STREAM_H
