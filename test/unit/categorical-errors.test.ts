// Bad input to the row-wise losses and metrics: a SimdlossError naming the argument, index,
// expected range and value seen; and the library keeps giving right answers afterwards.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  alloc,
  categoricalAccuracy,
  categoricalCrossEntropy,
  categoricalHinge,
  init,
  klDivergence,
  multilabelSoftMargin,
  multiMargin,
  SimdlossError,
  softmaxCrossEntropy,
  softmaxFocal,
  sparseCategoricalAccuracy,
  sparseSoftmaxCrossEntropy,
  topKAccuracy,
} from '../../src/node.js';

beforeAll(async () => {
  await init();
});

type AnyLoss = any;
function expectError(call: () => unknown, argument: string, message: RegExp, index?: number): void {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error, 'throws').toBeInstanceOf(SimdlossError);
  const e = error as SimdlossError;
  expect(e.argument).toBe(argument);
  expect(e.message).toMatch(message);
  expect(e.index).toBe(index);
}

const z = Float32Array.of(1, 2, 3, 0, 0, 5); // 2 rows of 3 classes
const labels = Int32Array.of(2, 1);
const target = Float32Array.of(0, 0, 1, 0.5, 0.5, 0);

const sparse = [
  ['sparseSoftmaxCrossEntropy', sparseSoftmaxCrossEntropy],
  ['sparseCategoricalAccuracy', sparseCategoricalAccuracy],
  ['topKAccuracy', topKAccuracy],
  ['multiMargin', multiMargin],
] as const;
const dense = [
  ['softmaxCrossEntropy', softmaxCrossEntropy],
  ['categoricalAccuracy', categoricalAccuracy],
  ['categoricalCrossEntropy', categoricalCrossEntropy],
  ['klDivergence', klDivergence],
  ['categoricalHinge', categoricalHinge],
  ['multilabelSoftMargin', multilabelSoftMargin],
] as const;

describe.each(sparse)('%s', (name, f) => {
  const loss = f as AnyLoss;
  const right = { value: 0 };
  beforeAll(() => {
    right.value = loss(labels, z, { classes: 3 });
  });

  test('labels: an Int32Array of class indices in [0, classes), one per row', () => {
    expectError(
      () => loss(Float32Array.of(2, 1), z, { classes: 3 }),
      'labels',
      new RegExp(
        `^${name}: labels must be an Int32Array \\(or a WasmArray of 'i32'\\); got Float32Array \\(class indices: Int32Array.from\\(labels\\)\\)$`,
      ),
    );
    expectError(() => loss([2, 1], z, { classes: 3 }), 'labels', /got Array \(wrap a plain array: Int32Array.from\(labels\)\)/);
    const f32 = alloc(2, 'f32');
    expectError(() => loss(f32, z, { classes: 3 }), 'labels', /got a WasmArray of 'f32'/);
    f32.free();
    expectError(() => loss(Int32Array.of(2), z, { classes: 3 }), 'labels', /labels has 1 elements but pred has 2 rows of 3 classes/);
    for (const [bad, at] of [
      [3, 1],
      [-1, 0],
      [-100, 1],
      [2147483647, 0],
      [-2147483648, 1],
    ] as const) {
      const l = labels.slice();
      l[at] = bad;
      expectError(
        () => loss(l, z, { classes: 3 }),
        'labels',
        new RegExp(`^${name}: labels\\[${at}\\] must be an integer in \\[0, 2\\]; got ${bad}$`),
        at,
      );
    }
    // Far into a long input, through the chunks and zero copy alike.
    const n = 20_000;
    const many = new Int32Array(n);
    many[17_345] = 7;
    const logits = new Float32Array(n * 3);
    expectError(() => loss(many, logits, { classes: 3 }), 'labels', /labels\[17345\] must be an integer in \[0, 2\]; got 7/, 17_345);
    const wasmLabels = alloc(n, 'i32');
    wasmLabels.array.set(many);
    expectError(() => loss(wasmLabels, logits, { classes: 3 }), 'labels', /labels\[17345\]/, 17_345);
    wasmLabels.free();
  });

  test('classes: required, an integer ≥ 1 that divides the length of pred', () => {
    expectError(() => loss(labels, z), 'opts', /opts must be an object with opts.classes/);
    expectError(() => loss(labels, z, {}), 'opts.classes', /opts.classes must be an integer ≥ 1 \(values per row\); got undefined/);
    expectError(() => loss(labels, z, { classes: 0 }), 'opts.classes', /got 0/);
    expectError(() => loss(labels, z, { classes: 2.5 }), 'opts.classes', /got 2.5/);
    expectError(() => loss(labels, z, { classes: '3' }), 'opts.classes', /got '3'/);
    expectError(() => loss(labels, z, { classes: 4 }), 'opts.classes', /opts.classes must divide the length of pred; got 4 for 6 elements/);
    expectError(() => loss(labels, z, { classes: 3, clases: 3 }), 'opts.clases', /unknown option 'clases'/);
    expectError(() => loss(labels, [1, 2, 3, 4, 5, 6], { classes: 3 }), 'pred', /pred must be a Float32Array or a Float64Array/);
    expectError(
      () => loss(labels, z, { classes: 3, weights: new Float32Array(6) }),
      'opts.weights',
      /opts.weights has 6 elements but pred has 2 rows \(one weight per row\)/,
    );
    expectError(() => loss(labels, z, { classes: 3, weights: new Float64Array(2) }), 'opts.weights', /cannot be mixed/);
    expectError(
      () => loss(labels, z, { classes: 3, weights: Float32Array.of(1, -1) }),
      'opts.weights',
      /opts.weights\[1\] must be a finite number ≥ 0; got -1/,
      1,
    );
  });

  test('after every error above, the next valid call returns the right answer', () => {
    expect(loss(labels, z, { classes: 3 })).toBe(right.value);
  });
});

