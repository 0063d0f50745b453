//===- KernelTestMain.cpp - Runs the kernel tests at one ISA level -------===//
//
// Part of the Anima project.
//
//===----------------------------------------------------------------------===//
//
//   anima-kernel-tests [--isa=generic|avx2|neon] [gtest flags]
//
// Without --isa the microkernels run at the level the dispatch picks for
// this CPU; with it every test runs at that level, so each ISA path is
// checked against the reference by the whole suite. A level this CPU (or
// this build) lacks exits with 77, which ctest reports as skipped.
//
//===----------------------------------------------------------------------===//

#include "anima/kernels/cpu/Isa.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--isa=", 6) != 0)
      continue;
    const std::string want = argv[i] + 6;
    int level = -1;
    for (int l = 0; l < ANIMA_UK_ISA_COUNT; ++l)
      if (want == anima_uk_isa_name(l))
        level = l;
    if (level < 0) {
      std::fprintf(stderr, "unknown ISA level '%s'\n", want.c_str());
      return 2;
    }
    if (!anima_uk_isa_select(level)) {
      std::printf("ISA level '%s' is not available on this CPU: skipped\n",
                  want.c_str());
      return 77;
    }
  }
  std::printf("microkernel ISA level: %s\n",
              anima_uk_isa_name(anima_uk_isa_active()));
  return RUN_ALL_TESTS();
}
