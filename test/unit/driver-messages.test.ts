// The whole text of each message the shared checks give (arguments, dtypes, lengths, reductions,
// numeric ranges and their bounds, option names, flags, accumulator options), the value shown as a
// user would write it, and the bounds of each range accepted or refused exactly at the bound. The
// expected texts are the documented wordings, written out here.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  alloc,
  binaryAccuracy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  huber,
  init,
  klDivergence,
  memory,
  mse,
  SimdlossError,
  sparseSoftmaxCrossEntropy,
  triplet,
} from '../../src/node.js';

beforeAll(async () => {
  await init();
});

type AnyFn = (...args: unknown[]) => unknown;

/** The SimdlossError `run` throws: its whole message, .argument and .index. */
function thrown(run: () => unknown): { message: string; argument: string | undefined; index: number | undefined } {
  try {
    run();
  } catch (e) {
    if (!(e instanceof SimdlossError)) throw e;
    expect(e.name).toBe('SimdlossError');
    return { message: e.message, argument: e.argument, index: e.index };
  }
  return expect.fail('no error thrown');
}

const y = Float32Array.of(0, 1);
const p = Float32Array.of(0.25, 0.75);
const f = mse as unknown as AnyFn;

describe('arrays', () => {
  const must = 'must be a Float32Array or a Float64Array (or a WasmArray of one)';

  test('a value that is not an array is named as it was passed, with no hint', () => {
    expect(thrown(() => f(y, 'x'))).toEqual({ message: `mse: pred ${must}; got 'x'`, argument: 'pred', index: undefined });
    expect(thrown(() => f(7, p)).message).toBe(`mse: target ${must}; got 7`);
    expect(thrown(() => f(y, null)).message).toBe(`mse: pred ${must}; got null`);
    expect(thrown(() => f(y, undefined)).message).toBe(`mse: pred ${must}; got undefined`);
    expect(thrown(() => f(y, true)).message).toBe(`mse: pred ${must}; got boolean`);
    expect(thrown(() => f(y, () => 0)).message).toBe(`mse: pred ${must}; got function`);
    expect(thrown(() => f(y, Object.create(null))).message).toBe(`mse: pred ${must}; got object`);
    expect(thrown(() => f(y, new Map())).message).toBe(`mse: pred ${must}; got Map`);
    expect(thrown(() => f(y, Int32Array.of(1, 2))).message).toBe(`mse: pred ${must}; got Int32Array`);
  });

  test('a plain array is told how to wrap it', () => {
    expect(thrown(() => f(y, [0.25, 0.75])).message).toBe(`mse: pred ${must}; got Array (wrap a plain array: Float64Array.from(values))`);
  });

  test('a WasmArray of int32 is named by its dtype', () => {
    const labels = alloc(2, 'i32');
    try {
      expect(thrown(() => f(y, labels)).message).toBe(`mse: pred ${must}; got a WasmArray of 'i32'`);
    } finally {
      labels.free();
    }
  });

  test('dtypes are not mixed, lengths must match, and only a detached view is told it is one', () => {
    expect(thrown(() => f(Float64Array.of(0, 1), p))).toEqual({
      message: 'mse: target is a Float64Array but pred is a Float32Array: float32 and float64 cannot be mixed',
      argument: 'target',
      index: undefined,
    });
    expect(thrown(() => f(Float32Array.of(0, 1, 2), p)).message).toBe('mse: target has 3 elements but pred has 2');
    expect(thrown(() => f(new Float32Array(0), p)).message).toBe('mse: target has 0 elements but pred has 2');
    const buffer = new ArrayBuffer(8);
    const detached = new Float32Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    expect(detached.length).toBe(0);
    expect(thrown(() => f(detached, p)).message).toBe(
      'mse: target has 0 elements but pred has 2 (a detached view: memory grew; take WasmArray.array again)',
    );
    const grown = alloc(2);
    const stale = grown.array;
    memory().grow(1);
    try {
      expect(thrown(() => f(stale, p)).message).toBe(
        'mse: target has 0 elements but pred has 2 (a detached view: memory grew; take WasmArray.array again)',
      );
    } finally {
      grown.free();
    }
    expect(thrown(() => f(y, p, { weights: Float32Array.of(1) }))).toEqual({
      message: 'mse: opts.weights has 1 elements but pred has 2',
      argument: 'opts.weights',
      index: undefined,
    });
  });
});

