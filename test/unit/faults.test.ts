// Faults: a failure in the middle of a call — a JS exception or a real wasm trap on the
// k-th kernel call of a multi-chunk call — must surface as a throw (never a silent partial result),
// and leave the instance usable: the next calls of the same loss and of every other give exactly
// the answers they gave before, an accumulator whose update failed is unchanged, alloc's free list
// and the temporary block of a wide-row call are intact, memory does not grow.
//
// How: the instance is re-adopted (src/core/wasm.ts adopt, the function init uses) with every
// exported function wrapped by a counter that, once armed, fails on its k-th call. No code in src/
// knows about it. The library keeps no per-call state in JS or wasm that a throw could leave behind
// (scratch slots are fixed, not taken and released; kernels reset their accumulators on entry; the
// wide-row block is freed in a finally; accumulators add a batch only after it has been computed):
// these tests check that this stays true.
//
// What a caller sees: the error itself (an Error from a throwing kernel, a WebAssembly.RuntimeError
// from a trap), and opts.out in an unspecified state (the chunks before the fault are written): a
// call that throws reports nothing as a result.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adopt, wasm } from '../../src/core/wasm.js';
import { alloc, initSync, memory, mse, softmaxCrossEntropy } from '../../src/node.js';
import { BUILDS } from '../helpers.js';
import { type Args, call, type Method, methodsOf, type Subject, subjects } from '../subjects.js';

type Fault = 'throw' | 'trap' | 'out of bounds';
let armed: { at: number; how: Fault; calls: number } | undefined;
let counting: { calls: number } | undefined;

// A module whose one function is `unreachable`: a genuine wasm trap (WebAssembly.RuntimeError).
const TRAP = new WebAssembly.Instance(
  new WebAssembly.Module(
    new Uint8Array([
      0x00,
      0x61,
      0x73,
      0x6d,
      0x01,
      0x00,
      0x00,
      0x00,
      0x01,
      0x04,
      0x01,
      0x60,
      0x00,
      0x00, //          type () -> ()
      0x03,
      0x02,
      0x01,
      0x00, //                      one function
      0x07,
      0x08,
      0x01,
      0x04,
      0x74,
      0x72,
      0x61,
      0x70,
      0x00,
      0x00, // export "trap"
      0x0a,
      0x05,
      0x01,
      0x03,
      0x00,
      0x00,
      0x0b, //    body: unreachable
    ]),
  ),
).exports.trap as () => void;

function wrap(name: string, f: (...a: number[]) => number): (...a: number[]) => number {
  return (...a: number[]) => {
    if (counting) counting.calls++;
    if (armed && ++armed.calls === armed.at) {
      const how = armed.how;
      armed = undefined;
      if (how === 'throw') throw new Error(`injected failure in ${name}`);
      if (how === 'trap') TRAP();
      // The kernel itself traps part-way: its first input pointer moved so that half the chunk
      // lies inside memory and the rest past its end (elementwise ABI: count, target, …).
      const end = wasm.memory.buffer.byteLength;
      return f(a[0]!, end - 4 * Math.max(1, a[0]! >> 1), ...a.slice(2));
    }
    return f(...a);
  };
}

/** A fresh instance of a build, adopted with every exported function wrapped. */
function faultyInstance(bytes: Uint8Array): void {
  initSync(bytes);
  const faulty: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(wasm.exports!)) faulty[k] = typeof v === 'function' && k !== 'heapBase' ? wrap(k, v as never) : v;
  adopt({ exports: faulty } as unknown as WebAssembly.Instance);
}

beforeAll(() => {
  faultyInstance(BUILDS[0].bytes);
});
afterAll(() => {
  console.log(`faults: ${injected} injected, each thrown and followed by the right answers`);
});

/** Kernel calls one run makes. */
function calls(run: () => unknown): number {
  counting = { calls: 0 };
  try {
    run();
    return counting.calls;
  } finally {
    counting = undefined;
  }
}

