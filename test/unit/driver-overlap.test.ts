// Arrays in wasm memory beside ordinary arrays longer than a WasmArray's offset: they never share
// memory, however their byte ranges would compare if an ordinary array's offset were taken for an
// address in wasm memory. Each call succeeds and gives the gradient worked out by hand.
import { beforeAll, describe, expect, test } from 'vitest';
import { alloc, init, memory, mse, SimdlossError, softmaxCrossEntropy, triplet, type WasmArray } from '../../src/node.js';
import { refusal } from '../helpers.js';

beforeAll(async () => {
  await init();
});

// Past every WasmArray's offset (above the scratch area, under 1 MB here) in bytes: 4 × 400 000
const N = 400_000;

/** Every element within a relative 1e-5 of `want` (float32 arithmetic, distances rounded). */
function all(actual: ArrayLike<number>, want: number, what: string): void {
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i]! - want) <= 1e-5 * Math.abs(want))) expect.fail(`${what}[${i}] = ${actual[i]}, want ${want}`);
  }
}

function using<T>(arrays: WasmArray[], run: () => T): T {
  try {
    return run();
  } finally {
    for (const a of arrays) a.free();
  }
}

describe('elementwise', () => {
  test('a WasmArray gradient from large ordinary target, pred and weights', () => {
    const out = alloc(N);
    expect(out.ptr).toBeLessThan(4 * N);
    using([out], () => {
      // (p − y)² with p − y = 1, weights 1: gradient 2·1 / N
      const grad = mse.grad(new Float32Array(N), new Float32Array(N).fill(1), { out, weights: new Float32Array(N).fill(1) });
      all(grad, 2 / N, 'grad');
    });
  });

  test('an ordinary gradient from large WasmArray inputs', () => {
    const y = alloc(N);
    const p = alloc(N);
    using([y, p], () => {
      p.array.fill(1);
      all(mse.grad(y, p, { out: new Float32Array(N) }), 2 / N, 'grad');
    });
  });
});

test('an ordinary view over wasm memory, shifted against a WasmArray gradient, is refused', () => {
  const out = alloc(8);
  using([out], () => {
    const pred = new Float32Array(memory().buffer, out.ptr + 4, 8);
    const call = () => mse.grad(new Float32Array(8), pred, { out });
    expect(call).toThrow(SimdlossError);
    expect(call).toThrow('mse.grad: opts.out overlaps pred at a different offset (it may be pred itself, not a shifted view)');
  });
});

test('an ordinary view over wasm memory from byte 0, long enough to reach a WasmArray pred, is refused as opts.out', () => {
  const pred = alloc(N);
  using([pred], () => {
    expect(pred.ptr).toBeLessThan(4 * N);
    const out = new Float32Array(memory().buffer, 0, N);
    let error: unknown;
    try {
      mse.grad(new Float32Array(N), pred, { out });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SimdlossError);
    expect((error as SimdlossError).message).toBe(
      'mse.grad: opts.out overlaps pred at a different offset (it may be pred itself, not a shifted view)',
    );
    expect((error as SimdlossError).argument).toBe('opts.out');
  });
});

test('the other way round: a WasmArray opts.out inside an ordinary view over wasm memory from byte 0, given as pred, is refused', () => {
  const out = alloc(N);
  using([out], () => {
    expect(out.ptr).toBeLessThan(4 * N);
    const pred = new Float32Array(memory().buffer, 0, N);
    expect(refusal(() => mse.grad(new Float32Array(N), pred, { out }))).toEqual([
      'mse.grad: opts.out overlaps pred at a different offset (it may be pred itself, not a shifted view)',
      'opts.out',
    ]);
  });
});

describe('classification', () => {
  test('a WasmArray gradient from large ordinary logits, targets and row weights', () => {
    const rows = N / 2;
    const out = alloc(N);
    using([out], () => {
      // logits (0, 0), target (1, 0): softmax (½, ½), gradient (−½, ½) / rows
      const target = new Float32Array(N);
      for (let r = 0; r < rows; r++) target[2 * r] = 1;
      const grad = softmaxCrossEntropy.grad(target, new Float32Array(N), { classes: 2, out, weights: new Float32Array(rows).fill(1) });
      all(
        grad.filter((_, i) => i % 2 === 0),
        -0.5 / rows,
        'grad[even]',
      );
      all(
        grad.filter((_, i) => i % 2 === 1),
        0.5 / rows,
        'grad[odd]',
      );
    });
  });
});

describe('embedding', () => {
  test('WasmArray gradients from large ordinary anchors, positives and negatives', () => {
    const rows = N / 2;
    const anchor = new Float32Array(N);
    const positive = new Float32Array(N);
    const negative = new Float32Array(N);
    for (let r = 0; r < rows; r++) {
      positive[2 * r] = 1; // d(a, p) = 1
      negative[2 * r + 1] = 0.5; // d(a, n) = 0.5: the margin 1 is missed by 1.5
    }
    const outs = [alloc(N), alloc(N), alloc(N)];
    using(outs, () => {
      const grad = triplet.grad(anchor, positive, negative, {
        dim: 2,
        out: { anchor: outs[0]!, positive: outs[1]!, negative: outs[2]! },
      }) as unknown as Record<'anchor' | 'positive' | 'negative', Float32Array>;
      // ∂/∂p ‖a − p‖ = (p − a)/‖p − a‖ = (1, 0); ∂/∂n of −‖a − n‖ = −(n − a)/‖n − a‖ = (0, −1); ∂/∂a the negated sum
      const pick = (a: Float32Array, k: number) => a.filter((_, i) => i % 2 === k);
      all(pick(grad.positive, 0), 1 / rows, 'positive[x]');
      all(pick(grad.negative, 1), -1 / rows, 'negative[y]');
      all(pick(grad.anchor, 0), -1 / rows, 'anchor[x]');
      all(pick(grad.anchor, 1), 1 / rows, 'anchor[y]');
    });
  });
});