describe.each(dense)('%s', (name, f) => {
  const loss = f as AnyLoss;
  test('targets must lie in [0, 1]; classes must divide the length', () => {
    for (const [bad, at, shown] of [
      [-0.5, 0, '-0.5'],
      [1.5, 4, '1.5'],
      [NaN, 5, 'NaN'],
      [Infinity, 2, 'Infinity'],
    ] as const) {
      const t = target.slice();
      t[at] = bad;
      expectError(
        () => loss(t, z, { classes: 3 }),
        'target',
        new RegExp(`^${name}: target\\[${at}\\] must be in \\[0, 1\\]; got ${shown}$`),
        at,
      );
    }
    for (const C of [10, 40]) {
      const t = new Float64Array(300 * C);
      t[250 * C + 3] = 2;
      expectError(
        () => loss(t, new Float64Array(300 * C), { classes: C }),
        'target',
        new RegExp(`target\\[${250 * C + 3}\\] must be in \\[0, 1\\]; got 2`),
        250 * C + 3,
      );
    }
    expectError(() => loss(target, z, { classes: 4 }), 'opts.classes', /must divide the length of pred; got 4 for 6 elements/);
    expectError(() => loss(target.subarray(1), z, { classes: 3 }), 'target', /target has 5 elements but pred has 6/);
    expectError(() => loss(Int32Array.of(0, 0, 1, 0, 1, 0), z, { classes: 3 }), 'target', /got Int32Array/);
    expect(loss(target, z, { classes: 3 })).toBeGreaterThanOrEqual(0);
  });
});

