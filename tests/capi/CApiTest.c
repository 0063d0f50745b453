/*===- CApiTest.c - The Anima C API from C --------------------------------===*
 *
 * A C program against anima-c/ and the upstream MLIR C API that
 * libAnimaCAPI.so carries: registers the dialect, parses an anima model,
 * runs the CPU pipeline (from its options struct, from text, and pass by
 * pass), compiles the model to artifact bytes and opens them with the
 * runtime. Failures print what and where, and exit 1.
 *
 *===----------------------------------------------------------------------===*/

#include "anima-c/Compiler.h"
#include "anima-c/Dialect/Anima.h"
#include "anima-c/Passes.h"
#include "anima/runtime/anima.h"

#include "mlir-c/BuiltinAttributes.h"
#include "mlir-c/Diagnostics.h"
#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

/* A model: k-WTA, the winners' dot products, Oja's rule on their rows. */
static const char *const kModel =
    "ml_program.global private mutable @w(#anima.random_uniform<seed = 7, "
    "low = -0.5, high = 0.5>) : tensor<32x8xf32>\n"
    "func.func @step(%u: tensor<32xf32>, %x: tensor<8xf32>) -> "
    "tensor<4xf32> {\n"
    "  %w = ml_program.global_load @w : tensor<32x8xf32>\n"
    "  %idx, %val = anima.kwta %u, k = 4, value : tensor<32xf32>\n"
    "  %y = anima.gather_matvec %w[%idx], %x : tensor<32x8xf32>, "
    "tensor<4xi32>, tensor<8xf32>\n"
    "  %w2 = anima.plastic_update oja %w[%idx : tensor<4xi32>] "
    "post(%y : tensor<4xf32>) pre(%x : tensor<8xf32>) {eta = 0.01 : f32} : "
    "tensor<32x8xf32>\n"
    "  ml_program.global_store @w = %w2 : tensor<32x8xf32>\n"
    "  return %y : tensor<4xf32>\n"
    "}\n";

/* Text accumulated from MLIR callbacks (printing, diagnostics). */
typedef struct Text {
  char data[1 << 16];
  size_t size;
} Text;

static void appendText(MlirStringRef chunk, void *userData) {
  Text *text = (Text *)userData;
  size_t room = sizeof(text->data) - 1 - text->size;
  size_t n = chunk.length < room ? chunk.length : room;
  memcpy(text->data + text->size, chunk.data, n);
  text->size += n;
  text->data[text->size] = '\0';
}

static MlirLogicalResult collectDiagnostic(MlirDiagnostic diagnostic,
                                           void *userData) {
  mlirDiagnosticPrint(diagnostic, appendText, userData);
  appendText(mlirStringRefCreateFromCString("\n"), userData);
  return mlirLogicalResultSuccess();
}

static MlirStringRef str(const char *s) {
  return mlirStringRefCreateFromCString(s);
}

/* A context that holds what the compiler needs. */
static MlirContext createCompilerContext(void) {
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  animaRegisterCompilerDialects(registry);
  MlirContext context = mlirContextCreate();
  mlirContextAppendDialectRegistry(context, registry);
  mlirDialectRegistryDestroy(registry);
  return context;
}

static MlirModule parseModel(MlirContext context) {
  MlirModule module = mlirModuleCreateParse(context, str(kModel));
  CHECK(!mlirModuleIsNull(module));
  return module;
}

/* Prints `module` into `text` and returns it. */
static const char *printModule(MlirModule module, Text *text) {
  text->size = 0;
  text->data[0] = '\0';
  mlirOperationPrint(mlirModuleGetOperation(module), appendText, text);
  return text->data;
}

static Text printed;

/* The dialect handle alone: the namespace, loading, parsing anima ops. */
static void testDialectHandle(void) {
  MlirDialectHandle handle = mlirGetDialectHandle__anima__();
  MlirStringRef ns = mlirDialectHandleGetNamespace(handle);
  CHECK(ns.length == 5 && strncmp(ns.data, "anima", 5) == 0);

  MlirContext context = mlirContextCreate();
  mlirDialectHandleRegisterDialect(handle, context);
  MlirDialect dialect = mlirDialectHandleLoadDialect(handle, context);
  CHECK(!mlirDialectIsNull(dialect));
  CHECK(mlirStringRefEqual(mlirDialectGetNamespace(dialect), str("anima")));
  MlirAttribute init = mlirAttributeParseGet(
      context, str("#anima.random_normal<seed = 3, mean = 0.0, stddev = 1.0>"));
  CHECK(!mlirAttributeIsNull(init));
  mlirContextDestroy(context);
}

/* The pipeline built from its options struct. */
static void testPipelineFromOptions(void) {
  MlirContext context = createCompilerContext();
  MlirModule module = parseModel(context);
  CHECK(mlirOperationVerify(mlirModuleGetOperation(module)));

  MlirPassManager pm = mlirPassManagerCreate(context);
  AnimaCpuPipelineOptions options;
  animaCpuPipelineOptionsInit(&options);
  CHECK(options.fusion);
  options.targetTriple = str("x86_64-unknown-linux-gnu");
  animaAddCpuPipeline(mlirPassManagerGetAsOpPassManager(pm), &options);
  CHECK(mlirLogicalResultIsSuccess(
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module))));
  const char *ir = printModule(module, &printed);
  CHECK(strstr(ir, "llvm.func @anima_entry_step"));
  CHECK(strstr(ir, "anima_uk_rows_dot")); /* fused: the tiled plastic step */
  CHECK(strstr(ir, "x86_64-unknown-linux-gnu"));
  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
}

