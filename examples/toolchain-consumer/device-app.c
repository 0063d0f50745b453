/*===- device-app.c - The runtime alone, as on the device -----------------===*
 *
 *   device-app model.anima
 *
 * Opens a compiled artifact and runs steps with nothing but the runtime
 * (Anima::AnimaRuntime from find_package(Anima COMPONENTS Runtime)): no
 * LLVM or MLIR.
 *
 *===----------------------------------------------------------------------===*/

#include "run-steps.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: device-app model.anima\n");
    return 2;
  }
  anima_model_t *model = NULL;
  anima_status_t status = anima_model_open_file(argv[1], NULL, &model);
  if (status) {
    fprintf(stderr, "device-app: %s\n", anima_status_message(status));
    anima_status_free(status);
    return 1;
  }
  int rc = runSteps(model, 5);
  anima_model_close(model);
  return rc;
}