test('softmax losses: class weights, label smoothing, ignoreIndex, accuracy and out are checked', () => {
  for (const [loss, t] of [
    [sparseSoftmaxCrossEntropy, labels],
    [softmaxCrossEntropy, target],
  ] as const) {
    const l = loss as AnyLoss;
    const name = loss.lossName;
    expectError(
      () => l(t, z, { classes: 3, classWeights: [1, 1] }),
      'opts.classWeights',
      new RegExp(`^${name}: opts.classWeights has 2 elements but opts.classes is 3$`),
    );
    expectError(
      () => l(t, z, { classes: 3, classWeights: [1, -2, 1] }),
      'opts.classWeights',
      /opts.classWeights\[1\] must be a finite number ≥ 0; got -2/,
      1,
    );
    expectError(
      () => l(t, z, { classes: 3, classWeights: [1, 1, NaN] }),
      'opts.classWeights',
      /opts.classWeights\[2\] must be a finite number ≥ 0; got NaN/,
      2,
    );
    expectError(
      () => l(t, z, { classes: 3, classWeights: 'heavy' }),
      'opts.classWeights',
      /must be an array of numbers \(one per class\); got 'heavy'/,
    );
    for (const bad of [-0.1, 1.5, NaN, '0.1']) {
      expectError(
        () => l(t, z, { classes: 3, labelSmoothing: bad }),
        'opts.labelSmoothing',
        /opts.labelSmoothing must be a finite number in \[0, 1\]; got /,
      );
    }
    expectError(() => l(t, z, { classes: 3, accuracy: true }), 'opts.accuracy', /opts.accuracy is for withGrad/);
    expectError(() => l.withGrad(t, z, { classes: 3, accuracy: 1 }), 'opts.accuracy', /opts.accuracy must be true or false; got 1/);
    expectError(() => l.grad(t, z, { classes: 3, out: new Float32Array(5) }), 'opts.out', /opts.out has 5 elements but pred has 6/);
    expectError(() => l(t, z, { classes: 3, out: new Float32Array(6) }), 'opts.out', /opts.out is for the gradient/);
  }
  expectError(
    () => softmaxCrossEntropy(target, z, { classes: 3, ignoreIndex: 0 } as never),
    'opts.ignoreIndex',
    /unknown option 'ignoreIndex'/,
  );
  expectError(
    () => sparseSoftmaxCrossEntropy(labels, z, { classes: 3, ignoreIndex: 0.5 }),
    'opts.ignoreIndex',
    /opts.ignoreIndex must be an integer in \[-2147483648, 2147483647\]; got 0.5/,
  );
  expectError(
    () => sparseSoftmaxCrossEntropy(Int32Array.of(5, 1), z, { classes: 3, ignoreIndex: -100 }),
    'labels',
    /labels\[0\] must be an integer in \[0, 2\] or ignoreIndex -100; got 5/,
    0,
  );
  // Class weights with ignoreIndex: the labels are checked by the denominator pass too.
  expectError(
    () => sparseSoftmaxCrossEntropy.grad(Int32Array.of(1, 3), z, { classes: 3, classWeights: [1, 2, 3] }),
    'labels',
    /labels\[1\] must be an integer in \[0, 2\]; got 3/,
    1,
  );
  expect(sparseSoftmaxCrossEntropy(labels, z, { classes: 3 })).toBeGreaterThan(0);
});

test('margin losses: class weights are checked as the softmax losses check them; ignoreIndex and labelSmoothing are not theirs', () => {
  for (const [loss, t] of [
    [multiMargin, labels],
    [multilabelSoftMargin, target],
  ] as const) {
    const l = loss as AnyLoss;
    const name = loss.lossName;
    expectError(
      () => l(t, z, { classes: 3, classWeights: [1, 1] }),
      'opts.classWeights',
      new RegExp(`^${name}: opts.classWeights has 2 elements but opts.classes is 3$`),
    );
    expectError(
      () => l.grad(t, z, { classes: 3, classWeights: [1, Infinity, 1] }),
      'opts.classWeights',
      /opts.classWeights\[1\] must be a finite number ≥ 0; got Infinity/,
      1,
    );
    expectError(() => l(t, z, { classes: 3, ignoreIndex: 0 }), 'opts.ignoreIndex', /unknown option 'ignoreIndex'/);
    expectError(() => l(t, z, { classes: 3, labelSmoothing: 0.1 }), 'opts.labelSmoothing', /unknown option 'labelSmoothing'/);
    expect(l(t, z, { classes: 3, classWeights: [1, 2, 3] })).toBeGreaterThan(0);
  }
  expectError(() => multilabelSoftMargin(target, z, { classes: 3, margin: 1 } as never), 'opts.margin', /unknown option 'margin'/);
});

test('topKAccuracy: k is an integer in [1, classes]; the default 5 is capped at classes', () => {
  for (const bad of [0, 4, 1.5, NaN, '2']) {
    expectError(
      () => topKAccuracy(labels, z, { classes: 3, k: bad as number }),
      'opts.k',
      /^topKAccuracy: opts.k must be an integer in \[1, 3\] \(1 ≤ k ≤ classes\); got /,
    );
  }
  expect(topKAccuracy(labels, z, { classes: 3 })).toBe(1);
  expect(topKAccuracy(labels, z, { classes: 3, k: 1 })).toBe(0.5);
  expectError(() => sparseCategoricalAccuracy(labels, z, { classes: 3, k: 2 } as never), 'opts.k', /unknown option 'k'/);
});

