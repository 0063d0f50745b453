/*===- run-steps.c - Stepping a model through the runtime C API -----------===*/

#include "run-steps.h"

#include <stdio.h>

/* Prints and releases a failed status; returns 1 for it, 0 for success. */
static int failed(anima_status_t status, const char *what) {
  if (!status)
    return 0;
  fprintf(stderr, "%s: %s: %s\n", what,
          anima_status_code_name(anima_status_code(status)),
          anima_status_message(status));
  anima_status_free(status);
  return 1;
}

int runSteps(anima_model_t *model, int steps) {
  size_t entry = 0;
  if (failed(anima_model_find_entry(model, "step", &entry), "find_entry"))
    return 1;
  float u[32], x[8], y[4] = {0};
  anima_buffer inputs[2] = {{ANIMA_DTYPE_F32, u, sizeof u},
                            {ANIMA_DTYPE_F32, x, sizeof x}};
  anima_buffer output = {ANIMA_DTYPE_F32, y, sizeof y};
  for (int step = 0; step < steps; ++step) {
    for (int i = 0; i < 32; ++i)
      u[i] = (float)((i * 7 + step * 3) % 32) / 32.0f;
    for (int i = 0; i < 8; ++i)
      x[i] = (float)((i + step) % 8) / 8.0f - 0.5f;
    if (failed(anima_model_step(model, entry, inputs, 2, &output, 1), "step"))
      return 1;
  }
  printf("y = %.6f %.6f %.6f %.6f\n", y[0], y[1], y[2], y[3]);
  return 0;
}
