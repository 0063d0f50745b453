//===- recall.cpp - Associative-recall demo driver ------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
//   anima-recall [--model recall.anima] [--pairs 8,16,32,64,128,256]
//                [--queries Q] [--rho R] [--distractors D]
//                [--rebind-pairs N] [--rebind-distractors D] [--seed S]
//
// Streams MQAR-style episodes through the compiled recall model (nine
// memories: Hebbian, delta and gated writes, each with dense keys and with
// keys re-coded by a random expansion to 1024 or 4096 units and k-WTA) and
// prints recall against the number of stored pairs, and re-binding accuracy.
// See README.md for the stream and the score.
//
//===----------------------------------------------------------------------===//

#include "recall_stream.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#ifndef ANIMA_RECALL_MODEL
#define ANIMA_RECALL_MODEL "recall.anima"
#endif

namespace {

struct Options {
  std::string model = ANIMA_RECALL_MODEL;
  std::vector<int> pairs = {8, 16, 32, 64, 128, 256};
  int queries = 2048;   ///< queries per row (episodes = queries / pairs)
  int rebindPairs = 8; ///< keys per re-binding episode
  double rebindDistractors = 1.0; ///< distractors per key when re-binding
  recall::StreamOptions stream;
};

void usage() {
  std::fprintf(stderr,
               "usage: anima-recall [--model FILE] [--pairs N,N,...] "
               "[--queries Q] [--rho R]\n"
               "                    [--distractors D] [--rebind-pairs N] "
               "[--rebind-distractors D] [--seed S]\n");
}

bool parse(int argc, char **argv, Options *o) {
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : nullptr;
    auto take = [&]() {
      ++i;
      return v;
    };
    if (!std::strcmp(a, "--help")) {
      usage();
      std::exit(0);
    }
    if (!v) {
      usage();
      return false;
    }
    if (!std::strcmp(a, "--model")) {
      o->model = take();
    } else if (!std::strcmp(a, "--pairs")) {
      o->pairs.clear();
      std::string list = take();
      for (size_t p = 0; p < list.size();) {
        size_t q = list.find(',', p);
        if (q == std::string::npos)
          q = list.size();
        o->pairs.push_back(std::atoi(list.substr(p, q - p).c_str()));
        p = q + 1;
      }
    } else if (!std::strcmp(a, "--queries")) {
      o->queries = std::atoi(take());
    } else if (!std::strcmp(a, "--rho")) {
      o->stream.rho = std::atof(take());
    } else if (!std::strcmp(a, "--distractors")) {
      o->stream.distractors = std::atof(take());
    } else if (!std::strcmp(a, "--rebind-distractors")) {
      o->rebindDistractors = std::atof(take());
    } else if (!std::strcmp(a, "--rebind-pairs")) {
      o->rebindPairs = std::atoi(take());
    } else if (!std::strcmp(a, "--seed")) {
      o->stream.seed = std::strtoull(take(), nullptr, 10);
    } else {
      usage();
      return false;
    }
  }
  for (int p : o->pairs)
    if (p < 1)
      return false;
  return o->queries > 0 && o->rebindPairs > 0 && o->stream.rho >= 0 &&
         o->stream.rho < 1 && o->stream.distractors >= 0 &&
         o->rebindDistractors >= 0;
}

int episodesFor(int pairs, int queries) {
  return std::max(1, (queries + pairs - 1) / pairs);
}

} // namespace

int main(int argc, char **argv) {
  Options opt;
  if (!parse(argc, argv, &opt))
    return 2;
  recall::Memories mem;
  if (std::string e = mem.open(opt.model); !e.empty()) {
    std::fprintf(stderr, "anima-recall: %s: %s\n", opt.model.c_str(),
                 e.c_str());
    return 1;
  }
  std::printf("# associative recall: d_k = d_v = 64, key cosine rho = %.2f, "
              "%.2f distractor bindings per pair, seed %llu\n",
              opt.stream.rho, opt.stream.distractors,
              (unsigned long long)opt.stream.seed);
  std::printf("# re-binding: %d keys bound, then re-bound to new values, "
              "with %.2f distractor bindings per key\n",
              opt.rebindPairs, opt.rebindDistractors);
  std::printf("# recall = the read value is nearest (cosine) to the key's "
              "latest value among all values of the episode\n\n");

  const auto t0 = std::chrono::steady_clock::now();
  size_t writes = 0, reads = 0;
  std::vector<recall::Score> capacity(opt.pairs.size());
  for (size_t i = 0; i < opt.pairs.size(); ++i) {
    const int pairs = opt.pairs[i];
    const int episodes = episodesFor(pairs, opt.queries);
    if (std::string e = recall::runCapacity(mem, pairs, episodes, opt.stream,
                                            &capacity[i]);
        !e.empty()) {
      std::fprintf(stderr, "anima-recall: %s\n", e.c_str());
      return 1;
    }
    writes += size_t(episodes) * size_t(recall::capacityWrites(pairs, opt.stream));
    reads += capacity[i].queries;
  }
  recall::Score rebind;
  recall::StreamOptions rebindStream = opt.stream;
  rebindStream.distractors = opt.rebindDistractors;
  const int episodes = episodesFor(opt.rebindPairs, opt.queries);
  if (std::string e = recall::runRebinding(mem, opt.rebindPairs, episodes,
                                           rebindStream, &rebind);
      !e.empty()) {
    std::fprintf(stderr, "anima-recall: %s\n", e.c_str());
    return 1;
  }
  writes += size_t(episodes) *
            size_t(recall::rebindingWrites(opt.rebindPairs, rebindStream));
  reads += rebind.queries;
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();

  std::printf("| key coding | write |");
  for (int pairs : opt.pairs)
    std::printf(" %d pairs |", pairs);
  std::printf(" re-bound: latest | re-bound: old |\n|---|---|");
  for (size_t i = 0; i < opt.pairs.size(); ++i)
    std::printf("---|");
  std::printf("---|---|\n");
  for (int c = 0; c < recall::kCodings; ++c) {
    for (int r = 0; r < recall::kRules; ++r) {
      const int m = recall::memoryIndex(r, c);
      std::printf("| %s | %s |", recall::codingName(c), recall::ruleName(r));
      for (const recall::Score &s : capacity)
        std::printf(" %.1f%% |", 100.0 * s.rate(m));
      std::printf(" %.1f%% | %.1f%% |\n", 100.0 * rebind.rate(m),
                  100.0 * rebind.staleRate(m));
    }
  }
  std::printf("\n# %zu write steps, %zu read steps in %.2f s (%.1f us per "
              "step)\n",
              writes, reads, secs, 1e6 * secs / double(writes + reads));
  return 0;
}