/** Throws the injected fault: an Error for 'throw', a WebAssembly.RuntimeError for the traps. */
let injected = 0;
function expectFault(run: () => unknown, at: number, how: Fault, what: string): void {
  injected++;
  armed = { at, how, calls: 0 };
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(armed, `${what}: the fault fired`).toBeUndefined();
  armed = undefined;
  if (how === 'throw') expect(String(error), what).toMatch(/injected failure/);
  else expect(error, what).toBeInstanceOf(WebAssembly.RuntimeError);
}

/** Everything a call returns, as plain numbers (for bit-for-bit comparison). */
function flat(x: unknown): unknown {
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : Number.isNaN(x) ? 'NaN' : x;
  if (ArrayBuffer.isView(x)) return Array.from(x as Float64Array, flat);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, flat(v)]));
  return x;
}

const ROWS = 3 * 8192 + 5; // float32: at least 3 chunks in every family (8192 values a 32 KiB slot)
const SMALL = 7;

function runOf(s: Subject, method: Method, args: Args, out?: Args): () => unknown {
  if (method === 'update') {
    return () => {
      const acc = s.loss.create(s.base);
      acc.update(...args);
      return acc.result();
    };
  }
  if (out === undefined) return () => call(s, method, args, s.base);
  const o = s.outKeys[0] !== undefined ? Object.fromEntries(s.outKeys.map((k, j) => [k, out[j]])) : out[0];
  return () => call(s, method, args, { ...s.base, out: o });
}

const baselines = new Map<string, unknown>();
const small = new Map<string, Args>();

describe.each(subjects.map((s) => [s.name, s] as const))('%s', (_, s) => {
  const args = s.data(ROWS, 3, true);
  const weights = Float32Array.from({ length: ROWS }, (_, i) => 0.5 + (i % 5) / 4);

  beforeAll(() => {
    // Small clean calls of every subject: what they must still give after any fault anywhere.
    if (baselines.size === 0) {
      for (const t of subjects) {
        const a = t.data(SMALL, 4, true);
        small.set(t.name, a);
        baselines.set(t.name, flat(call(t, t.grad ? 'withGrad' : 'f', a, t.base)));
      }
    }
  });

  test('a fault on the first, second and last kernel call of a multi-chunk call: thrown, then every loss gives its answers again', () => {
    const runs: [string, () => unknown, Method][] = methodsOf(s).map((m) => [m, runOf(s, m, args), m]);
    runs.push(['f with weights', () => s.loss(...args, { ...s.base, weights }), 'f']);
    if (s.grad) {
      const out = s.args.slice(s.ref).map(() => new Float32Array((args[s.ref] as Float32Array).length));
      runs.push(['grad into opts.out', runOf(s, 'grad', args, out), 'grad']);
    }
    for (const [what, run] of runs) {
      const want = flat(run());
      const n = calls(run);
      expect(n, `${what}: several kernel calls`).toBeGreaterThanOrEqual(3);
      for (const at of [1, 2, n]) {
        for (const how of ['throw', 'trap'] as const) {
          expectFault(run, at, how, `${s.name} ${what}, fault ${how} at kernel call ${at} of ${n}`);
          expect(flat(run()), `${s.name} ${what} after a ${how} at call ${at}`).toEqual(want);
        }
      }
    }
    for (const t of subjects)
      expect(flat(call(t, t.grad ? 'withGrad' : 'f', small.get(t.name)!, t.base)), `${t.name} after ${s.name}'s faults`).toEqual(
        baselines.get(t.name),
      );
  });

  test('an update that fails part-way leaves the accumulator as it was', () => {
    const acc = s.loss.create(s.base);
    acc.update(...small.get(s.name)!);
    const before = JSON.stringify(acc.toJSON());
    for (const how of ['throw', 'trap'] as const) {
      expectFault(() => acc.update(...args), 2, how, `${s.name}.update`);
      expect(JSON.stringify(acc.toJSON())).toBe(before);
    }
    // And it goes on exactly as one that never failed.
    const clean = s.loss.create(s.base);
    clean.update(...small.get(s.name)!);
    acc.update(...args);
    clean.update(...args);
    expect(acc.toJSON()).toEqual(clean.toJSON());
  });
});

