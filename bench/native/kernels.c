// The memory-bound kernels (mse, mae, huber, smoothL1: withGrad, mean, float32) in C with SSE
// intrinsics, written op for op as assembly/kernel/elementwise.ts and assembly/loss/regression.ts
// compute them: the same residual, the same loss and gradient formulas (NaN carried into mae's
// gradient), the same float32 partial sums (four vectors for mse and mae, two for huber) flushed into a
// float64 total every BLOCK elements. `kernels N name calls` runs one kernel `calls` times, untimed
// (for callgrind: instructions per element). A yardstick for the wasm kernels, not part of the library.
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCK 1024

typedef struct {
  __m128 delta, minusDelta, halfB, bDelta, halfBDelta2, b;
} HuberParams;

static inline __m128 mseStep(__m128 y, __m128 p, __m128 k, float *g, const HuberParams *h) {
  __m128 r = _mm_sub_ps(p, y);
  _mm_storeu_ps(g, _mm_mul_ps(k, _mm_add_ps(r, r)));
  return _mm_mul_ps(r, r);
}

// sign(r) as the integer masks (r < 0) − (r > 0) converted, plus r itself where r is NaN.
static inline __m128 maeStep(__m128 y, __m128 p, __m128 k, float *g, const HuberParams *h) {
  const __m128 zero = _mm_setzero_ps();
  __m128 r = _mm_sub_ps(p, y);
  __m128i sign = _mm_sub_epi32(_mm_castps_si128(_mm_cmplt_ps(r, zero)), _mm_castps_si128(_mm_cmpgt_ps(r, zero)));
  __m128 d = _mm_add_ps(_mm_cvtepi32_ps(sign), _mm_and_ps(_mm_cmpneq_ps(r, r), r));
  _mm_storeu_ps(g, _mm_mul_ps(k, d));
  return _mm_and_ps(r, _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff)));
}

// Loss: ½b·r² where |r| ≤ δ, else bδ·|r| − ½bδ²; gradient b·pmin(pmax(r, −δ), δ) (wasm pmax/pmin:
// a NaN r passes through both, as _mm_max_ps / _mm_min_ps with r second).
static inline __m128 huberStep(__m128 y, __m128 p, __m128 k, float *g, const HuberParams *h) {
  __m128 r = _mm_sub_ps(p, y);
  __m128 m = _mm_and_ps(r, _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff)));
  __m128 quadratic = _mm_mul_ps(_mm_mul_ps(h->halfB, r), r);
  __m128 linear = _mm_sub_ps(_mm_mul_ps(h->bDelta, m), h->halfBDelta2);
  __m128 inside = _mm_cmple_ps(m, h->delta);
  __m128 clamped = _mm_min_ps(h->delta, _mm_max_ps(h->minusDelta, r));
  _mm_storeu_ps(g, _mm_mul_ps(k, _mm_mul_ps(h->b, clamped)));
  return _mm_or_ps(_mm_and_ps(inside, quadratic), _mm_andnot_ps(inside, linear));
}

static inline double hsum(__m128 v) {
  float l[4];
  _mm_storeu_ps(l, v);
  return ((double)l[0] + (double)l[1]) + ((double)l[2] + (double)l[3]);
}

static inline float mseScalar(float y, float p, float k, float *g, const HuberParams *h) {
  float r = p - y;
  *g = k * (r + r);
  return r * r;
}
static inline float maeScalar(float y, float p, float k, float *g, const HuberParams *h) {
  float r = p - y;
  *g = k * (((float)(r > 0) - (float)(r < 0)) + (r != r ? r : 0.0f));
  return fabsf(r);
}
static inline float huberScalar(float y, float p, float k, float *g, const HuberParams *h) {
  float r = p - y, m = fabsf(r), delta = h->delta[0], minusDelta = h->minusDelta[0];
  float quadratic = (h->halfB[0] * r) * r, linear = h->bDelta[0] * m - h->halfBDelta2[0];
  float low = r < minusDelta ? minusDelta : r;
  *g = k * (h->b[0] * (delta < low ? delta : low));
  return m <= delta ? quadratic : linear;
}

// The loop of elementwise.ts: per block, UNROLL vectors into UNROLL sums (four, or two), then one
// vector at a time, the sums flushed into float64; a scalar tail.
#define ELEMENTWISE(NAME, STEP, SCALAR, UNROLL)                                                  \
  double NAME(int n, const float *restrict y, const float *restrict p, float *restrict g, float k, \
              const HuberParams *h) { \
    double total = 0;                                                                                 \
    int i = 0, nv = n & ~3;                                                                           \
    __m128 vk = _mm_set1_ps(k);                                                                       \
    while (i < nv) {                                                                                  \
      int end = i + BLOCK < nv ? i + BLOCK : nv;                                                      \
      __m128 acc0 = _mm_setzero_ps(), acc1 = acc0, acc2 = acc0, acc3 = acc0;                          \
      if (UNROLL == 4)                                                                                \
        for (; i + 16 <= end; i += 16) {                                                              \
          acc0 = _mm_add_ps(acc0, STEP(_mm_loadu_ps(y + i), _mm_loadu_ps(p + i), vk, g + i, h)); \
          acc1 = _mm_add_ps(acc1, STEP(_mm_loadu_ps(y + i + 4), _mm_loadu_ps(p + i + 4), vk, g + i + 4, h)); \
          acc2 = _mm_add_ps(acc2, STEP(_mm_loadu_ps(y + i + 8), _mm_loadu_ps(p + i + 8), vk, g + i + 8, h)); \
          acc3 = _mm_add_ps(acc3, STEP(_mm_loadu_ps(y + i + 12), _mm_loadu_ps(p + i + 12), vk, g + i + 12, h)); \
        }                                                                                             \
      for (; i + 8 <= end; i += 8) {                                                                  \
        acc0 = _mm_add_ps(acc0, STEP(_mm_loadu_ps(y + i), _mm_loadu_ps(p + i), vk, g + i, h)); \
        acc1 = _mm_add_ps(acc1, STEP(_mm_loadu_ps(y + i + 4), _mm_loadu_ps(p + i + 4), vk, g + i + 4, h)); \
      }                                                                                               \
      for (; i < end; i += 4)                                                                         \
        acc0 = _mm_add_ps(acc0, STEP(_mm_loadu_ps(y + i), _mm_loadu_ps(p + i), vk, g + i, h)); \
      total += hsum(_mm_add_ps(_mm_add_ps(acc0, acc1), _mm_add_ps(acc2, acc3)));                       \
    }                                                                                                 \
    for (; i < n; i++) total += (double)SCALAR(y[i], p[i], k, g + i, h);                  \
    return total;                                                                                     \
  }

