// Whether two arrays share memory, as an embedding loss asks of each gradient and every other
// array: a gradient may be its own input (in place), never a shifted view of one nor another
// output; arrays side by side in one buffer share nothing. triplet over one row of 2: anchor
// (0, 0), positive (1, 0), negative (0, ½), margin 1: ‖a − p‖ = 1, ‖a − n‖ = ½, the loss 1.5; its
// gradients ∂/∂a = (−1, 1), ∂/∂p = (1, 0), ∂/∂n = (0, −1).
import { beforeAll, expect, test } from 'vitest';
import { alloc, init, memory, triplet } from '../../src/node.js';
import { refusal } from '../helpers.js';

beforeAll(async () => {
  await init();
});

const anchor = () => Float32Array.of(0, 0);
const positive = () => Float32Array.of(1, 0);
const negative = () => Float32Array.of(0, 0.5);
const message = (what: string, other: string) =>
  `triplet.grad: ${what} overlaps ${other} (an output may be its own input, not a shifted view or another argument)`;

test('a gradient written over its own input', () => {
  const a = anchor();
  const g = triplet.grad(a, positive(), negative(), { dim: 2, out: { anchor: a } });
  expect(g.anchor).toBe(a);
  expect(Array.from(a)).toEqual([-1, 1]);
});

test('a gradient and an input side by side in one buffer, in either order', () => {
  const before = Float32Array.of(0, 0, 1, 0);
  const g = triplet.grad(anchor(), before.subarray(2, 4), negative(), { dim: 2, out: { anchor: before.subarray(0, 2) } });
  expect(Array.from(g.anchor)).toEqual([-1, 1]);
  const after = Float32Array.of(1, 0, 0, 0);
  const h = triplet.grad(anchor(), after.subarray(0, 2), negative(), { dim: 2, out: { anchor: after.subarray(2, 4) } });
  expect(Array.from(h.anchor)).toEqual([-1, 1]);
});

test('two gradients into the same array are refused', () => {
  const out = new Float32Array(2);
  expect(refusal(() => triplet.grad(anchor(), positive(), negative(), { dim: 2, out: { anchor: out, positive: out } }))).toEqual([
    message('opts.out.positive', 'opts.out.anchor'),
    'opts.out.positive',
  ]);
});

test('a WasmArray gradient with an ordinary view over wasm memory, one element into it, as an input', () => {
  const out = alloc(2);
  try {
    const p = new Float32Array(memory().buffer, out.ptr + 4, 2);
    p.set(positive());
    expect(refusal(() => triplet.grad(anchor(), p, negative(), { dim: 2, out: { anchor: out } }))).toEqual([
      message('opts.out.anchor', 'positive'),
      'opts.out.anchor',
    ]);
  } finally {
    out.free();
  }
});

test('an ordinary gradient longer than a WasmArray input’s offset, beside WasmArray inputs', () => {
  // 4 × 400 000 bytes: past every WasmArray's offset here, so its own offset must not be compared with theirs
  const n = 400_000;
  const rows = n / 2;
  const inputs = [alloc(n), alloc(n), alloc(n)] as const;
  try {
    expect(inputs[0].ptr).toBeLessThan(4 * n);
    for (let r = 0; r < rows; r++) {
      inputs[1].array[2 * r] = 1;
      inputs[2].array[2 * r + 1] = 0.5;
    }
    const g = triplet.grad(inputs[0], inputs[1], inputs[2], { dim: 2, out: { anchor: new Float32Array(n) } });
    for (const [i, want] of [
      [0, -1 / rows],
      [1, 1 / rows],
      [n - 2, -1 / rows],
      [n - 1, 1 / rows],
    ] as const) {
      expect(Math.abs(g.anchor[i]! - want)).toBeLessThanOrEqual(1e-6 * Math.abs(want));
    }
  } finally {
    for (const a of inputs) a.free();
  }
});

test('an ordinary view over wasm memory from byte 0, long enough to reach a WasmArray gradient, on either side', () => {
  // its byte offset is 0, a real offset: the view and the WasmArray overlap
  const n = 1 << 20;
  const out = alloc(n);
  try {
    expect(out.ptr).toBeLessThan(4 * n);
    const view = new Float32Array(memory().buffer, 0, n);
    const zeros = () => new Float32Array(n);
    expect(refusal(() => triplet.grad(view, zeros(), zeros(), { dim: 2, out: { positive: out } }))).toEqual([
      message('opts.out.positive', 'anchor'),
      'opts.out.positive',
    ]);
    expect(refusal(() => triplet.grad(zeros(), zeros(), zeros(), { dim: 2, out: { anchor: view, positive: out } }))).toEqual([
      message('opts.out.positive', 'opts.out.anchor'),
      'opts.out.positive',
    ]);
    expect(refusal(() => triplet.grad(zeros(), zeros(), zeros(), { dim: 2, out: { anchor: out, positive: view } }))).toEqual([
      message('opts.out.positive', 'opts.out.anchor'),
      'opts.out.positive',
    ]);
  } finally {
    out.free();
  }
});