describe('zero copy and memory', () => {
  test('a kernel trapping part-way through a zero-copy call: thrown (opts.out half written, not returned); inputs, free list and memory intact', () => {
    const n = 50_000;
    const y = alloc(n, 'f32');
    const p = alloc(n, 'f32');
    const out = alloc(n, 'f32');
    for (let i = 0; i < n; i++) {
      y.array[i] = Math.sin(i);
      p.array[i] = Math.cos(i);
    }
    const want = mse.withGrad(y.array.slice(), p.array.slice());
    const inputs = [y.array.slice(), p.array.slice()];
    const bytes = memory().buffer.byteLength;
    const probe = alloc(1000, 'f64');
    const next = probe.ptr;
    probe.free();
    for (let round = 0; round < 20; round++) {
      out.array.fill(NaN);
      expectFault(() => mse.withGrad(y, p, { out }), 1, 'out of bounds', 'mse zero copy');
      // The kernel wrote part of the gradient before the trap (the call reported none of it).
      if (round === 0)
        expect(
          out.array.some((v) => !Number.isNaN(v)),
          'part written',
        ).toBe(true);
      expect(Array.from(y.array)).toEqual(Array.from(inputs[0]!));
      expect(Array.from(p.array)).toEqual(Array.from(inputs[1]!));
      const again = mse.withGrad(y, p, { out });
      expect(again.loss).toBe(want.loss);
      expect(Array.from(out.array)).toEqual(Array.from(want.grad));
    }
    expect(memory().buffer.byteLength).toBe(bytes);
    const block = alloc(1000, 'f64');
    expect(block.ptr, 'the free list hands out the same block').toBe(next);
    for (const a of [y, p, out, block]) a.free();
  });

  test('a fault in a wide-row call (rows wider than a slot, through a temporary block) frees that block', () => {
    const C = 9000; // 36 KB a float32 row: wider than a 32 KiB slot
    const rows = 4;
    const t = new Float32Array(rows * C);
    const z = Float32Array.from({ length: rows * C }, (_, i) => Math.sin(i));
    for (let r = 0; r < rows; r++) t[r * C + ((r * 7919) % C)] = 1;
    const want = flat(softmaxCrossEntropy.withGrad(t, z, { classes: C }));
    const n = calls(() => softmaxCrossEntropy.withGrad(t, z, { classes: C }));
    const probe = alloc(4 * C, 'f32');
    const next = probe.ptr;
    probe.free();
    const bytes = memory().buffer.byteLength;
    for (let round = 0; round < 50; round++) {
      expectFault(() => softmaxCrossEntropy.withGrad(t, z, { classes: C }), 1 + (round % n), round % 2 ? 'throw' : 'trap', 'wide rows');
    }
    expect(memory().buffer.byteLength, 'no block leaked: memory did not grow').toBe(bytes);
    const block = alloc(4 * C, 'f32');
    expect(block.ptr, 'the temporary block went back to the free list').toBe(next);
    block.free();
    expect(flat(softmaxCrossEntropy.withGrad(t, z, { classes: C }))).toEqual(want);
  });
});

describe('the scalar build', () => {
  beforeAll(() => {
    faultyInstance(BUILDS[1].bytes);
    expect(wasm.simd).toBe(false);
  });
  test.each(subjects.map((s) => [s.name, s] as const))(
    '%s: a throw and a trap on the second kernel call, then the same answers',
    (_, s) => {
      const args = s.data(ROWS, 5, true);
      const run = () => call(s, s.grad ? 'withGrad' : 'f', args, s.base);
      const want = flat(run());
      for (const how of ['throw', 'trap'] as const) {
        expectFault(run, 2, how, `${s.name} scalar`);
        expect(flat(run())).toEqual(want);
      }
    },
  );
});
