// What a similarity loss refuses, message and argument whole: dim at its largest, the arrays it is
// measured against, an opts.out over an input (pred, target, or the weights, of a row's length or
// not), and the options an accumulator does not take.
import { beforeAll, describe, expect, test } from 'vitest';
import { cosineSimilarity, dice, init, tversky } from '../../src/node.js';
import { refusal } from '../helpers.js';
import { dice as diceReference } from '../reference/similarity.js';

beforeAll(async () => {
  await init();
});

type AnyLoss = any; // each loss has its own option type; every call passes the right ones
const LOSSES: [string, AnyLoss][] = [
  ['dice', dice],
  ['tversky', tversky],
  ['cosineSimilarity', cosineSimilarity],
];

describe.each(LOSSES)('%s', (name, loss) => {
  test('opts.dim up to 2³⁰ − 1 (the kernels index rows by int32 bytes), and not past it', () => {
    const none = new Float32Array(0);
    // no rows: the mean over none is 0
    expect(loss(none, none, { dim: 0x3fffffff })).toBe(0);
    expect(loss.create({ dim: 0x3fffffff }).result()).toBe(0);
    const past = `opts.dim (values per row) is required: an integer ≥ 1; got ${0x40000000}`;
    expect(refusal(() => loss(none, none, { dim: 0x40000000 }))).toEqual([`${name}: ${past}`, 'opts.dim']);
    expect(refusal(() => loss.create({ dim: 0x40000000 }))).toEqual([`${name}.create: ${past}`, 'opts.dim']);
  });

  test('opts is required (it holds dim): left out or null, refused', () => {
    const y = new Float32Array(3);
    const must = 'opts must be an object with opts.dim (values per row)';
    expect(refusal(() => loss(y, y))).toEqual([`${name}: ${must}; got undefined`, 'opts']);
    expect(refusal(() => loss(y, y, null))).toEqual([`${name}: ${must}; got null`, 'opts']);
    expect(refusal(() => loss.create(null))).toEqual([`${name}.create: ${must}; got null`, 'opts']);
  });

  test('target and out are measured against pred, by name', () => {
    const p = new Float32Array(6);
    expect(refusal(() => loss(new Float32Array(4), p, { dim: 3 }))).toEqual([`${name}: target has 4 elements but pred has 6`, 'target']);
    expect(refusal(() => loss.grad(new Float32Array(6), p, { dim: 3, out: new Float32Array(5) }))).toEqual([
      `${name}.grad: opts.out has 5 elements but pred has 6`,
      'opts.out',
    ]);
  });

  test('an opts.out over an input at another offset is refused, naming the input', () => {
    const over = (input: string) => [
      `${name}.grad: opts.out overlaps ${input} at a different offset (it may be pred itself, not a shifted view)`,
      'opts.out',
    ];
    const buffer = new Float32Array(7);
    const y = new Float32Array(6);
    const p = new Float32Array(6).fill(0.5);
    expect(refusal(() => loss.grad(y, buffer.subarray(0, 6), { dim: 3, out: buffer.subarray(1) }))).toEqual(over('pred'));
    expect(refusal(() => loss.grad(buffer.subarray(1), p, { dim: 3, out: buffer.subarray(0, 6) }))).toEqual(over('target'));
    // dim 1: weights as long as out, shifted by one
    expect(refusal(() => loss.grad(y, p, { dim: 1, weights: buffer.subarray(1), out: buffer.subarray(0, 6) }))).toEqual(
      over('opts.weights'),
    );
    // dim 3: weights (one per row) inside out, at out's own start
    const rows = new Float32Array(6);
    expect(refusal(() => loss.grad(y, p, { dim: 3, weights: rows.subarray(0, 2), out: rows }))).toEqual(over('opts.weights'));
  });

  test('an accumulator refuses weights and reduction none, naming what it takes', () => {
    expect(refusal(() => loss.create({ dim: 3, weights: new Float32Array(2) }))).toEqual([
      `${name}.create: opts.weights is not an accumulator option (weights go with each batch: update(target, pred, weights))`,
      'opts.weights',
    ]);
    expect(refusal(() => loss.create({ dim: 3, reduction: 'none' }))).toEqual([
      `${name}.create: opts.reduction must be 'mean' or 'sum': an accumulator keeps sums, not per-row losses; got 'none'`,
      'opts.reduction',
    ]);
    // the list an accumulator takes: the call's options less weights and out
    const own = { dice: ', smooth', tversky: ', alpha, beta, smooth', cosineSimilarity: '' }[name];
    expect(refusal(() => loss.create({ dim: 3, foo: 1 }))).toEqual([
      `${name}.create: unknown option 'foo' (this loss takes: dim, reduction${own})`,
      'opts.foo',
    ]);
    const y = new Float32Array(3);
    expect(refusal(() => loss.create({ dim: 3 }).update(y, y, new Float32Array(1), y))).toEqual([
      `${name}.update: takes (target, pred, weights?); got 4 arguments`,
      'arguments',
    ]);
  });
});

test('opts.out may be the weights themselves (dim 1: one weight per value), read before the gradient is written', () => {
  // rows of one value: 1 − (2yp + s)/(y + p + s) each
  const y = Float64Array.of(1, 0, 1, 1);
  const p = Float64Array.of(0.25, 0.5, 1, 0.75);
  const weights = Float64Array.of(1, 2, 0.5, 3);
  const w = Float64Array.from(weights);
  const g = dice.grad(y, p, { dim: 1, reduction: 'sum', weights, out: weights }) as Float64Array;
  expect(g).toBe(weights);
  for (let i = 0; i < 4; i++) {
    const want = w[i]! * diceReference.row([y[i]!], [p[i]!], {}).grad[0]!;
    if (!(Math.abs(g[i]! - want) <= 1e-14 * Math.abs(want))) expect.fail(`grad[${i}] = ${g[i]}, want ${want}`);
  }
});