/* The named pipeline from text, after animaRegisterAllPasses(). */
static void testPipelineFromText(void) {
  animaRegisterAllPasses();
  animaRegisterAllPasses(); /* idempotent */
  MlirContext context = createCompilerContext();
  MlirModule module = parseModel(context);
  MlirPassManager pm = mlirPassManagerCreate(context);
  Text errors = {{0}, 0};
  CHECK(mlirLogicalResultIsSuccess(mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm),
      str("builtin.module(anima-cpu-pipeline{fusion=false})"), appendText,
      &errors)));
  CHECK(mlirLogicalResultIsSuccess(
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module))));
  const char *ir = printModule(module, &printed);
  CHECK(strstr(ir, "llvm.func @anima_entry_step"));
  CHECK(!strstr(ir, "anima_uk_rows_dot")); /* unfused */
  mlirPassManagerDestroy(pm);

  /* An unknown option is an error naming it, not a crash. */
  pm = mlirPassManagerCreate(context);
  CHECK(mlirLogicalResultIsFailure(mlirParsePassPipeline(
      mlirPassManagerGetAsOpPassManager(pm),
      str("builtin.module(anima-cpu-pipeline{fuse=1})"), appendText, &errors)));
  CHECK(strstr(errors.data, "fuse"));
  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
}

/* One generated pass alone. */
static void testSinglePass(void) {
  MlirContext context = createCompilerContext();
  MlirModule module = parseModel(context);
  MlirPassManager pm = mlirPassManagerCreate(context);
  mlirPassManagerAddOwnedPass(pm, mlirCreateAnimaAnimaExternalizeStatePass());
  CHECK(mlirLogicalResultIsSuccess(
      mlirPassManagerRunOnOp(pm, mlirModuleGetOperation(module))));
  const char *ir = printModule(module, &printed);
  CHECK(strstr(ir, "anima.states"));
  CHECK(!strstr(ir, "ml_program.global_load"));
  mlirPassManagerDestroy(pm);
  mlirModuleDestroy(module);
  mlirContextDestroy(context);
}

/* Artifact bytes the runtime opens and steps. */
static void testCompileAndRun(void) {
  MlirContext context = createCompilerContext();
  MlirModule module = parseModel(context);
  AnimaCompileOptions options;
  animaCompileOptionsInit(&options);
  CHECK(options.fusion && options.optLevel == 3);
  options.modelName = str("capi_model");
  AnimaBytes bytes = animaCompileModule(module, &options);
  CHECK(!animaBytesIsNull(bytes));
  MlirStringRef data = animaBytesGetData(bytes);
  CHECK(data.length > 64 && memcmp(data.data, "ANIMART", 8) == 0);

  anima_model_t *model = NULL;
  anima_status_t status =
      anima_model_open_memory(data.data, data.length, NULL, &model);
  animaBytesDestroy(bytes);
  if (status)
    fprintf(stderr, "%s\n", anima_status_message(status));
  CHECK(!status);
  CHECK(strcmp(anima_model_name(model), "capi_model") == 0);
  size_t entry = 0;
  status = anima_model_find_entry(model, "step", &entry);
  CHECK(!status);
  float u[32], x[8], y[4];
  for (int i = 0; i < 32; ++i)
    u[i] = (float)((i * 7) % 32);
  for (int i = 0; i < 8; ++i)
    x[i] = 0.25f * (float)(i - 4);
  anima_buffer inputs[2] = {{ANIMA_DTYPE_F32, u, sizeof u},
                            {ANIMA_DTYPE_F32, x, sizeof x}};
  anima_buffer output = {ANIMA_DTYPE_F32, y, sizeof y};
  for (int step = 0; step < 3; ++step) {
    status = anima_model_step(model, entry, inputs, 2, &output, 1);
    if (status)
      fprintf(stderr, "%s\n", anima_status_message(status));
    CHECK(!status);
  }
  anima_model_close(model);
  mlirModuleDestroy(module);

  /* The file route, and null options (the defaults). */
  Text diagnostics = {{0}, 0};
  MlirDiagnosticHandlerID handler = mlirContextAttachDiagnosticHandler(
      context, collectDiagnostic, &diagnostics, NULL);
  bytes = animaCompileFile(context, str("/nonexistent/model.mlir"), NULL);
  CHECK(animaBytesIsNull(bytes));
  CHECK(strstr(diagnostics.data, "/nonexistent/model.mlir"));
  animaBytesDestroy(bytes); /* null: a no-op */

  /* Errors are diagnostics on the context, and null bytes. */
  diagnostics.size = 0;
  MlirModule empty = mlirModuleCreateEmpty(mlirLocationUnknownGet(context));
  bytes = animaCompileModule(empty, NULL);
  CHECK(animaBytesIsNull(bytes));
  CHECK(strstr(diagnostics.data, "no public entry function"));
  mlirModuleDestroy(empty);

  diagnostics.size = 0;
  module = parseModel(context);
  animaCompileOptionsInit(&options);
  options.ukernelDir = str("/nonexistent/ukernels");
  bytes = animaCompileModule(module, &options);
  CHECK(animaBytesIsNull(bytes));
  CHECK(strstr(diagnostics.data, "/nonexistent/ukernels"));
  mlirModuleDestroy(module);

  mlirContextDetachDiagnosticHandler(context, handler);
  mlirContextDestroy(context);
}

int main(void) {
  testDialectHandle();
  testPipelineFromOptions();
  testPipelineFromText();
  testSinglePass();
  testCompileAndRun();
  printf("anima C API: all checks passed\n");
  return 0;
}
