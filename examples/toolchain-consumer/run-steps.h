/*===- run-steps.h - Stepping a model through the runtime C API ---*- C -*-===*/

#ifndef CONSUMER_RUN_STEPS_H
#define CONSUMER_RUN_STEPS_H

#include "anima/runtime/anima.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Runs `steps` steps of the model's entry "step" (inputs u: 32 floats,
 *  x: 8 floats; output y: 4 floats) on fixed inputs and prints the last
 *  output as "y = ...". Returns 0, or 1 after printing the runtime's error. */
int runSteps(anima_model_t *model, int steps);

#ifdef __cplusplus
}
#endif

#endif /* CONSUMER_RUN_STEPS_H */
