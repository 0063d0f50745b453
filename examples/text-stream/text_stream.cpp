//===- text_stream.cpp - Text-stream demo driver --------------------------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
//   anima-text-stream [--model text_stream.anima] [--input FILE]
//                     [--bytes N] [--plasticity P] [--freeze-after N]
//                     [--no-memory] [--progress N] [--dump-input FILE]
//
// Streams a file through the compiled text model one byte at a time: the
// model predicts the byte, the driver scores the prediction (prequential
// log loss: -log2 p(actual byte) before the model learns from it), then the
// same step learns from the byte. Prints bits per character, characters per
// second, and an adaptive order-0 baseline on the same bytes.
//
// Default input: the first 2,000,000 bytes of Debian's vim documentation
// (/usr/share/vim/vim*/doc/*.txt, sorted, concatenated).
//
//===----------------------------------------------------------------------===//

#include "text_features.h"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#ifndef ANIMA_TEXT_STREAM_MODEL
#define ANIMA_TEXT_STREAM_MODEL "text_stream.anima"
#endif

namespace {

struct Options {
  std::string model = ANIMA_TEXT_STREAM_MODEL;
  std::string input;     ///< empty: the vim documentation
  std::string dumpInput; ///< write the bytes used here
  size_t bytes = 2000000;
  float plasticity = 1.0f;
  size_t freezeAfter = 0; ///< 0: never
  bool memory = true;
  size_t progress = 0; ///< 0: no progress lines
};

void usage() {
  std::fprintf(stderr,
               "usage: anima-text-stream [--model FILE] [--input FILE] "
               "[--bytes N] [--plasticity P]\n"
               "                         [--freeze-after N] [--no-memory] "
               "[--progress N] [--dump-input FILE]\n");
}

bool parse(int argc, char **argv, Options *o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help") {
      usage();
      std::exit(0);
    }
    if (a == "--no-memory") {
      o->memory = false;
      continue;
    }
    if (i + 1 >= argc) {
      usage();
      return false;
    }
    const char *v = argv[++i];
    if (a == "--model")
      o->model = v;
    else if (a == "--input")
      o->input = v;
    else if (a == "--dump-input")
      o->dumpInput = v;
    else if (a == "--bytes")
      o->bytes = std::strtoull(v, nullptr, 10);
    else if (a == "--plasticity")
      o->plasticity = std::strtof(v, nullptr);
    else if (a == "--freeze-after")
      o->freezeAfter = std::strtoull(v, nullptr, 10);
    else if (a == "--progress")
      o->progress = std::strtoull(v, nullptr, 10);
    else {
      usage();
      return false;
    }
  }
  return o->bytes > 0 && o->plasticity >= 0;
}

} // namespace

int main(int argc, char **argv) {
  Options opt;
  if (!parse(argc, argv, &opt))
    return 2;

  std::vector<uint8_t> data;
  std::string source = opt.input;
  std::string err = opt.input.empty()
                        ? textstream::loadVimDocs(opt.bytes, &data, &source)
                        : textstream::loadFile(opt.input, opt.bytes, &data);
  if (opt.input.empty())
    source += "/*.txt";
  if (err.empty() && data.empty())
    err = "the input is empty";
  if (!err.empty()) {
    std::fprintf(stderr, "anima-text-stream: %s\n", err.c_str());
    return 1;
  }
  if (!opt.dumpInput.empty()) {
    FILE *fp = std::fopen(opt.dumpInput.c_str(), "wb");
    if (!fp || std::fwrite(data.data(), 1, data.size(), fp) != data.size() ||
        std::fclose(fp) != 0) {
      std::fprintf(stderr, "anima-text-stream: cannot write %s\n",
                   opt.dumpInput.c_str());
      return 1;
    }
  }

  textstream::TextModel model;
  if (std::string e = model.open(opt.model); !e.empty()) {
    std::fprintf(stderr, "anima-text-stream: %s: %s\n", opt.model.c_str(),
                 e.c_str());
    return 1;
  }
  if (anima::Status s = model.get().setPlasticity(opt.plasticity); !s.ok()) {
    std::fprintf(stderr, "anima-text-stream: %s\n", s.toString().c_str());
    return 1;
  }

  std::printf("input: %s, %zu bytes\n", source.c_str(), data.size());
  std::printf("model: %s (plasticity %g%s%s)\n", opt.model.c_str(),
              opt.plasticity, opt.memory ? "" : ", memory off",
              opt.freezeAfter ? ", frozen after --freeze-after bytes" : "");

  textstream::Order0 order0;
  double bits = 0, bits0 = 0, windowBits = 0;
  float logits[textstream::kClasses];
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  for (size_t i = 0; i < data.size(); ++i) {
    if (opt.freezeAfter && i == opt.freezeAfter) {
      if (anima::Status s = model.get().setPlasticity(0.0f); !s.ok()) {
        std::fprintf(stderr, "anima-text-stream: %s\n", s.toString().c_str());
        return 1;
      }
    }
    if (std::string e = model.step(data.data(), i, opt.memory, logits);
        !e.empty()) {
      std::fprintf(stderr, "anima-text-stream: byte %zu: %s\n", i, e.c_str());
      return 1;
    }
    const double b = textstream::bitsOf(logits, data[i]);
    bits += b;
    windowBits += b;
    bits0 += order0.code(data[i]);
    if (opt.progress && (i + 1) % opt.progress == 0) {
      std::printf("  %9zu bytes: %.4f bpc (last %zu: %.4f)\n", i + 1,
                  bits / double(i + 1), opt.progress,
                  windowBits / double(opt.progress));
      std::fflush(stdout);
      windowBits = 0;
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
          .count();
  const double cpu = double(std::clock() - c0) / CLOCKS_PER_SEC;
  const double n = double(data.size());
  std::printf("anima: %.4f bpc, %.0f chars/s (%.1f s wall; %.1f s CPU, "
              "%.0f chars per CPU second)\n",
              bits / n, n / secs, secs, cpu, cpu > 0 ? n / cpu : 0.0);
  std::printf("order-0 adaptive: %.4f bpc\n", bits0 / n);
  return 0;
}
