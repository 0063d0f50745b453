/*===- anima/abi.h - ABI between compiled steps and the runtime ------------===*
 *
 * The only contract shared by the compiler, the CPU microkernels and the
 * runtime. APPEND-ONLY: never change the meaning, order or signature of what
 * is here; add new symbols and bump ANIMA_ABI_VERSION instead. Plain C, so
 * every side (C++ compiler, C runtime, generated code) reads it the same way.
 *
 * A compiled CPU artifact is a shared library that exports
 *
 *   uint32_t anima_abi_version(void);           returns ANIMA_ABI_VERSION
 *   void anima_entry_<NAME>(anima_step_context *ctx, void *const *buffers);
 *
 * for every entry point NAME in the manifest. `buffers` lists, in manifest
 * order, the state tensors, then the inputs, then the outputs: dense
 * row-major, 64-byte aligned, owned by the runtime. A step updates state
 * buffers in place and writes every output buffer.
 *
 * Learning is scaled by ctx->plasticity p (1 = as compiled, 0 = frozen):
 * every state-updating microkernel uses eta*p, beta*p, lambda*p, a duty-cycle
 * rate p/period, and a memory decay 1 - p*(1 - alpha); with p == 0 it writes
 * no state at all.
 *
 * NaN/Inf guard: before a microkernel overwrites a state region it appends the
 * old bytes to ctx's journal (record: anima_journal_record, then the bytes,
 * padded to 8). If a value it would write is not finite it sets
 * ctx->status = ANIMA_STEP_NONFINITE and writes nothing more; every later
 * state-updating microkernel of the step then writes nothing. The runtime
 * undoes the journal (newest first) when status != ANIMA_STEP_OK, so a refused
 * step leaves state exactly as it was.
 *===----------------------------------------------------------------------===*/

#ifndef ANIMA_ABI_H
#define ANIMA_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ANIMA_ABI_VERSION 1u

/* Values of anima_step_context.status. */
#define ANIMA_STEP_OK 0u
#define ANIMA_STEP_NONFINITE 1u        /* an update would write NaN or Inf */
#define ANIMA_STEP_JOURNAL_OVERFLOW 2u /* journal too small: nothing written */

/* Per-step context passed to the entry point and every microkernel. */
typedef struct anima_step_context {
  float plasticity;          /* learning scale of this step, >= 0 */
  uint32_t status;           /* ANIMA_STEP_*; sticky within a step */
  uint8_t *journal;          /* undo journal, 8-byte aligned */
  uint64_t journal_capacity; /* bytes available at journal */
  uint64_t journal_used;     /* bytes used so far; runtime resets to 0 */
} anima_step_context;

/* Header of one journal record; `bytes` old bytes of `dst` follow, padded to
 * a multiple of 8. */
typedef struct anima_journal_record {
  void *dst;
  uint64_t bytes;
} anima_journal_record;

/* Values of the `mode` argument of anima_uk_kwta (= anima::KwtaMode). */
#define ANIMA_KWTA_VALUE 0
#define ANIMA_KWTA_BINARY 1
#define ANIMA_KWTA_SOFTMAX 2

/* Values of the `rule` argument (= anima::Rule). */
#define ANIMA_RULE_HEBB 0
#define ANIMA_RULE_OJA 1
#define ANIMA_RULE_INSTAR 2
#define ANIMA_RULE_DELTA 3
#define ANIMA_RULE_SOFTMAX_DELTA 4

/* Bits of the `flags` argument of the plastic microkernels. */
#define ANIMA_PLASTIC_PRE_MAJOR 1
/* Bits of the `flags` argument of the memory microkernels. */
#define ANIMA_MEM_READ_FIRST 1
#define ANIMA_MEM_NORMALIZE_KEY 2

/* Microkernels. Semantics: the op of the same name in docs/architecture.md,
 * scaled by ctx->plasticity as above. Sizes are element counts; index
 * pointers are int32; optional pointers may be NULL. State arguments
 * (`duty`, `S`, `W`) are updated in place. */

void anima_uk_kwta(anima_step_context *ctx, const float *u, int64_t n,
                   float *duty, int64_t k, int32_t mode, float beta, float tau,
                   float period, int32_t *idx, float *val);

void anima_uk_gather_matvec(anima_step_context *ctx, const float *W,
                            int64_t n, int64_t d, const int32_t *idx,
                            int64_t k, const float *x, float *y);

void anima_uk_sparse_matvec(anima_step_context *ctx, const float *W,
                            int64_t n, int64_t d, const int32_t *idx,
                            const float *val, int64_t k, float *y);

/* Dense query when qidx == NULL (q has dk entries), else kq sparse entries. */
void anima_uk_mem_read(anima_step_context *ctx, const float *S, int64_t dv,
                       int64_t dk, const float *q, const int32_t *qidx,
                       int64_t kq, float *o);

/* Dense key when kidx == NULL (key has dk entries), else kk sparse entries. */
void anima_uk_mem_write(anima_step_context *ctx, float *S, int64_t dv,
                        int64_t dk, const float *key, const int32_t *kidx,
                        int64_t kk, const float *v, float alpha, float beta,
                        float gamma, int32_t flags);

/* All rows when idx == NULL (then k == n). modulator: NULL or one float. */
void anima_uk_plastic_update(anima_step_context *ctx, float *W, int64_t n,
                             int64_t d, const int32_t *idx, int64_t k,
                             const float *post, const float *pre,
                             const float *target, const float *modulator,
                             int32_t rule, int32_t flags, float eta,
                             float lambda, float row_norm);

/* Fused memory step: o = S q with the key as query (read before the write),
 * then the mem_write of (key, v); one pass over the key's columns. */
void anima_uk_fused_mem_step(anima_step_context *ctx, float *S, int64_t dv,
                             int64_t dk, const float *key, const int32_t *kidx,
                             int64_t kk, const float *v, float alpha,
                             float beta, float gamma, int32_t flags, float *o);

/* Fused plastic step over post-major rows, in two halves so generated code
 * can apply elementwise work to the dot products of a tile of rows while the
 * tile is still in cache:
 *   anima_uk_rows_dot:    y[j] = W[idx[j], :] . x           for j in [0, k)
 *   anima_uk_rows_update: W[idx[j], :] updated by `rule` with post[j]
 * (rows_update's idx/post/target point at the same tile). Rules: hebb, oja,
 * instar, delta; softmax_delta needs every dot product before any update and
 * is never split this way. */
void anima_uk_rows_dot(anima_step_context *ctx, const float *W, int64_t n,
                       int64_t d, const int32_t *idx, int64_t k,
                       const float *x, float *y);
void anima_uk_rows_update(anima_step_context *ctx, float *W, int64_t n,
                          int64_t d, const int32_t *idx, int64_t k,
                          const float *post, const float *pre,
                          const float *target, const float *modulator,
                          int32_t rule, float eta, float lambda,
                          float row_norm);

/* Dense accumulate y += W x for W: n x d row-major (what linalg.matvec on
 * buffers computes; the compiler lowers static, contiguous ones to it). */
void anima_uk_matvec_acc(anima_step_context *ctx, const float *W, int64_t n,
                         int64_t d, const float *x, float *y);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ANIMA_ABI_H */
