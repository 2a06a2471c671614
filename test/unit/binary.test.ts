// What is specific to the binary family (the registry-driven tests in elementwise.test.ts cover the
// rest): stability at extreme logits and probabilities, the float32 clamp, option semantics
// (posWeight, labelSmoothing, γ = 0), hinge labels, the accuracy of withGrad, binaryAccuracy, and
// domain errors found inside the kernel at every place of its loop, on both builds.
import { beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import {
  alloc,
  binaryAccuracy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  binaryFocal,
  hinge,
  initSync,
  SimdlossError,
  squaredHinge,
} from '../../src/node.js';
import { BUILDS, DTYPES, expectClose, expectIdentical, random } from '../helpers.js';
import { references } from '../reference/index.js';

type AnyLoss = any;
const bce = binaryCrossEntropy;
const logits = binaryCrossEntropyWithLogits;

for (const build of BUILDS) {
  describe(`${build.name} build`, () => {
    beforeAll(() => {
      initSync(build.bytes);
    });

    test('logits ±100, ±1e4 and −120 give finite, correct loss and gradient (both dtypes, every logit loss)', () => {
      const z = [100, -100, 1e4, -1e4, -120, 120];
      for (const dtype of DTYPES) {
        for (const y of [0, 1]) {
          const t = new dtype.Array(z.length).fill(y);
          const p = dtype.Array.from(z);
          // Confidently wrong: loss ≈ |z|, gradient ±1; confidently right: loss and gradient ≈ 0.
          const l = logits(t, p, { reduction: 'none' });
          const g = logits.grad(t, p, { reduction: 'sum' });
          z.forEach((zi, i) => {
            const wrong = (y === 1) !== zi > 0;
            expect(Number.isFinite(l[i]!) && Number.isFinite(g[i]!), `y=${y} z=${zi}`).toBe(true);
            if (wrong) {
              expect(l[i]).toBe(Math.abs(zi));
              expect(g[i]).toBe(y === 1 ? -1 : 1);
            } else {
              expect(l[i]).toBeLessThan(1e-40);
              expect(Math.abs(g[i]!)).toBeLessThan(1e-40);
            }
          });
          for (const [loss, opts] of [
            [binaryFocal, {}],
            [binaryFocal, { gamma: 0.5 }],
            [binaryFocal, { gamma: 0 }],
            [logits, { posWeight: 4, labelSmoothing: 0.1 }],
          ] as const) {
            const both = (loss as AnyLoss).withGrad(t, p, { ...opts, reduction: 'none' });
            const ref = references[(loss as AnyLoss).lossName]!;
            expectClose(
              both.loss,
              z.map((zi) => dtype.round(ref.loss(y, zi, opts))),
              1e-5,
              `${(loss as AnyLoss).lossName} ${JSON.stringify(opts)} y=${y}`,
              1e-40,
            );
            expectClose(
              both.grad,
              z.map((zi) => dtype.round(ref.grad(y, zi, opts))),
              1e-5,
              `grad ${JSON.stringify(opts)} y=${y}`,
              1e-40,
            );
          }
        }
      }
    });

    test('binaryFocal: a subnormal soft target with a huge logit (m = 1 − pₜ subnormal, ce of order 1) against the float64 reference', () => {
      // Found by the differential fuzz: with m floored at the smallest normal, float64 y = 4.8e-309,
      // z = −1e308, γ = 0.5 gave a loss 2.16× too large.
      const cases = [
        {
          dtype: DTYPES.find((d) => d.Array === Float64Array)!,
          y: [4.77735548770761e-309, 1e-310, 2e-320],
          z: [-1.008997458666808e308, -5e307, -1e305],
        },
        { dtype: DTYPES.find((d) => d.Array === Float32Array)!, y: [1e-40, 3e-42, 1e-39], z: [-3e38, -1e38, -2e37] },
      ];
      for (const { dtype, y, z } of cases) {
        const t = dtype.Array.from(y.flatMap((yi) => z.map(() => yi)));
        const p = dtype.Array.from(y.flatMap(() => z));
        for (const opts of [{ gamma: 0.5, alpha: 0.6 }, { gamma: 0.25 }, { gamma: 0 }] as Record<string, number>[]) {
          const both = binaryFocal.withGrad(t, p, { ...opts, reduction: 'none' });
          const ref = references.binaryFocal!;
          const want = Array.from(t, (yi, i) => dtype.round(ref.loss(yi, p[i]!, opts)));
          expect(
            want.every((v) => v > 0 && Number.isFinite(v)),
            'the reference values are normal-range, non-zero',
          ).toBe(true);
          expectClose(
            both.loss as ArrayLike<number>,
            want,
            dtype.Array === Float32Array ? 1e-5 : 1e-12,
            `loss ${dtype.name} ${JSON.stringify(opts)}`,
          );
          expectClose(
            both.grad,
            Array.from(t, (yi, i) => dtype.round(ref.grad(yi, p[i]!, opts))),
            dtype.Array === Float32Array ? 1e-5 : 1e-12,
            `grad ${dtype.name} ${JSON.stringify(opts)}`,
            dtype.Array === Float32Array ? 1e-44 : 1e-320,
          );
        }
      }
    });

    test('probabilities exactly 0 and 1: finite loss, finite non-zero gradient at the float32 clamp', () => {
      // float32 clamp bounds: ε = 1e-7 rounds to 1.00000001168609742e-7; 1 − ε rounds to 1 − 2⁻²³.
      const lo = Math.fround(1e-7);
      expect(lo).toBe(1.0000000116860974e-7);
      const hi = 1 - 2 ** -23;
      expect(Math.fround(1 - 1e-7)).toBe(hi);
      const y = Float32Array.of(1, 0, 0, 1);
      const p = Float32Array.of(0, 1, 0, 1);
      const l = bce(y, p, { reduction: 'none' });
      const g = bce.grad(y, p, { reduction: 'sum' });
      expect(l[0]).toBe(Math.fround(-Math.log(lo)));
      expect(l[1]).toBe(Math.fround(23 * Math.LN2)); // −ln(2⁻²³) = 15.94…, not −ln(1e-7) = 16.12
      expect(g[0]).toBe(Math.fround(-1 / lo));
      expect(g[1]).toBe(2 ** 23);
      // Right and certain: the clamp leaves a tiny loss and a tiny gradient toward the right side.
      expect(l[2]).toBeCloseTo(lo, 12);
      expect(g[2]).toBeGreaterThan(0);
      expect(g[3]).toBeLessThan(0);
      // float64: the bounds are 1e-7 and 1 − 1e-7 themselves.
      const l64 = bce(Float64Array.from(y), Float64Array.from(p), { reduction: 'none' });
      expect(l64[0]).toBeCloseTo(-Math.log(1e-7), 14);
      expect(l64[1]).toBeCloseTo(-Math.log1p(-(1 - 1e-7)), 8);
      // A tiny ε stays finite: the bounds never reach 0 or 1 in the dtype.
      for (const dtype of DTYPES) {
        const both = bce.withGrad(dtype.Array.from(y), dtype.Array.from(p), { eps: 1e-300, reduction: 'none' });
        expect([...(both.loss as ArrayLike<number> as number[]), ...both.grad].every(Number.isFinite)).toBe(true);
      }
    });

    test('posWeight is PyTorch’s pos_weight: (1 − y)z + (1 + (w₊ − 1)y)(ln(1 + e^−|z|) + max(−z, 0)); the same weight on probabilities', () => {
      const rand = random(3);
      const n = 1001;
      const y = Float64Array.from({ length: n }, () => (rand() < 0.5 ? Math.round(rand()) : rand()));
      const z = Float64Array.from({ length: n }, () => 16 * rand() - 8);
      for (const w of [0, 0.3, 1, 7]) {
        const torch = Array.from(
          z,
          (x, i) => (1 - y[i]!) * x + (1 + (w - 1) * y[i]!) * (Math.log1p(Math.exp(-Math.abs(x))) + Math.max(-x, 0)),
        );
        expectClose(logits(y, z, { posWeight: w, reduction: 'none' }), torch, 1e-12, `posWeight ${w}`, 1e-15);
        // On the probabilities σ(z), the same loss.
        const p = z.map((x) => 1 / (1 + Math.exp(-x)));
        expectClose(bce(y, p, { posWeight: w, reduction: 'none' }), torch, 1e-9, `bce posWeight ${w}`, 1e-12);
      }
    });

    test('labelSmoothing α is the loss at targets y(1 − α) + α/2, computed in the dtype', () => {
      for (const dtype of DTYPES) {
        const rand = random(5);
        const n = 67;
        const y = dtype.Array.from(Array.from({ length: n }, () => Math.round(rand())));
        const z = dtype.Array.from(Array.from({ length: n }, () => 20 * rand() - 10));
        for (const alpha of [0, 0.1, 0.5, 1]) {
          const smoothed = y.map((t) => dtype.round(dtype.round(t * dtype.round(1 - alpha)) + dtype.round(alpha / 2)));
          const a = (logits as AnyLoss).withGrad(y, z, { labelSmoothing: alpha, posWeight: 2, reduction: 'none' });
          const b = (logits as AnyLoss).withGrad(smoothed, z, { posWeight: 2, reduction: 'none' });
          expectIdentical(a.loss, b.loss, `${dtype.name} α=${alpha}`);
          expectIdentical(a.grad, b.grad, `${dtype.name} grad α=${alpha}`);
        }
      }
    });

    test('logits float32 mean and sum without weights, w₊ = 1 (ln of per-lane products): the float64 reference, and the sums of the other paths', () => {
      const ref = references.binaryCrossEntropyWithLogits!;
      const ONE_BLOCK = 1024; // kernel/elementwise.ts BLOCK: the products are flushed every block
      const lengths = [
        ...Array.from({ length: 68 }, (_, n) => n),
        ONE_BLOCK - 1,
        ONE_BLOCK,
        ONE_BLOCK + 1,
        ONE_BLOCK + 3,
        ONE_BLOCK + 4,
        2 * ONE_BLOCK + 5,
        5000,
      ];
      for (const alpha of [0, 0.1, 1]) {
        for (const n of lengths) {
          const r = random(n + 7 * alpha);
          const y = Float32Array.from({ length: n }, () => (r() < 0.5 ? Math.round(r()) : r()));
          const z = Float32Array.from({ length: n }, () => (r() < 0.1 ? (r() < 0.5 ? -1e4 : 1e4) : 40 * r() - 20));
          const o = { labelSmoothing: alpha };
          let want = 0;
          for (let i = 0; i < n; i++) want += ref.loss(y[i]!, z[i]!, o, true);
          const at = `α=${alpha} n=${n}`;
          const sum = logits(y, z, { ...o, reduction: 'sum' });
          // every term is non-negative: relative to the sum, 1e-6 (the entry's float32 tolerance)
          expect(Math.abs(sum - want), `sum ${at}: ${sum} vs ${want}`).toBeLessThanOrEqual(1e-6 * want);
          const mean = logits.withGrad(y, z, o);
          expect(Math.abs(mean.loss - want / Math.max(n, 1)), `mean ${at}`).toBeLessThanOrEqual((1e-6 * want) / Math.max(n, 1));
          expect(logits(y, z, o), `loss = withGrad's ${at}`).toBe(mean.loss);
          // the element-wise path (weights of ones, posWeight a hair from 1, 'none' summed in float64)
          const ones = new Float32Array(n).fill(1);
          expectIdentical(logits.grad(y, z, { ...o, weights: ones }), mean.grad, `grad with weights ${at}`);
          const none = logits(y, z, { ...o, reduction: 'none' });
          const others = [
            logits(y, z, { ...o, weights: ones, reduction: 'sum' }),
            none.reduce((a, b) => a + b, 0),
            logits(y, z, { ...o, posWeight: 1 + 2 ** -20, reduction: 'sum' }),
          ];
          for (const other of others)
            expect(Math.abs(other - sum), `other path ${at}: ${other} vs ${sum}`).toBeLessThanOrEqual(2e-6 * want);
        }
      }
      // z near 0: u ≈ 2 in every lane, whose product would overflow float64 past 1023 factors (4092
      // elements) without the per-block flush
      for (const n of [4 * 1023, 4 * 1024 + 3, 10_000]) {
        const r = random(n);
        const y = Float32Array.from({ length: n }, () => r());
        const z = Float32Array.from({ length: n }, () => 1e-3 * (r() - 0.5));
        let want = 0;
        for (let i = 0; i < n; i++) want += ref.loss(y[i]!, z[i]!, {}, true);
        const sum = logits(y, z, { reduction: 'sum' });
        expect(Math.abs(sum - want), `z ≈ 0, n=${n}: ${sum} vs ${want}`).toBeLessThanOrEqual(1e-6 * want);
      }
      // ±∞ and NaN: as the element-wise path (docs/numerics.md, Non-finite input) — NaN anywhere makes the sum NaN
      for (const n of [5, 8, 67, ONE_BLOCK + 9]) {
        for (const [bad, y0, want] of [
          [NaN, 0, NaN],
          [Infinity, 0, Infinity],
          [-Infinity, 0, NaN],
          [Infinity, 1, NaN],
          [-Infinity, 1, Infinity],
          [Infinity, 0.5, Infinity],
        ] as const) {
          for (const at of [0, 3, n - 1]) {
            const y = new Float32Array(n).fill(1);
            const z = new Float32Array(n).fill(2);
            y[at] = y0;
            z[at] = bad;
            const ones = new Float32Array(n).fill(1);
            const sum = logits(y, z, { reduction: 'sum' });
            expect(sum, `z=${bad} y=${y0} at ${at} of ${n}`).toBe(want);
            expect(logits(y, z, { weights: ones, reduction: 'sum' }), `weighted z=${bad} y=${y0}`).toBe(want);
            expect(logits.withGrad(y, z, { accuracy: true }).loss, `mean z=${bad}`).toBe(want / n);
          }
        }
      }
    });

    test('binaryFocal with γ = 0 is the αₜ-weighted BCE on logits, bit for bit; for 0/1 targets it is −αₜ(1 − pₜ)^γ ln pₜ', () => {
      for (const dtype of DTYPES) {
        const rand = random(7);
        const n = 1031;
        const y = dtype.Array.from(Array.from({ length: n }, () => (rand() < 0.7 ? Math.round(rand()) : rand())));
        const z = dtype.Array.from(Array.from({ length: n }, () => 30 * rand() - 15));
        const at = y.map((t) => dtype.round(dtype.round(0.25 * t) + dtype.round(0.75 * dtype.round(1 - t)))); // αₜ as the kernel rounds it
        const focal = (binaryFocal as AnyLoss).withGrad(y, z, { gamma: 0, reduction: 'none' });
        const weighted = (logits as AnyLoss).withGrad(y, z, { weights: at, reduction: 'none' });
        expectIdentical(focal.loss, weighted.loss, `${dtype.name} loss`);
        expectIdentical(
          binaryFocal.grad(y, z, { gamma: 0, reduction: 'sum' }),
          logits.grad(y, z, { weights: at, reduction: 'sum' }),
          `${dtype.name} grad`,
        );
        // The contract's formula on hard targets, with p = σ(z) taken plainly (|z| ≤ 15: no underflow).
        for (const [gamma, alpha] of [
          [2, 0.25],
          [0.5, 0.9],
          [3, 0.5],
        ] as const) {
          const want = Array.from(z, (x, i) => {
            const t = Math.round(y[i]!);
            const p = 1 / (1 + Math.exp(-x));
            const pt = p * t + (1 - p) * (1 - t);
            const a = alpha * t + (1 - alpha) * (1 - t);
            return -a * (1 - pt) ** gamma * Math.log(pt);
          });
          const hard = y.map(Math.round);
          expectClose(
            binaryFocal(hard, z, { gamma, alpha, reduction: 'none' }),
            want,
            dtype.name === 'f32' ? 1e-5 : 1e-9,
            `γ=${gamma}`,
            1e-30,
          );
        }
      }
    });

    test('hinge labels: 0 is read as −1; any other label is refused with its index and value', () => {
      const p = Float32Array.of(0.3, -2, 0.9, 1, -1);
      const zero = Float32Array.of(0, 0, 1, 1, 0);
      const minus = Float32Array.of(-1, -1, 1, 1, -1);
      for (const loss of [hinge, squaredHinge] as AnyLoss[]) {
        expectIdentical(
          loss.withGrad(zero, p, { reduction: 'none' }).loss,
          loss.withGrad(minus, p, { reduction: 'none' }).loss,
          loss.lossName,
        );
        expectIdentical(loss.grad(zero, p), loss.grad(minus, p), loss.lossName);
        for (const [bad, shown] of [
          [0.5, '0.5'],
          [2, '2'],
          [-2, '-2'],
          [NaN, 'NaN'],
          [Infinity, 'Infinity'],
        ] as const) {
          const y = minus.slice();
          y[3] = bad;
          expectError(
            () => loss(y, p),
            'target',
            new RegExp(`^${loss.lossName}: target\\[3\\] must be a label −1, 0 \\(read as −1\\) or 1; got ${shown}$`),
            3,
          );
        }
      }
      // The kink y·ŷ = 1 takes the active side: gradient −y (PyTorch's clamp(1 − y·ŷ, min=0)).
      expect(Array.from(hinge.grad(Float32Array.of(1, -1, 0), Float32Array.of(1, -1, -1), { reduction: 'sum' }))).toEqual([-1, 1, 1]);
      expect(Array.from(squaredHinge.grad(Float32Array.of(1, -1), Float32Array.of(1, -1), { reduction: 'sum' }))).toEqual([-0, 0]);
    });

    test('withGrad accuracy: the (weighted) fraction classified right, from the same pass, leaving loss and gradient unchanged', () => {
      const cases = [
        {
          loss: bce,
          right: (y: number, p: number) => p > 0.5 === y > 0.5,
          pred: (r: () => number) => r(),
          target: (r: () => number) => (r() < 0.5 ? Math.round(r()) : r()),
        },
        {
          loss: logits,
          right: (y: number, z: number) => z > 0 === y > 0.5,
          pred: (r: () => number) => 8 * r() - 4,
          target: (r: () => number) => (r() < 0.5 ? Math.round(r()) : r()),
        },
        {
          loss: binaryFocal,
          right: (y: number, z: number) => z > 0 === y > 0.5,
          pred: (r: () => number) => 8 * r() - 4,
          target: (r: () => number) => Math.round(r()),
        },
        {
          loss: hinge,
          right: (y: number, p: number) => p > 0 === y > 0,
          pred: (r: () => number) => 4 * r() - 2,
          target: (r: () => number) => [-1, 0, 1][Math.floor(3 * r())]!,
        },
        {
          loss: squaredHinge,
          right: (y: number, p: number) => p > 0 === y > 0,
          pred: (r: () => number) => 4 * r() - 2,
          target: (r: () => number) => [-1, 0, 1][Math.floor(3 * r())]!,
        },
      ];
      for (const { loss, right, pred, target } of cases) {
        const l = loss as AnyLoss;
        for (const dtype of DTYPES) {
          for (const n of [0, 1, 3, 7, 8, 9, 67, 1025, 8193, 20_001]) {
            const r = random(n + 1);
            const y = dtype.Array.from(Array.from({ length: n }, () => target(r)));
            const p = dtype.Array.from(Array.from({ length: n }, () => pred(r)));
            if (n > 4) p[4] = loss === bce ? 0.5 : 0; // a tie predicts the negative class
            const w = dtype.Array.from(Array.from({ length: n }, () => 2 * r()));
            let hits = 0;
            let whits = 0;
            let wsum = 0;
            for (let i = 0; i < n; i++) {
              const ok = right(y[i]!, p[i]!) ? 1 : 0;
              hits += ok;
              whits += w[i]! * ok;
              wsum += w[i]!;
            }
            const at = `${l.lossName} ${dtype.name} n=${n}`;
            for (const reduction of ['mean', 'sum', 'none'] as const) {
              const plain = l.withGrad(y, p, { reduction });
              const counted = l.withGrad(y, p, { reduction, accuracy: true });
              expect(counted.accuracy, at).toBe(n > 0 ? hits / n : 0);
              if (reduction === 'none') expectIdentical(counted.loss, plain.loss, at);
              else expect(counted.loss, at).toBe(plain.loss);
              expectIdentical(counted.grad, plain.grad, at);
              const weighted = l.withGrad(y, p, { reduction, weights: w, accuracy: true });
              expect(Math.abs(weighted.accuracy - (wsum > 0 ? whits / wsum : 0)), `weighted ${at}`).toBeLessThan(1e-6);
              const out = new dtype.Array(n);
              expect(l.withGrad(y, p, { reduction, weights: w, accuracy: true, out }).grad).toBe(out);
              expect(l.withGrad(y, p, { reduction, accuracy: false })).toEqual(plain);
            }
          }
        }
        expectError(
          () => l(Float32Array.of(1), Float32Array.of(0.5), { accuracy: true }),
          'opts.accuracy',
          /opts\.accuracy is for .*\.withGrad/,
        );
        expectError(() => l.grad(Float32Array.of(1), Float32Array.of(0.5), { accuracy: true }), 'opts.accuracy', /opts\.accuracy is for/);
        expectError(
          () => l.withGrad(Float32Array.of(1), Float32Array.of(0.5), { accuracy: 1 }),
          'opts.accuracy',
          /opts\.accuracy must be true or false; got 1/,
        );
      }
    });

    test('binaryAccuracy: p > threshold against y > ½, with weights and every reduction; no gradient', () => {
      const y = Float32Array.of(1, 0, 1, 0, 1, 0.7, 0.2, 0.5);
      const p = Float32Array.of(0.9, 0.1, 0.4, 0.6, 0.5, 0.8, 0.3, 0.2);
      // right:                   1    1    0    0    0    1    1    1   (p = 0.5 is not > 0.5; y = 0.5 is negative)
      expect(binaryAccuracy(y, p)).toBe(5 / 8);
      expect(binaryAccuracy(y, p, { reduction: 'sum' })).toBe(5);
      expect(Array.from(binaryAccuracy(y, p, { reduction: 'none' }))).toEqual([1, 1, 0, 0, 0, 1, 1, 1]);
      expect(binaryAccuracy(y, p, { threshold: 0.35 })).toBe(7 / 8); // 0.4 and 0.5 now right, 0.6 (y = 0) still wrong
      const w = Float32Array.of(1, 1, 2, 0, 0, 0, 0, 0);
      expect(binaryAccuracy(y, p, { weights: w })).toBe(2 / 4);
      expect(binaryAccuracy(Float64Array.from(y), Float64Array.from(p))).toBe(5 / 8);
      expect(binaryAccuracy(new Float32Array(0), new Float32Array(0))).toBe(0);
      expect((binaryAccuracy as AnyLoss).grad).toBeUndefined();
      expect((binaryAccuracy as AnyLoss).withGrad).toBeUndefined();
      expectError(
        () => binaryAccuracy(y, Float32Array.of(0, 0, 0, 0, 0, 0, 1.5, 0)),
        'pred',
        /^binaryAccuracy: pred\[6\] must be a probability in \[0, 1\]; got 1\.5$/,
        6,
      );
      expectError(
        () => binaryAccuracy(y, p, { threshold: 2 }),
        'opts.threshold',
        /opts\.threshold must be a finite number in \[0, 1\]; got 2/,
      );
      // Large: the same count as a plain loop, both builds, past the block and chunk edges.
      const n = 100_003;
      const r = random(9);
      const yy = Float32Array.from({ length: n }, () => Math.round(r()));
      const pp = Float32Array.from({ length: n }, () => r());
      let hits = 0;
      for (let i = 0; i < n; i++) hits += pp[i]! > 0.5 === yy[i]! > 0.5 ? 1 : 0;
      expect(binaryAccuracy(yy, pp, { reduction: 'sum' })).toBe(hits);
      // Streaming: chunks merged give the same fraction.
      const acc = binaryAccuracy.create().update(yy.subarray(0, 50_001), pp.subarray(0, 50_001));
      const rest = binaryAccuracy.fromJSON(JSON.stringify(binaryAccuracy.create().update(yy.subarray(50_001), pp.subarray(50_001))));
      expect(acc.merge(rest).result()).toBe(hits / n);
      expectTypeOf(binaryAccuracy(yy, pp)).toEqualTypeOf<number>();
      expectTypeOf(bce.withGrad(yy, pp, { accuracy: true })).toEqualTypeOf<{ loss: number; grad: Float32Array; accuracy: number }>();
    });

    // Kernel domain checks, at every place of the loop: inside the unrolled two-vector body (first
    // block and a later one), the one-vector step, the scalar tail, and past a chunk of staging.
    describe('a value outside the domain is reported by index and value from wherever it sits', () => {
      const losses = [
        {
          loss: bce,
          target: 0.5,
          pred: 0.5,
          badTargets: [
            [1.5, '1.5'],
            [-0.25, '-0.25'],
            [NaN, 'NaN'],
          ],
          badPreds: [
            [1.5, '1.5'],
            [-0.25, '-0.25'],
            [NaN, 'NaN'],
            [Infinity, 'Infinity'],
          ],
        },
        {
          loss: logits,
          target: 1,
          pred: 3,
          badTargets: [
            [2, '2'],
            [-1, '-1'],
            [NaN, 'NaN'],
          ],
          badPreds: [],
        },
        {
          loss: binaryFocal,
          target: 0,
          pred: -3,
          badTargets: [
            [1.25, '1.25'],
            [-Infinity, '-Infinity'],
          ],
          badPreds: [],
        },
        { loss: binaryAccuracy, target: 1, pred: 0.25, badTargets: [[3, '3']], badPreds: [[-0.5, '-0.5']] },
        {
          loss: hinge,
          target: -1,
          pred: 3,
          badTargets: [
            [0.5, '0.5'],
            [NaN, 'NaN'],
          ],
          badPreds: [],
        },
      ] as const;
      for (const dtype of DTYPES) {
        const V = dtype.name === 'f32' ? 4 : 2;
        // n = 1024 + 2V·k + V + 1 gives a second block with k two-vector steps, one one-vector step and a 1-element tail.
        const n = 1024 + 4 * V + V + 1;
        const places = {
          'first-block two-vector body': 5,
          'later-block two-vector body': 1024 + 2 * V + 1,
          'one-vector step': 1024 + 4 * V + 1,
          'scalar tail': n - 1,
        };
        for (const { loss, target, pred, badTargets, badPreds } of losses) {
          const l = loss as AnyLoss;
          test(`${l.lossName} ${dtype.name}`, () => {
            const calls = [
              (y: unknown, p: unknown) => l(y, p),
              (y: unknown, p: unknown) => l(y, p, { reduction: 'none', weights: new dtype.Array(n).fill(1) }),
              ...(l.grad
                ? [(y: unknown, p: unknown) => l.grad(y, p), (y: unknown, p: unknown) => l.withGrad(y, p, { accuracy: true })]
                : []),
            ];
            for (const [argument, bads] of [
              ['target', badTargets],
              ['pred', badPreds],
            ] as const) {
              for (const [bad, shown] of bads) {
                for (const [place, at] of Object.entries(places)) {
                  const y = new dtype.Array(n).fill(target);
                  const p = new dtype.Array(n).fill(pred);
                  (argument === 'target' ? y : p)[at] = bad;
                  (argument === 'target' ? y : p)[n - 1 === at ? at : at + 1] = bad; // a second one: the first is reported
                  const message = new RegExp(`: ${argument}\\[${at}\\] must be .*; got ${shown.replace(/[.+]/g, '\\$&')}$`);
                  for (const call of calls) expectError(() => call(y, p), argument, message, at);
                  // Arrays in wasm memory (no staging) report the same.
                  const wy = alloc(n, dtype.name);
                  const wp = alloc(n, dtype.name);
                  wy.array.set(y);
                  wp.array.set(p);
                  expectError(() => calls[0]!(wy, wp), argument, message, at);
                  wy.free();
                  wp.free();
                  void place;
                }
              }
            }
            // Past the first staging chunk (8192 float32 / 4096 float64 elements), and a target
            // reported before a pred at the same index; a bad pred before a bad target is reported first.
            const big = 3 * 8192 + 7;
            const y = new dtype.Array(big).fill(target);
            const p = new dtype.Array(big).fill(pred);
            y[20_000] = badTargets[0]![0];
            expectError(() => calls[0]!(y, p), 'target', /target\[20000\]/, 20_000);
            if (badPreds.length > 0) {
              p[20_000] = badPreds[0]![0];
              expectError(() => calls[0]!(y, p), 'target', /target\[20000\]/, 20_000);
              p[19_999] = badPreds[0]![0];
              expectError(() => calls[0]!(y, p), 'pred', /pred\[19999\]/, 19_999);
            }
            // Still usable, and right, after all of it.
            const ok = (l as AnyLoss)(new dtype.Array(9).fill(target), new dtype.Array(9).fill(pred), { reduction: 'sum' });
            const one = (l as AnyLoss)(new dtype.Array(1).fill(target), new dtype.Array(1).fill(pred));
            expect(ok).toBeCloseTo(9 * one, 5);
          });
        }
      }
    });
  });
}

test('SimdlossError from a kernel check names the loss, the argument, the index, the range and the value', () => {
  initSync(BUILDS[0].bytes);
  expectError(
    () => bce(Float32Array.of(0, 1, 2), Float32Array.of(0.5, 0.5, 0.5)),
    'target',
    /^binaryCrossEntropy: target\[2\] must be in \[0, 1\]; got 2$/,
    2,
  );
  expectError(
    () => bce.withGrad(Float64Array.of(0, 1), Float64Array.of(0.5, -0.5)),
    'pred',
    /^binaryCrossEntropy\.withGrad: pred\[1\] must be a probability in \[0, 1\]; got -0\.5$/,
    1,
  );
  expectError(
    () => logits.grad(Float32Array.of(1.5), Float32Array.of(0)),
    'target',
    /^binaryCrossEntropyWithLogits\.grad: target\[0\] must be in \[0, 1\]; got 1\.5$/,
    0,
  );
  // −0 is a valid 0 everywhere.
  expect(bce(Float32Array.of(-0), Float32Array.of(-0))).toBeGreaterThan(0);
  expect(hinge(Float32Array.of(-0), Float32Array.of(0))).toBe(1);
});

function expectError(call: () => unknown, argument: string, message: RegExp, index?: number): void {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, `throws ${message}`).toBeInstanceOf(SimdlossError);
  const e = error as SimdlossError;
  expect(e.argument).toBe(argument);
  expect(e.message).toMatch(message);
  expect(e.index).toBe(index);
}