#ifndef HUBER_UNROLL
#define HUBER_UNROLL 2
#endif
ELEMENTWISE(mseKernel, mseStep, mseScalar, 4)
ELEMENTWISE(maeKernel, maeStep, maeScalar, 4)
ELEMENTWISE(huberKernel, huberStep, huberScalar, HUBER_UNROLL)

static HuberParams huberParams(float delta, float b) {
  HuberParams h = {_mm_set1_ps(delta), _mm_set1_ps(-delta), _mm_set1_ps((float)(0.5 * b)),
                   _mm_set1_ps((float)((double)b * delta)), _mm_set1_ps((float)(0.5 * b * delta * delta)), _mm_set1_ps(b)};
  return h;
}

static double nowSeconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}
static int byValue(const void *a, const void *b) {
  double x = *(const double *)a, z = *(const double *)b;
  return x < z ? -1 : x > z;
}
static unsigned seed = 42;
static float uniform(float lo, float hi) {
  seed = seed * 1664525u + 1013904223u;
  return lo + (hi - lo) * ((seed >> 8) * (1.0f / 16777216.0f));
}

static volatile double sink;
static int n;
static float *y, *p, *g, k;
static HuberParams huber, smoothL1;

static double callMse(void) { return mseKernel(n, y, p, g, k, 0); }
static double callMae(void) { return maeKernel(n, y, p, g, k, 0); }
static double callHuber(void) { return huberKernel(n, y, p, g, k, &huber); }
static double callSmoothL1(void) { return huberKernel(n, y, p, g, k, &smoothL1); }

#define KERNELS 4
#define ROUNDS 5
#define SAMPLES 9
static const char *names[KERNELS] = {"mse", "mae", "huber", "smoothL1"};
static double (*calls[KERNELS])(void) = {callMse, callMae, callHuber, callSmoothL1};

// Seconds per call of one sample: `reps` calls.
static double sample(double (*call)(void), long reps) {
  double t0 = nowSeconds();
  for (long q = 0; q < reps; q++) sink += call();
  return (nowSeconds() - t0) / reps;
}

// As bench/measure.ts does: ROUNDS rounds that interleave the kernels (order reversed every other
// round), so that the machine's drift lands on all of them; the median of the pooled samples.
int main(int argc, char **argv) {
  n = argc > 1 ? (int)atof(argv[1]) : 100000;
  y = aligned_alloc(64, 4 * (size_t)n + 64), p = aligned_alloc(64, 4 * (size_t)n + 64), g = aligned_alloc(64, 4 * (size_t)n + 64);
  for (int i = 0; i < n; i++) y[i] = uniform(-10, 10), p[i] = uniform(-10, 10);
  k = (float)(1.0 / n);
  huber = huberParams(1, 1), smoothL1 = huberParams(1, 1 / 1.0f);
  if (argc > 3) {
    for (int j = 0; j < KERNELS; j++)
      if (strcmp(argv[2], names[j]) == 0)
        for (long q = atol(argv[3]); q > 0; q--) sink += calls[j]();
    return 0;
  }
  long reps[KERNELS];
  for (int j = 0; j < KERNELS; j++) { // ~50 ms of warm-up, then samples of ~5 ms
    double t0 = nowSeconds();
    long c = 0;
    do { sink += calls[j](); c++; } while (nowSeconds() - t0 < 0.05);
    reps[j] = (long)(c * 0.005 / (nowSeconds() - t0)) + 1;
  }
  double pooled[KERNELS][ROUNDS * SAMPLES];
  for (int round = 0; round < ROUNDS; round++)
    for (int o = 0; o < KERNELS; o++) {
      int j = round % 2 ? KERNELS - 1 - o : o;
      for (int s = 0; s < SAMPLES; s++) pooled[j][round * SAMPLES + s] = sample(calls[j], reps[j]);
    }
  printf("gcc -O3 -msse4.2 -mno-avx, withGrad mean float32, median el/ns at N = %d\n", n);
  for (int j = 0; j < KERNELS; j++) {
    qsort(pooled[j], ROUNDS * SAMPLES, sizeof(double), byValue);
    printf("%-9s %8.3f\n", names[j], n / (pooled[j][ROUNDS * SAMPLES / 2] * 1e9));
  }
  return 0;
}