describe('options', () => {
  test('opts must be an object; null and undefined are no options', () => {
    expect(thrown(() => f(y, p, 'sum'))).toEqual({ message: "mse: opts must be an object; got 'sum'", argument: 'opts', index: undefined });
    expect(thrown(() => f(y, p, 3)).message).toBe('mse: opts must be an object; got 3');
    // (0 − 0.25)² and (1 − 0.75)², both exact: the mean is 0.0625
    expect(f(y, p, null)).toBe(0.0625);
    expect(f(y, p, undefined)).toBe(0.0625);
  });

  test("reduction: 'mean', 'sum' or 'none', and the message says which were allowed", () => {
    expect(thrown(() => f(y, p, { reduction: 'avg' }))).toEqual({
      message: "mse: opts.reduction must be 'mean', 'sum' or 'none'; got 'avg'",
      argument: 'opts.reduction',
      index: undefined,
    });
    expect(thrown(() => f(y, p, { reduction: null })).message).toBe("mse: opts.reduction must be 'mean', 'sum' or 'none'; got null");
    expect(f(y, p, { reduction: 'mean' })).toBe(0.0625);
    expect(f(y, p, { reduction: 'sum' })).toBe(0.125);
    expect(Array.from(f(y, p, { reduction: 'none' }) as Float32Array)).toEqual([0.0625, 0.0625]);
  });

  test('an unknown option lists the options this loss takes, in order', () => {
    expect(thrown(() => f(y, p, { reduciton: 'sum' }))).toEqual({
      message: "mse: unknown option 'reduciton' (this loss takes: reduction, weights, out)",
      argument: 'opts.reduciton',
      index: undefined,
    });
    expect(thrown(() => (huber as unknown as AnyFn)(y, p, { beta: 1 })).message).toBe(
      "huber: unknown option 'beta' (this loss takes: reduction, weights, out, delta)",
    );
    expect(thrown(() => (binaryCrossEntropy as unknown as AnyFn)(y, p, { delta: 1 })).message).toBe(
      "binaryCrossEntropy: unknown option 'delta' (this loss takes: reduction, weights, out, accuracy, eps, posWeight)",
    );
  });

  test('numeric options: the range in the words of its bounds, the value as written', () => {
    const h = huber as unknown as AnyFn;
    expect(thrown(() => h(y, p, { delta: 0 }))).toEqual({
      message: 'huber: opts.delta must be a finite number > 0; got 0',
      argument: 'opts.delta',
      index: undefined,
    });
    expect(thrown(() => h(y, p, { delta: -0 })).message).toBe('huber: opts.delta must be a finite number > 0; got -0');
    expect(thrown(() => h(y, p, { delta: '1' })).message).toBe("huber: opts.delta must be a finite number > 0; got '1'");
    expect(thrown(() => h(y, p, { delta: Infinity })).message).toBe('huber: opts.delta must be a finite number > 0; got Infinity');
    const bce = binaryCrossEntropy as unknown as AnyFn;
    expect(thrown(() => bce(y, p, { eps: 0.5 })).message).toBe('binaryCrossEntropy: opts.eps must be a finite number in (0, 0.5); got 0.5');
    expect(thrown(() => bce(y, p, { posWeight: -1e-9 })).message).toBe(
      'binaryCrossEntropy: opts.posWeight must be a finite number ≥ 0; got -1e-9',
    );
    const logits = binaryCrossEntropyWithLogits as unknown as AnyFn;
    expect(thrown(() => logits(y, p, { labelSmoothing: 1.5 })).message).toBe(
      'binaryCrossEntropyWithLogits: opts.labelSmoothing must be a finite number in [0, 1]; got 1.5',
    );
  });

  test('each bound is in the range or out of it exactly as the range says', () => {
    const bce = binaryCrossEntropy as unknown as AnyFn;
    // [0, ∞): 0 is in
    expect(() => bce(y, p, { posWeight: 0 })).not.toThrow();
    // (0, 0.5): neither bound is in; values just inside are
    expect(() => bce(y, p, { eps: 0 })).toThrow(/opts\.eps must be a finite number in \(0, 0\.5\); got 0$/);
    expect(() => bce(y, p, { eps: 0.5 })).toThrow(SimdlossError);
    expect(() => bce(y, p, { eps: 0.4999 })).not.toThrow();
    expect(() => bce(y, p, { eps: 1e-300 })).not.toThrow();
    // [0, 1]: both bounds are in
    const accuracy = binaryAccuracy as unknown as AnyFn;
    // threshold 0 calls both examples 1, threshold 1 calls both 0: one of the two right either way
    expect(accuracy(y, p, { threshold: 0 })).toBe(0.5);
    expect(accuracy(y, p, { threshold: 1 })).toBe(0.5);
    expect(() => accuracy(y, p, { threshold: 1 + 2 ** -52 })).toThrow(/in \[0, 1\]; got 1\.0000000000000002$/);
  });

  test('flags are true or false', () => {
    const categorical = klDivergence as unknown as AnyFn;
    const target = Float32Array.of(0, 1);
    const probabilities = Float32Array.of(0.5, 0.5);
    expect(thrown(() => categorical(target, probabilities, { classes: 2, fromLogits: 1 }))).toEqual({
      message: 'klDivergence: opts.fromLogits must be true or false; got 1',
      argument: 'opts.fromLogits',
      index: undefined,
    });
  });

  test('ignoreIndex: any int32, both ends of the range included, nothing past them', () => {
    const sparse = sparseSoftmaxCrossEntropy as unknown as AnyFn;
    const labels = Int32Array.of(1);
    const logits = Float64Array.of(0, 0);
    for (const ignoreIndex of [-2147483648, 2147483647]) {
      // the one row is not ignored: ln 2
      expect(sparse(labels, logits, { classes: 2, ignoreIndex })).toBeCloseTo(Math.LN2, 14);
    }
    const message = (v: string) => `sparseSoftmaxCrossEntropy: opts.ignoreIndex must be an integer in [-2147483648, 2147483647]; got ${v}`;
    expect(thrown(() => sparse(labels, logits, { classes: 2, ignoreIndex: 2147483648 }))).toEqual({
      message: message('2147483648'),
      argument: 'opts.ignoreIndex',
      index: undefined,
    });
    expect(thrown(() => sparse(labels, logits, { classes: 2, ignoreIndex: -2147483649 })).message).toBe(message('-2147483649'));
    expect(thrown(() => sparse(labels, logits, { classes: 2, ignoreIndex: 0.5 })).message).toBe(message('0.5'));
    expect(thrown(() => sparse(labels, logits, { classes: 2, ignoreIndex: '1' })).message).toBe(message("'1'"));
  });

  test('accuracy: true only with withGrad, and a boolean', () => {
    const bce = binaryCrossEntropy as unknown as AnyFn & { grad: AnyFn; withGrad: AnyFn };
    expect(thrown(() => bce(y, p, { accuracy: true }))).toEqual({
      message: 'binaryCrossEntropy: opts.accuracy is for binaryCrossEntropy.withGrad',
      argument: 'opts.accuracy',
      index: undefined,
    });
    expect(thrown(() => bce.grad(y, p, { accuracy: true })).message).toBe(
      'binaryCrossEntropy.grad: opts.accuracy is for binaryCrossEntropy.withGrad',
    );
    expect(thrown(() => bce.withGrad(y, p, { accuracy: 1 })).message).toBe(
      'binaryCrossEntropy.withGrad: opts.accuracy must be true or false; got 1',
    );
    expect(thrown(() => bce(y, p, { accuracy: 'yes' })).message).toBe("binaryCrossEntropy: opts.accuracy must be true or false; got 'yes'");
    expect(() => bce(y, p, { accuracy: false })).not.toThrow();
    // p = 0.25 for y = 0 and 0.75 for y = 1: both right at the 0.5 threshold
    expect((bce.withGrad(y, p, { accuracy: true }) as { accuracy: number }).accuracy).toBe(1);
    expect(bce.withGrad(y, p, { accuracy: false })).not.toHaveProperty('accuracy');
  });

  test('opts.out: only for a gradient', () => {
    expect(thrown(() => f(y, p, { out: new Float32Array(2) }))).toEqual({
      message: 'mse: opts.out is for the gradient; mse() returns none',
      argument: 'opts.out',
      index: undefined,
    });
  });
});

