// The kernel mutants `npm run mutants:kernels` plants one at a time (tools/mutants/run.ts): realistic
// bugs in assembly/ — sign flips, off-by-one tails, wrong constants, the wrong side of a kink, a
// weight on the wrong term, changes to only the vector or only the scalar form. Each names the
// test files that should catch it. `find` must occur exactly once in `file`; when a change to the
// kernels moves or rewrites the code, the mutant is reported STALE and is rewritten to match. A new
// kernel adds its mutants here. A mutant that no test can catch because it changes nothing
// observable is kept with `equivalent` saying why.

export interface Mutant {
  id: string;
  file: string;
  find: string;
  replace: string;
  tests: string[];
  why: string;
  /** Why no test can tell it from the original (it then may survive). */
  equivalent?: string;
}

const MATH = ['test/math.test.ts', 'test/math-quick.test.ts'];
const ELEMENTWISE = ['test/losses.test.ts'];
const BINARY = ['test/losses.test.ts', 'test/binary.test.ts', 'test/ties.test.ts'];
const CATEGORICAL = ['test/categorical.test.ts', 'test/ties.test.ts'];
const EMBEDDING = ['test/embedding.test.ts'];

export const mutants: Mutant[] = [
  // ---------------------------------------------------------------- assembly/math
  {
    id: 'exp-q1-low-bits', file: 'assembly/math/exp.ts',
    find: 'const Q1_32 = memory.data<u32>([0x3e2aaa6e, 0x3e2aaa6e, 0x3e2aaa6e, 0x3e2aaa6e], 16);',
    replace: 'const Q1_32 = memory.data<u32>([0x3e2aaa69, 0x3e2aaa69, 0x3e2aaa69, 0x3e2aaa69], 16);',
    tests: [...MATH, 'test/golden.test.ts', 'test/constants.test.ts'],
    why: 'a typo in the low bits of a polynomial coefficient: every result within its ulp bound, yet different',
  },
  {
    id: 'exp32x4-lost-dropped', file: 'assembly/math/exp.ts',
    find: 'const rest = f32x4.add(tail, f32x4.add(f32x4.mul(f32x4.mul(r, r), q), lost));',
    replace: 'const rest = f32x4.add(tail, f32x4.mul(f32x4.mul(r, r), q));',
    tests: MATH, why: 'vector only: the reduction\'s rounding error left out of e^x',
  },
  {
    id: 'exp32-equal-factors', file: 'assembly/math/exp.ts',
    find: 'const s2 = reinterpret<f32>((ni - n1 + 127) << 23);\n  if (keepLow) store<f32>',
    replace: 'const s2 = reinterpret<f32>((n1 + 127) << 23);\n  if (keepLow) store<f32>',
    tests: MATH, why: 'scalar only: 2^n split into two equal halves, wrong for odd n',
  },
  {
    id: 'exp-min-clamp', file: 'assembly/math/exp.ts',
    find: 'const MIN_32 = memory.data<u32>([0xc3160000, 0xc3160000, 0xc3160000, 0xc3160000], 16);',
    replace: 'const MIN_32 = memory.data<u32>([0xc2c80000, 0xc2c80000, 0xc2c80000, 0xc2c80000], 16);',
    tests: MATH, why: 'a wrong constant: inputs clamped at −100, where e^x is still a subnormal, not 0',
  },
  {
    id: 'expQuick32-no-ln2lo', file: 'assembly/math/exp.ts',
    find: 'const r = (x - n * load<f32>(LN2HI_32)) - n * load<f32>(LN2LO_32);\n  const p = quickP32(r);\n  const ni',
    replace: 'const r = x - n * load<f32>(LN2HI_32);\n  const p = quickP32(r);\n  const ni',
    tests: MATH, why: 'scalar only: the low part of ln 2 forgotten in the quick form\'s reduction',
  },
  {
    id: 'expNonPositive-bias', file: 'assembly/math/exp.ts',
    find: 'const BIAS_NP_32 = memory.data<u32>([191, 191, 191, 191], 16);',
    replace: 'const BIAS_NP_32 = memory.data<u32>([190, 190, 190, 190], 16);',
    tests: MATH, why: 'vector only (the scalar twin writes 191 itself): the exponent bias off by one',
  },
  {
    id: 'exp64x2-horner-step', file: 'assembly/math/exp.ts',
    find: '  q = f64x2.add(k(Q5_64), f64x2.mul(r, q));\n',
    replace: '',
    tests: MATH, why: 'vector only, float64: one Horner step of the polynomial dropped',
  },
  {
    id: 'log32x4-subnormal-scale', file: 'assembly/math/log.ts',
    find: 'const u = v128.bitselect(f32x4.mul(x, k(SCALE_32)), x, tiny);',
    replace: 'const u = x;',
    tests: MATH, why: 'vector only: subnormal inputs no longer scaled into the normal range',
  },
  {
    id: 'log32-zero', file: 'assembly/math/log.ts',
    find: 'y = select<f32>(load<f32>(NEG_INF_32), y, x == 0);',
    replace: 'y = select<f32>(load<f32>(NEG_INF_32), y, x < 0);',
    tests: MATH, why: 'scalar only: ln 0 = −∞ tested on the wrong side',
  },
  {
    id: 'log-core32-sign', file: 'assembly/math/log.ts',
    find: 'const s = f / (load<f32>(TWO_32) + f);',
    replace: 'const s = f / (load<f32>(TWO_32) - f);',
    tests: MATH, why: 'scalar only: a sign flip in s = f/(2 + f)',
  },
  {
    id: 'sigmoid32-correction-side', file: 'assembly/math/logistic.ts',
    find: 'const nLow = select<f32>(0, tLow, positive);',
    replace: 'const nLow = select<f32>(tLow, 0, positive);',
    tests: MATH, why: 'scalar only: the numerator\'s correction term applied on the wrong side of 0',
  },
  {
    id: 'softplus32x4-min', file: 'assembly/math/logistic.ts',
    find: 'return f32x4.add(f32x4.pmax(x, v128.xor(x, x)), log1p32x4(t, v128.load(LOW), true));',
    replace: 'return f32x4.add(f32x4.pmin(x, v128.xor(x, x)), log1p32x4(t, v128.load(LOW), true));',
    tests: MATH, why: 'vector only: min(x, 0) for max(x, 0)',
  },
  {
    id: 'logistic32x4-sigma-uncorrected', file: 'assembly/math/logistic.ts',
    find: 'const big = f32x4.sub(r, f32x4.mul(r, c));\n  v128.store(SIGMA, big);',
    replace: 'const big = r;\n  v128.store(SIGMA, big);',
    tests: BINARY, why: 'vector only: σ(|z|) of the logits kernels without the correction for 1 + t\'s rounding',
  },
  {
    id: 'tanh64-cut-side', file: 'assembly/math/hyperbolic.ts',
    find: 'return select<f64>(series, general, a < load<f64>(CUT));\n}\n\n/** The float32 vector',
    replace: 'return select<f64>(general, series, a < load<f64>(CUT));\n}\n\n/** The float32 vector',
    tests: ['test/logcosh.test.ts', ...ELEMENTWISE], why: 'scalar only: tanh\'s series and general form swapped',
  },
  {
    id: 'logCosh64x2-ln2', file: 'assembly/math/hyperbolic.ts',
    find: 'const general = f64x2.add(f64x2.sub(f64x2.sub(a, k(LN2HI_64)), k(LN2LO_64)), log1p64x2(t, v128.load(LOW), true));',
    replace: 'const general = f64x2.add(f64x2.sub(a, k(LN2HI_64)), log1p64x2(t, v128.load(LOW), true));',
    tests: ['test/logcosh.test.ts', ...ELEMENTWISE], why: 'vector only: the low part of ln 2 dropped from ln cosh',
  },

  // ---------------------------------------------------------------- assembly/kernel
  {
    id: 'elementwise-tail-short', file: 'assembly/kernel/elementwise.ts',
    find: 'for (; i < n; i++) {\n    if (op.checked() && sbad<T, L>(op, i, y, p))',
    replace: 'for (; i < n - 1; i++) {\n    if (op.checked() && sbad<T, L>(op, i, y, p))',
    tests: ELEMENTWISE, why: 'off by one: the last element of the tail skipped',
  },
  {
    id: 'elementwise-vector-weighted-grad', file: 'assembly/kernel/elementwise.ts',
    find: 'if (G_) v128.store(g + off, v128.mul<T>(v128.mul<T>(vk, wv), d));',
    replace: 'if (G_) v128.store(g + off, v128.mul<T>(vk, d));',
    tests: ELEMENTWISE, why: 'vector only: the example weight left out of the gradient',
  },
  {
    id: 'elementwise-scalar-weighted-loss', file: 'assembly/kernel/elementwise.ts',
    find: '    if (G_) store<T>(g + off, (k * wi) * d);\n    l *= wi;',
    replace: '    if (G_) store<T>(g + off, (k * wi) * d);',
    tests: ELEMENTWISE, why: 'scalar only: the example weight left out of the loss',
  },
  {
    id: 'elementwise-scalar-lane-dropped', file: 'assembly/kernel/elementwise.ts',
    find: 'total += (<f64>s0 + <f64>s1) + (<f64>s2 + <f64>s3);',
    replace: 'total += (<f64>s0 + <f64>s1) + <f64>s2;',
    tests: ELEMENTWISE, why: 'scalar build only: one of the four running sums never added',
  },
  {
    id: 'elementwise-odd-vectors-dropped', file: 'assembly/kernel/elementwise.ts',
    find: 'total += hsum<T>(v128.add<T>(acc0, acc1));',
    replace: 'total += hsum<T>(acc0);',
    tests: ELEMENTWISE, why: 'vector only: the second accumulator of the unrolled loop never added',
  },
  {
    id: 'elementwise-fused-weight', file: 'assembly/kernel/elementwise.ts',
    find: '    if (W_) l = v128.mul<T>(l, wv);\n',
    replace: '',
    tests: BINARY, why: 'vector only, losses with a fused loss-and-gradient step: the weight left out of the loss',
  },
  {
    id: 'elementwise-tail-hits', file: 'assembly/kernel/elementwise.ts',
    find: 'if (isInteger<A>()) if (A_) hits = v128.add<T>(hits, vright<T, L>(op, byteOffset<T>(i), y, p, w, W_));',
    replace: '',
    tests: BINARY, why: 'vector only: accuracy not counted in the one-vector loop',
  },
  {
    id: 'elementwise-unroll-bound', file: 'assembly/kernel/elementwise.ts',
    find: 'if (!costly<L>()) for (; i + 2 * V <= end; i += 2 * V) {',
    replace: 'if (!costly<L>()) for (; i + 2 * V < end; i += 2 * V) {',
    tests: ELEMENTWISE, why: 'an off-by-one in the unrolled loop\'s bound (the one-vector loop takes the rest)',
    equivalent: 'the last pair of vectors of a block goes through the one-vector loop into one accumulator instead of two: '
      + 'the elements are the same, and the partial sums only change their order of addition (no change to the golden digest, measured)',
  },
  {
    id: 'weights-infinite-accepted', file: 'assembly/kernel/weights.ts',
    find: 'return w >= 0 && w - w == 0; // NaN fails the first, +∞ the second',
    replace: 'return w >= 0; // NaN fails the first, +∞ the second',
    tests: ['test/errors.test.ts', 'test/bad-input.test.ts'], why: 'scalar check: an infinite weight accepted',
  },
  {
    id: 'weights-odd-vectors-dropped', file: 'assembly/kernel/weights.ts',
    find: 'total += hsum<T>(v128.add<T>(acc0, acc1));',
    replace: 'total += hsum<T>(acc0);',
    tests: ELEMENTWISE, why: 'vector only: half the weights missing from Σw',
  },
  {
    id: 'rows-dots-norm-copy', file: 'assembly/kernel/embedding.ts',
    find: 'aalo = sq(aalo, alo);',
    replace: 'aalo = sq(aalo, blo);',
    tests: EMBEDDING, why: 'a copy-paste slip: a\'s squared norm summed from b',
  },
  {
    id: 'rows-sqdist3-negative', file: 'assembly/kernel/embedding.ts',
    find: 'const v = v128.sub<f32>(av, nv);',
    replace: 'const v = v128.sub<f32>(pv, nv);',
    tests: EMBEDDING, why: 'vector only, float32: the anchor–negative distance taken from the positive',
  },
  {
    id: 'rowwise-topk-tie', file: 'assembly/kernel/classification.ts',
    find: 'rank += <i32>(above<T>(v, zt) || (k < t && same<T>(v, zt)));',
    replace: 'rank += <i32>(above<T>(v, zt) || (k > t && same<T>(v, zt)));',
    tests: CATEGORICAL, why: 'top-k ties broken toward the higher index',
  },
  {
    id: 'rowwise-argmax-tie', file: 'assembly/kernel/classification.ts',
    find: '    if (above<T>(v, best)) {',
    replace: '    if (!above<T>(best, v)) {',
    tests: CATEGORICAL, why: 'argmax ties go to the later index',
  },

  // ---------------------------------------------------------------- assembly/loss/regression.ts
  {
    id: 'mse-grad-factor', file: 'assembly/loss/regression.ts',
    find: '    const r = v128.sub<T>(p, y);\n    return v128.add<T>(r, r);',
    replace: '    const r = v128.sub<T>(p, y);\n    return r;',
    tests: ELEMENTWISE, why: 'vector only: the factor 2 of d/dŷ (ŷ − y)² lost',
  },
  {
    id: 'mae-subgradient-zero', file: 'assembly/loss/regression.ts',
    find: 'return (<T>(r > 0) - <T>(r < 0)) + select<T>(r, 0, r != r);',
    replace: 'return (<T>(r >= 0) - <T>(r < 0)) + select<T>(r, 0, r != r);',
    tests: ELEMENTWISE, why: 'scalar only: the subgradient at r = 0 is 1, not 0',
  },
  {
    id: 'huber-clamp-sign', file: 'assembly/loss/regression.ts',
    find: 'const low = select<T>(sparam<T>(MINUS_DELTA), r, r < sparam<T>(MINUS_DELTA));',
    replace: 'const low = select<T>(sparam<T>(DELTA), r, r < sparam<T>(MINUS_DELTA));',
    tests: ELEMENTWISE, why: 'scalar only: the gradient clamped to +δ below −δ',
  },
  {
    id: 'smoothL1-scale', file: 'assembly/loss/regression.ts',
    find: 'setParam<T>(HALF_B_DELTA2, 0.5 * b * a * a);',
    replace: 'setParam<T>(HALF_B_DELTA2, 0.5 * a * a);',
    tests: ELEMENTWISE, why: 'a parameter missing its scale: right for huber (b = 1), wrong for smoothL1',
  },
  {
    id: 'logCosh-lanes-swapped', file: 'assembly/loss/regression.ts',
    find: 'return narrow32x4(tanh64x2(f64x2.sub(low64(p), low64(y))), tanh64x2(f64x2.sub(high64(p), high64(y))));',
    replace: 'return narrow32x4(tanh64x2(f64x2.sub(high64(p), high64(y))), tanh64x2(f64x2.sub(low64(p), low64(y))));',
    tests: ELEMENTWISE, why: 'vector only, float32: the two halves of the gradient vector swapped',
  },

  // ---------------------------------------------------------------- assembly/loss/binary.ts
  {
    id: 'bce-upper-clamp', file: 'assembly/loss/binary/probability.ts',
    find: 'setParam<T>(HI, min<f64>(<f64><T>(1 - a), below1));',
    replace: 'setParam<T>(HI, <f64><T>(1 - a));',
    tests: BINARY, why: 'the clamp below 1 forgotten: float32 1 − 1e-7 rounds to 1, and ln(1 − p) to −∞',
  },
  {
    id: 'bce-posweight-term', file: 'assembly/loss/binary/probability.ts',
    find: 'l = -(wy * slnUnit<T>(c) + ny * (slnUnit<T>(q) + lost));',
    replace: 'l = -(y * slnUnit<T>(c) + sparam<T>(POS) * ny * (slnUnit<T>(q) + lost));',
    tests: BINARY, why: 'scalar only: posWeight on the negative term',
  },
  {
    id: 'logits-scalar-sigma-side', file: 'assembly/loss/binary/logits.ts',
    find: 'if (isInteger<G>() && wantGrad) store<T>(g, k * (ns * select<T>(big, small, pos) - ws * select<T>(small, big, pos)));',
    replace: 'if (isInteger<G>() && wantGrad) store<T>(g, k * (ns * select<T>(small, big, pos) - ws * select<T>(small, big, pos)));',
    tests: BINARY, why: 'scalar only: σ(z) read from the wrong side of 0',
  },
  {
    id: 'logits-accuracy-tie', file: 'assembly/loss/binary/logits.ts',
    find: 'return v128.not(v128.xor(v128.gt<T>(z, v128.splat<T>(0)), v128.gt<T>(y, vparam(HALF))));\n  }\n  // @ts-ignore: decorator\n  @inline sright<T>(y: T, z: T): bool { return (z > 0) == (y > sparam<T>(HALF)); }\n}\n\n/**\n * ln(1 + e^',
    replace: 'return v128.not(v128.xor(v128.ge<T>(z, v128.splat<T>(0)), v128.gt<T>(y, vparam(HALF))));\n  }\n  // @ts-ignore: decorator\n  @inline sright<T>(y: T, z: T): bool { return (z > 0) == (y > sparam<T>(HALF)); }\n}\n\n/**\n * ln(1 + e^',
    tests: BINARY, why: 'vector only: a logit of exactly 0 counted positive in BCE with logits\' accuracy',
  },
  {
    id: 'product-lanes-23', file: 'assembly/loss/binary/logitsProduct.ts',
    find: 'hi = f64x2.mul(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(u, u, 2, 3, 2, 3)));',
    replace: 'hi = f64x2.mul(hi, f64x2.promote_low_f32x4(u));',
    tests: BINARY, why: 'vector only, the float32 product path: lanes 0–1 multiplied in twice, 2–3 never',
  },
  {
    id: 'product-scalar-lane-dropped', file: 'assembly/loss/binary/logitsProduct.ts',
    find: 'total += (log64(p0) + log64(p1)) + (log64(p2) + log64(p3));',
    replace: 'total += (log64(p0) + log64(p1)) + log64(p2);',
    tests: BINARY, why: 'scalar build only, the float32 product path: one lane\'s product left out',
  },
  {
    id: 'focal-floor-dropped', file: 'assembly/loss/binary/focal.ts',
    find: 'const m = smax<T>(y * q + ny * p, sparam<T>(TINY));',
    replace: 'const m = y * q + ny * p;',
    tests: BINARY, why: 'scalar only: m = 0 at huge logits, 0^γ and pq/m undefined',
  },
  {
    id: 'focal-alpha-term', file: 'assembly/loss/binary/focal.ts',
    find: 'setParam<T>(ALPHA_BAR, 1 - b);',
    replace: 'setParam<T>(ALPHA_BAR, b);',
    tests: BINARY, why: 'α weighting the negative term too',
  },
  {
    id: 'hinge-kink-side', file: 'assembly/loss/binary/margins.ts',
    find: 'return v128.add<T>(v128.and(v128.ge<T>(m, v128.splat<T>(0)), v128.neg<T>(s)), v128.and(v128.ne<T>(m, m), m));',
    replace: 'return v128.add<T>(v128.and(v128.gt<T>(m, v128.splat<T>(0)), v128.neg<T>(s)), v128.and(v128.ne<T>(m, m), m));',
    tests: BINARY, why: 'vector only: the inactive side taken at the kink y·ŷ = 1',
  },
  {
    id: 'squaredHinge-zero-label', file: 'assembly/loss/binary/margins.ts',
    find: '    const s = y - <T>(y == 0);\n    const l = smax<T>(<T>1 - s * p, 0);',
    replace: '    const s = y;\n    const l = smax<T>(<T>1 - s * p, 0);',
    tests: BINARY, why: 'scalar only: a label 0 not read as −1 in the gradient',
  },
  {
    id: 'binaryAccuracy-threshold-tie', file: 'assembly/loss/binary/accuracy.ts',
    find: 'return v128.andnot(vone<T>(), v128.xor(v128.gt<T>(p, vparam(THRESHOLD)), v128.gt<T>(y, vparam(HALF))));',
    replace: 'return v128.andnot(vone<T>(), v128.xor(v128.ge<T>(p, vparam(THRESHOLD)), v128.gt<T>(y, vparam(HALF))));',
    tests: BINARY, why: 'vector only: a probability equal to the threshold counted positive',
  },

  // ---------------------------------------------------------------- assembly/loss/categorical.ts
  {
    id: 'smoothing-classes', file: 'assembly/loss/categorical/softmax.ts',
    find: 'setParam<T>(P_B, alpha / <f64>C);',
    replace: 'setParam<T>(P_B, alpha / <f64>(C - 1));',
    tests: CATEGORICAL, why: 'label smoothing spread over C − 1 classes',
  },
  {
    id: 'softmax-max-last-class', file: 'assembly/loss/categorical/softmaxRow.ts',
    find: 'for (; i < C; i++) m = spmax<T>(m, load<T>(at<T>(z, i)));',
    replace: 'for (; i < C - 1; i++) m = spmax<T>(m, load<T>(at<T>(z, i)));',
    tests: CATEGORICAL, why: 'off by one: the last class left out of the row maximum',
  },
  {
    id: 'sparse-target-grad-sign', file: 'assembly/loss/categorical/softmaxRow.ts',
    find: 'if (!isInteger<D>()) store<T>(at<T>(gr, t), kr * (et * q - ct));',
    replace: 'if (!isInteger<D>()) store<T>(at<T>(gr, t), kr * (et * q + ct));',
    tests: CATEGORICAL, why: 'a sign flip in the target class\'s gradient (row-major layout)',
  },
  {
    id: 'lanes-target-grad-sign', file: 'assembly/loss/categorical/softmaxLanes.ts',
    find: 'const gt = v128.mul<T>(kr, v128.sub<T>(v128.mul<T>(et, q), ct));',
    replace: 'const gt = v128.mul<T>(kr, v128.add<T>(v128.mul<T>(et, q), ct));',
    tests: CATEGORICAL, why: 'vector only, the lanes layout (fewer than 32 classes): the same sign flip',
  },
  {
    id: 'sparse-denominator-weight', file: 'assembly/loss/categorical/denominators.ts',
    find: 'd += wr * <f64>load<T>(at<T>(cw, t));',
    replace: 'd += <f64>load<T>(at<T>(cw, t));',
    tests: CATEGORICAL, why: 'the example weight missing from the class-weighted mean\'s denominator',
  },
  {
    id: 'kl-zero-target', file: 'assembly/loss/categorical/probability.ts',
    find: 'return v128.and(t, v128.gt<T>(y, vzero())); // 0·log 0 = 0',
    replace: 'return t; // 0·log 0 = 0',
    tests: CATEGORICAL, why: 'vector only: 0·log 0 left as NaN',
  },
  {
    id: 'cce-scalar-eps-clamp', file: 'assembly/loss/categorical/probability.ts',
    find: 'const lo = select<T>(eps, p, p < eps);',
    replace: 'const lo = p;',
    tests: CATEGORICAL, why: 'scalar only: probabilities not clamped to ε',
  },
  {
    id: 'rowsum-grad-scale', file: 'assembly/loss/categorical/probability.ts',
    find: 'if (isInteger<G>()) v128.store(at<T>(gr, k), v128.mul<T>(vk, op.vgrad<T>(yk, pk)));',
    replace: 'if (isInteger<G>()) v128.store(at<T>(gr, k), op.vgrad<T>(yk, pk));',
    tests: CATEGORICAL, why: 'vector only: the gradient scale (1/n, weight) not applied',
  },
  {
    id: 'categoricalHinge-kink', file: 'assembly/loss/categorical/margins.ts',
    find: 'const active = margin >= 0;',
    replace: 'const active = margin > 0;',
    tests: CATEGORICAL, why: 'the inactive side taken at the kink (margin exactly 0)',
  },
  {
    id: 'metric-weight', file: 'assembly/loss/categorical/metrics.ts',
    find: 'const v: T = (weighted ? load<T>(at<T>(w, r)) : <T>1) * <T>hit;',
    replace: 'const v: T = <T>hit;',
    tests: CATEGORICAL, why: 'the accuracy metrics ignoring the row weights',
  },

  // ---------------------------------------------------------------- assembly/loss/embedding.ts
  {
    id: 'contrastive-hinge-side', file: 'assembly/loss/embedding.ts',
    find: 'const h = max<f64>(margin - d, 0);',
    replace: 'const h = max<f64>(d - margin, 0);',
    tests: EMBEDDING, why: 'the wrong side of the margin for dissimilar pairs',
  },
  {
    id: 'contrastive-terms-swapped', file: 'assembly/loss/embedding.ts',
    find: 'const l = (y < 1 ? (1 - y) * (0.5 * d2) : 0) + (y > 0 ? y * (0.5 * h * h) : 0);',
    replace: 'const l = (y < 1 ? y * (0.5 * d2) : 0) + (y > 0 ? (1 - y) * (0.5 * h * h) : 0);',
    tests: EMBEDDING, why: 'the label weighting the wrong term (soft labels)',
  },
  {
    id: 'triplet-swap-tie', file: 'assembly/loss/embedding.ts',
    find: 'const useS = swap && dpn < dan;',
    replace: 'const useS = swap && dpn <= dan;',
    tests: EMBEDDING, why: 'swap on a tie: d(p, n) taken where d(a, n) is to be kept',
  },
  {
    id: 'triplet-scalar-positive-sign', file: 'assembly/loss/embedding.ts',
    find: '    store<T>(ga + off, isInteger<Q>() ? cu * (nv - pv) : gu - gv);\n    store<T>(gp + off, -gu);',
    replace: '    store<T>(ga + off, isInteger<Q>() ? cu * (nv - pv) : gu - gv);\n    store<T>(gp + off, gu);',
    tests: EMBEDDING, why: 'scalar only (the tail of each row): the positive\'s gradient with the wrong sign',
  },
  {
    id: 'cosine-margin-sign', file: 'assembly/loss/embedding.ts',
    find: 'const l = y > 0 ? 1 - cos : max<f64>(cos - margin, 0);',
    replace: 'const l = y > 0 ? 1 - cos : max<f64>(cos + margin, 0);',
    tests: EMBEDDING, why: 'a sign flip of the margin',
  },
  {
    id: 'cosine-vector-gamma', file: 'assembly/loss/embedding.ts',
    find: 'v128.store(gb + off, v128.add<T>(v128.mul<T>(A, av), v128.mul<T>(G, bv)));',
    replace: 'v128.store(gb + off, v128.add<T>(v128.mul<T>(A, av), v128.mul<T>(B, bv)));',
    tests: EMBEDDING, why: 'vector only: b\'s gradient uses a\'s norm factor',
  },
  {
    // One row weight once scaled the gradient of all three losses in one place; each now scales its own.
    id: 'embedding-weight-grad', file: 'assembly/loss/embedding.ts',
    find: '    const k = scale * wr;\n    if (mode & MODE_GRAD) {\n      const c = k * ((1 - y)',
    replace: '    const k = scale;\n    if (mode & MODE_GRAD) {\n      const c = k * ((1 - y)',
    tests: EMBEDDING, why: 'the row weight left out of the contrastive gradient',
  },
  {
    id: 'embedding-weight-grad-triplet', file: 'assembly/loss/embedding.ts',
    find: 'total += weigh<T>(mode, r, lo, max<f64>(t, 0) * wr);\n    const k = scale * wr;',
    replace: 'total += weigh<T>(mode, r, lo, max<f64>(t, 0) * wr);\n    const k = scale;',
    tests: EMBEDDING, why: 'the row weight left out of the triplet gradient',
  },
  {
    id: 'embedding-weight-grad-cosine', file: 'assembly/loss/embedding.ts',
    find: '    const k = scale * wr;\n    if (mode & MODE_GRAD) {\n      const sign',
    replace: '    const k = scale;\n    if (mode & MODE_GRAD) {\n      const sign',
    tests: EMBEDDING, why: 'the row weight left out of the cosineEmbedding gradient',
  },
];
