/*===- vendor-capi.c - The compiler through the MLIR C API ----------------===*
 *
 *   vendor-capi model.mlir model.anima
 *
 * A toolchain written against the MLIR C API (or Python bindings on top of
 * it): registers the compiler's dialects into its context, compiles the model
 * to artifact bytes (the microkernels are found next to libAnimaCAPI.so),
 * writes them, opens them with the runtime and runs steps.
 *
 *===----------------------------------------------------------------------===*/

#include "anima-c/Compiler.h"
#include "anima-c/Dialect/Anima.h"
#include "anima/runtime/anima.h"
#include "mlir-c/IR.h"

#include "run-steps.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: vendor-capi model.mlir model.anima\n");
    return 2;
  }
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  animaRegisterCompilerDialects(registry);
  MlirContext context = mlirContextCreate();
  mlirContextAppendDialectRegistry(context, registry);
  mlirDialectRegistryDestroy(registry);

  AnimaCompileOptions options;
  animaCompileOptionsInit(&options);
  options.modelName = mlirStringRefCreateFromCString("consumer");
  AnimaBytes bytes = animaCompileFile(
      context, mlirStringRefCreateFromCString(argv[1]), &options);
  mlirContextDestroy(context);
  if (animaBytesIsNull(bytes))
    return 1; /* The diagnostics were printed. */
  MlirStringRef artifact = animaBytesGetData(bytes);

  FILE *file = fopen(argv[2], "wb");
  if (!file ||
      fwrite(artifact.data, 1, artifact.length, file) != artifact.length) {
    fprintf(stderr, "vendor-capi: cannot write %s\n", argv[2]);
    animaBytesDestroy(bytes);
    return 1;
  }
  fclose(file);

  anima_model_t *model = NULL;
  anima_status_t status =
      anima_model_open_memory(artifact.data, artifact.length, NULL, &model);
  animaBytesDestroy(bytes);
  if (status) {
    fprintf(stderr, "vendor-capi: %s\n", anima_status_message(status));
    anima_status_free(status);
    return 1;
  }
  int rc = runSteps(model, 5);
  anima_model_close(model);
  return rc;
}
