// A loss remembers the last output and inputs it found apart, so that a training loop passing the
// same arrays is not checked again. Only the very same four arrays may skip the check: a call that
// keeps three of them and brings a new one that overlaps another at a shifted offset is refused as a
// first call would be.
import { beforeAll, describe, expect, test } from 'vitest';
import { init, mse } from '../../src/node.js';
import { refusal } from '../helpers.js';

beforeAll(async () => {
  await init();
});

const N = 8;
const shifted = (overlapped: string) =>
  `mse.grad: opts.out overlaps ${overlapped} at a different offset (it may be pred itself, not a shifted view)`;

/** Each argument the first N elements of a buffer of its own, one element longer: its next view one element in. */
function arrays() {
  const buffers = {
    out: new Float32Array(N + 1),
    pred: new Float32Array(N + 1),
    target: new Float32Array(N + 1),
    weights: new Float32Array(N + 1),
  };
  buffers.pred.fill(3);
  buffers.target.fill(1);
  buffers.weights.fill(1);
  const first = (b: Float32Array) => b.subarray(0, N);
  const next = (b: Float32Array) => b.subarray(1, N + 1);
  return {
    out: first(buffers.out),
    pred: first(buffers.pred),
    target: first(buffers.target),
    weights: first(buffers.weights),
    next,
    buffers,
  };
}

describe('mse.grad into opts.out, after a call on arrays found apart', () => {
  test('the same four arrays again: the gradient 2(p − y)/N = 1/2 each time', () => {
    const a = arrays();
    for (let k = 0; k < 2; k++) {
      const g = mse.grad(a.target, a.pred, { out: a.out, weights: a.weights });
      expect(Array.from(g)).toEqual(new Array(N).fill(0.5));
    }
  });

  test('a new out, one element into pred', () => {
    const a = arrays();
    mse.grad(a.target, a.pred, { out: a.out, weights: a.weights });
    const out = a.next(a.buffers.pred);
    expect(refusal(() => mse.grad(a.target, a.pred, { out, weights: a.weights }))).toEqual([shifted('pred'), 'opts.out']);
  });

  test('a new pred, one element into out', () => {
    const a = arrays();
    mse.grad(a.target, a.pred, { out: a.out, weights: a.weights });
    const pred = a.next(a.buffers.out);
    expect(refusal(() => mse.grad(a.target, pred, { out: a.out, weights: a.weights }))).toEqual([shifted('pred'), 'opts.out']);
  });

  test('a new target, one element into out', () => {
    const a = arrays();
    mse.grad(a.target, a.pred, { out: a.out, weights: a.weights });
    const target = a.next(a.buffers.out);
    expect(refusal(() => mse.grad(target, a.pred, { out: a.out, weights: a.weights }))).toEqual([shifted('target'), 'opts.out']);
  });

  test('new weights, one element into out', () => {
    const a = arrays();
    mse.grad(a.target, a.pred, { out: a.out, weights: a.weights });
    const weights = a.next(a.buffers.out);
    expect(refusal(() => mse.grad(a.target, a.pred, { out: a.out, weights }))).toEqual([shifted('opts.weights'), 'opts.out']);
  });
});