describe('accumulators', () => {
  test('weights and out are refused at create, each with its reason', () => {
    expect(thrown(() => mse.create({ weights: p } as never))).toEqual({
      message: 'mse.create: opts.weights is not an accumulator option (weights go with each batch: update(target, pred, weights))',
      argument: 'opts.weights',
      index: undefined,
    });
    expect(thrown(() => mse.create({ out: p } as never))).toEqual({
      message: 'mse.create: opts.out is not an accumulator option (an accumulator computes no gradient)',
      argument: 'opts.out',
      index: undefined,
    });
  });

  test("reduction 'none' is refused, 'mean' is the default, 'sum' is kept", () => {
    expect(thrown(() => mse.create({ reduction: 'none' } as never))).toEqual({
      message: "mse.create: opts.reduction must be 'mean' or 'sum': an accumulator keeps sums, not per-example losses; got 'none'",
      argument: 'opts.reduction',
      index: undefined,
    });
    expect(thrown(() => mse.create({ reduction: 'avg' } as never)).message).toBe(
      "mse.create: opts.reduction must be 'mean', 'sum' or 'none'; got 'avg'",
    );
    expect(thrown(() => mse.create('sum' as never)).message).toBe("mse.create: opts must be an object; got 'sum'");
    expect(thrown(() => mse.create({ delta: 1 } as never)).message).toBe("mse.create: unknown option 'delta' (this loss takes: reduction)");
    expect(mse.create().options).toEqual({ reduction: 'mean' });
    expect(mse.create({ reduction: 'sum' }).options).toEqual({ reduction: 'sum' });
    expect(huber.create().options).toEqual({ reduction: 'mean', delta: 1 });
    expect(huber.create({ delta: 0.5 }).options).toEqual({ reduction: 'mean', delta: 0.5 });
    expect(thrown(() => huber.create({ delta: 0 })).message).toBe('huber.create: opts.delta must be a finite number > 0; got 0');
    // 'sum' adds, 'mean' divides by the examples: the same batch, 0.125 and 0.0625
    expect(mse.create({ reduction: 'sum' }).update(y, p).result()).toBe(0.125);
    expect(mse.create().update(y, p).result()).toBe(0.0625);
  });

  test('update takes the arrays and the weights, nothing more', () => {
    const a = Float32Array.of(0, 0);
    const b = Float32Array.of(1, 0);
    const tri = triplet.create({ dim: 2 }) as unknown as { update: AnyFn };
    expect(thrown(() => tri.update(a, a, b, Float32Array.of(1), a))).toEqual({
      message: 'triplet.update: takes (anchor, positive, negative, weights?); got 5 arguments',
      argument: 'arguments',
      index: undefined,
    });
    // four arguments are the three inputs and the weights: max(‖a − a‖ − ‖a − b‖ + 1, 0) = 0 at weight 2
    expect((tri.update(a, a, b, Float32Array.of(2)) as { result(): number }).result()).toBe(0);
  });
});