test('probability losses: eps in (0, 0.5), fromLogits a boolean, targets checked on the logits path too', () => {
  const p = Float32Array.of(0.2, 0.3, 0.5, 0.1, 0.1, 0.8);
  for (const loss of [categoricalCrossEntropy, klDivergence] as AnyLoss[]) {
    for (const bad of [0, 0.5, -1, NaN, '1e-7']) {
      expectError(() => loss(target, p, { classes: 3, eps: bad }), 'opts.eps', /opts.eps must be a finite number in \(0, 0.5\); got /);
    }
    expectError(() => loss(target, p, { classes: 3, classWeights: [1, 1, 1] }), 'opts.classWeights', /unknown option 'classWeights'/);
  }
  expectError(
    () => klDivergence(target, p, { classes: 3, fromLogits: 1 } as never),
    'opts.fromLogits',
    /opts.fromLogits must be true or false; got 1/,
  );
  const t = target.slice();
  t[4] = 1.25;
  expectError(
    () => klDivergence(t, p, { classes: 3, fromLogits: true }),
    'target',
    /^klDivergence: target\[4\] must be in \[0, 1\]; got 1.25$/,
    4,
  );
  expectError(() => categoricalCrossEntropy(t, p, { classes: 3 }), 'target', /target\[4\]/, 4);
  expect(klDivergence(target, p, { classes: 3 })).toBeGreaterThan(0);
});

test('an empty input with a huge class count allocates nothing and gives 0', () => {
  const C = 2 ** 29;
  expect(sparseSoftmaxCrossEntropy.withGrad(new Int32Array(0), new Float32Array(0), { classes: C })).toEqual({
    loss: 0,
    grad: new Float32Array(0),
  });
  expect(softmaxCrossEntropy(new Float64Array(0), new Float64Array(0), { classes: C, reduction: 'none' })).toEqual(new Float64Array(0));
});

test('without ignoreIndex no label is skipped, whatever its value; with it, any int32 may be the one ignored', () => {
  for (const ignore of [-2147483648, -100, 2147483647]) {
    const l = Int32Array.of(ignore, 1);
    expectError(
      () => sparseSoftmaxCrossEntropy(l, z, { classes: 3 }),
      'labels',
      new RegExp(`labels\\[0\\] must be an integer in \\[0, 2\\]; got ${ignore}`),
      0,
    );
    expectError(() => sparseSoftmaxCrossEntropy(l, z, { classes: 3, classWeights: [1, 1, 1] }), 'labels', /labels\[0\]/, 0);
    const only = sparseSoftmaxCrossEntropy.withGrad(l, z, { classes: 3, ignoreIndex: ignore });
    const second = sparseSoftmaxCrossEntropy.withGrad(Int32Array.of(1), z.subarray(3), { classes: 3 });
    expect(only.loss).toBe(second.loss);
    expect(Array.from(only.grad.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(only.grad.subarray(3))).toEqual(Array.from(second.grad));
  }
});

// Kernels that write the gradient's place before the row's targets are all checked (the softmax
// exponentials, the probability losses' gradient, multilabelSoftMargin's gradient, softmaxFocal's b_k)
// must not then read those values back as targets.
test.each([
  ['multilabelSoftMargin', multilabelSoftMargin],
  ['softmaxFocal', softmaxFocal],
  ['softmaxCrossEntropy', softmaxCrossEntropy],
  ['categoricalCrossEntropy', categoricalCrossEntropy],
  ['klDivergence', klDivergence],
  ['categoricalHinge', categoricalHinge],
] as const)('%s: out = the target itself (zero copy), a target outside [0, 1] refused at its index', (_, f) => {
  const loss = f as AnyLoss;
  for (const dtype of ['f32', 'f64'] as const) {
    for (const C of [10, 1000]) {
      for (const value of [-0.5, 1.5]) {
        const rows = 5;
        const t = alloc(rows * C, dtype);
        const p = alloc(rows * C, dtype);
        for (let i = 0; i < rows * C; i++) {
          p.array[i] = 0.5 + 0.4 * Math.sin(i); // a probability too, for the losses that take one
          t.array[i] = 1 / C;
        }
        const bad = 3 * C + 7;
        t.array[bad] = value;
        expectError(() => loss.withGrad(t, p, { classes: C, out: t }), 'target', new RegExp(`target\\[${bad}\\]`), bad);
        t.free();
        p.free();
      }
    }
  }
});
