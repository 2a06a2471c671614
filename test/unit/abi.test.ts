// The ABI between src/ and the kernels, checked against both wasm builds:
// - every constant of src/core/abi.ts equals the wasm global of the same name (the kernels define
//   each once, in assembly/abi.ts), and every wasm global has its mirror there;
// - every kernel the TypeScript layer calls, found by calling every loss of the registry (every
//   method, both dtypes, weights, 'none', the registry's option cases) through wrapped exports,
//   exists in both builds, takes as many parameters as the call passes, and returns -1 for an empty
//   batch; no kernel is exported that no loss calls; every kernel export is named <loss>_<dtype>.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as abi from '../../src/core/abi.js';
import { adopt, wasm } from '../../src/core/wasm.js';
import * as lib from '../../src/node.js';
import { BUILDS } from '../helpers.js';
import { inbatchOf, registryOf, targetsFor } from '../registry.js';
import { call, methodsOf, type Subject, subjects } from '../subjects.js';

type Exports = Record<string, unknown>;
const builds = BUILDS.map((b) => ({
  name: b.name,
  exports: new WebAssembly.Instance(new WebAssembly.Module(b.bytes), {}).exports as Exports,
}));

/** Value of each exported wasm global; SIMD (which build) and RESULT (an address) are facts of the instance, not ABI constants. */
function constants(exports: Exports): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, v] of Object.entries(exports)) {
    if (v instanceof WebAssembly.Global && name !== 'SIMD' && name !== 'RESULT') out[name] = Number(v.value);
  }
  return out;
}

/** The constants of src/core/abi.ts that are computed from others in that file (checked by their formula below). */
const DERIVED = ['R_SUM', 'R_SUM2', 'R_CORRECT', 'R_COUNTED', 'R_ARGUMENT_I32'];

describe('constants: src/core/abi.ts against the wasm globals', () => {
  for (const build of builds) {
    test(build.name, () => {
      const g = constants(build.exports);
      expect(Object.keys(g).length).toBeGreaterThanOrEqual(20);
      const ts = Object.entries(abi).filter((e): e is [string, number] => typeof e[1] === 'number');
      for (const [name, value] of ts) {
        if (DERIVED.includes(name)) continue;
        expect(g[name], `${name} is exported by the ${build.name} build`).not.toBeUndefined();
        expect(value, name).toBe(g[name]);
      }
      for (const name of Object.keys(g))
        expect(
          ts.some(([n]) => n === name),
          `wasm global ${name} has a mirror in src/core/abi.ts`,
        ).toBe(true);
      expect(abi.R_SUM * 8).toBe(g.RESULT_SUM);
      expect(abi.R_SUM2 * 8).toBe(g.RESULT_SUM2);
      expect(abi.R_CORRECT * 8).toBe(g.RESULT_CORRECT);
      expect(abi.R_COUNTED * 8).toBe(g.RESULT_COUNTED);
      expect(abi.R_ARGUMENT_I32 * 4).toBe(g.RESULT_ARGUMENT);
      expect(Object.values(abi.SLOT)).toEqual([g.SLOT_TARGET, g.SLOT_PRED, g.SLOT_WEIGHTS, g.SLOT_LOSSES, g.SLOT_GRAD]);
      expect(abi.IN_SLOTS).toEqual([0, 1, 2].map((j) => g.SLOT_INPUTS! + j));
      expect(abi.GRAD_SLOTS).toEqual([0, 1, 2].map((j) => g.SLOT_INPUT_GRADS! + j));
      // Every slot lies inside the scratch area; the float64 sums of the result block are aligned and below the heap.
      for (const s of [
        ...Object.values(abi.SLOT),
        abi.SLOT_LABELS,
        abi.SLOT_CLASS_WEIGHTS,
        ...abi.IN_SLOTS,
        ...abi.GRAD_SLOTS,
        abi.LABEL_SLOT,
      ]) {
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThan(abi.SLOTS);
      }
      const result = Number((build.exports.RESULT as WebAssembly.Global).value);
      expect(result % 8).toBe(0);
      const top = Math.max(abi.RESULT_SUM, abi.RESULT_SUM2, abi.RESULT_CORRECT, abi.RESULT_COUNTED) + 8;
      expect(result + top).toBeLessThanOrEqual((build.exports.heapBase as () => number)());
    });
  }
});

// Kernel name → the argument counts the TypeScript layer passed it.
const used = new Map<string, Set<number>>();
/** Subject name → the kernels its calls reached. */
const bySubject = new Map<string, Set<string>>();
let current = '';

beforeAll(() => {
  lib.initSync(BUILDS[0].bytes);
  const spied: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(wasm.exports!)) {
    spied[k] =
      typeof v === 'function' && k !== 'heapBase'
        ? (...a: number[]) => {
            if (!used.has(k)) used.set(k, new Set());
            used.get(k)!.add(a.length);
            bySubject.get(current)!.add(k);
            return (v as (...a: number[]) => number)(...a);
          }
        : v;
  }
  adopt({ exports: spied } as unknown as WebAssembly.Instance);
});
afterAll(() => {
  lib.initSync(BUILDS[0].bytes); // an unwrapped instance for whatever runs next in this worker
});

/** Option sets of a subject: none, the registry's cases (class weights as a function of the class count), and the common ones. */
function optionSets(s: Subject, rows: number, f32: boolean): Record<string, unknown>[] {
  const cases = registryOf(lib).find((e) => e.name === s.name)?.cases ?? [{}];
  const ramp = (_: unknown, i: number) => 0.5 + i;
  const weights = f32 ? Float32Array.from({ length: rows }, ramp) : Float64Array.from({ length: rows }, ramp);
  const sets: Record<string, unknown>[] = [];
  for (const c of cases) {
    const o: Record<string, unknown> = { ...s.base };
    const classes = (s.base.classes as number | undefined) ?? 0;
    for (const [k, v] of Object.entries(c)) o[k] = typeof v === 'function' ? v(classes) : v;
    if (typeof o.k === 'number' && o.k > classes) continue;
    if (typeof o.ignoreIndex === 'number' && o.ignoreIndex >= classes) continue;
    sets.push(o, { ...o, weights }, { ...o, reduction: 'sum' }, { ...o, reduction: 'none', weights });
  }
  return sets;
}

describe('kernels: every call of every loss reaches an export of both builds with its parameter count', () => {
  for (const s of subjects) {
    test(s.name, () => {
      current = s.name;
      bySubject.set(s.name, new Set());
      const rows = 5;
      for (const f32 of [true, false]) {
        const args = s.data(rows, 7, f32);
        const entry = registryOf(lib).find((e) => e.name === s.name) ?? {};
        for (const opts of optionSets(s, rows, f32)) {
          const given = [targetsFor(entry, opts, args[0]), ...args.slice(1)];
          for (const method of methodsOf(s)) {
            if (method !== 'f' && (opts.reduction === 'none' || opts.reduction === 'sum') && method === 'update') continue;
            call(s, method, given, opts);
          }
        }
      }
      const kernels = [...bySubject.get(s.name)!];
      expect(
        kernels.some((k) => k.endsWith('_f32')),
        `${s.name} reached a float32 kernel`,
      ).toBe(true);
      expect(
        kernels.some((k) => k.endsWith('_f64')),
        `${s.name} reached a float64 kernel`,
      ).toBe(true);
      for (const k of kernels) {
        const counts = used.get(k)!;
        expect(counts.size, `${k} is always called with one parameter count`).toBe(1);
        const [n] = counts;
        for (const build of builds) {
          const fn = build.exports[k];
          expect(typeof fn, `${k} in the ${build.name} build`).toBe('function');
          expect((fn as (...a: number[]) => number).length, `${k} parameters (${build.name})`).toBe(n);
          // An empty batch (count 0, every pointer 0): nothing read or written, no bad element.
          expect((fn as (...a: number[]) => number)(...new Array<number>(n!).fill(0)), `${k}(0, …) in ${build.name}`).toBe(-1);
        }
      }
    });
  }

  test('the ranking metrics, their curves and accumulators reach their kernels, one parameter count each', () => {
    current = 'ranking';
    bySubject.set(current, new Set());
    for (const A of [Float32Array, Float64Array]) {
      const y = A.of(0, 1, 1, 0, 1);
      const s = A.of(0.3, 0.9, 0.3, -1, 2);
      for (const opts of [undefined, { weights: A.of(1, 2, 0.5, 1, 3) }]) {
        lib.rocAuc(y, s, opts);
        lib.averagePrecision(y, s, opts);
        lib.rocCurve(y, s, opts);
        lib.precisionRecallCurve(y, s, opts);
        lib.rocAuc.create().update(y, s, opts?.weights);
      }
    }
    const kernels = [...bySubject.get(current)!].sort();
    expect(kernels).toEqual([
      'rankBins_f32',
      'rankBins_f64',
      'rankItems_f32',
      'rankItems_f64',
      'rankSort_f32',
      'rankSort_f64',
      'rankSweep_f32',
      'rankSweep_f64',
    ]);
    for (const k of kernels) {
      const counts = used.get(k)!;
      expect(counts.size, `${k} is always called with one parameter count`).toBe(1);
      for (const build of builds)
        expect((build.exports[k] as (...a: number[]) => number).length, `${k} (${build.name})`).toBe([...counts][0]);
    }
  });

  test('the counting metrics and their accumulators reach their kernels, one parameter count each', () => {
    current = 'counting';
    bySubject.set(current, new Set());
    for (const A of [Float32Array, Float64Array]) {
      const labels = Int32Array.of(0, 2, 1, 1, 0);
      const scores = new A(15);
      for (let i = 0; i < 15; i++) scores[i] = (i * 7) % 5;
      const probs = A.of(0.1, 0.9, 0.5, 1, 0);
      const binary = Int32Array.of(0, 1, 1, 0, 1);
      for (const weights of [undefined, A.of(1, 2, 0.5, 1, 3)]) {
        lib.confusionMatrix(labels, scores, { classes: 3, weights });
        lib.confusionMatrix(labels, Int32Array.of(1, 2, 0, 1, 1), { classes: 3, weights });
        lib.binaryConfusion(binary, probs, { weights });
        lib.binaryConfusion(A.from(binary), probs, { weights });
        lib.calibration(binary, probs, { weights });
        lib.calibration.create({ bins: 4 }).update(binary, probs, weights);
      }
    }
    const kernels = [...bySubject.get(current)!].sort();
    expect(kernels).toEqual(
      ['binaryConfusion', 'calibration', 'confusionLabels', 'confusionScores'].flatMap((k) => [`${k}_f32`, `${k}_f64`]),
    );
    for (const k of kernels) {
      const counts = used.get(k)!;
      expect(counts.size, `${k} is always called with one parameter count`).toBe(1);
      for (const build of builds) {
        const fn = build.exports[k] as (...a: number[]) => number;
        expect(fn.length, `${k} (${build.name})`).toBe([...counts][0]);
        expect(fn(...new Array<number>(fn.length).fill(0)), `${k}(0, …) in ${build.name}`).toBe(-1);
      }
    }
  });

  // The in-batch losses are no subjects (no weights, whole batches): their calls, and the workspace size they ask for.
  for (const e of inbatchOf(lib)) {
    test(e.name, () => {
      current = e.name;
      bySubject.set(e.name, new Set());
      for (const C of [Float32Array, Float64Array]) {
        const x = new C(12).map((_, i) => Math.sin(i + 1));
        const opts = { dim: 3 };
        e.loss(x, x, opts);
        e.loss.grad(x, x, { ...opts, reduction: 'none' });
        e.loss.withGrad(x, x, { ...opts, reduction: 'sum' });
        e.loss.create(opts).update(x, x);
      }
      const kernels = [...bySubject.get(e.name)!];
      expect(new Set(kernels)).toEqual(new Set(['_f32', '_f64'].flatMap((t) => [`${e.name}${t}`, `inbatchWorkspace${t}`])));
      for (const k of kernels) {
        const [n] = used.get(k)!;
        expect(used.get(k)!.size).toBe(1);
        for (const build of builds) expect((build.exports[k] as (...a: number[]) => number).length, `${k} (${build.name})`).toBe(n);
      }
    });
  }

  test('every kernel export is called by some loss and named <loss>_<dtype>', () => {
    for (const build of builds) {
      const kernels = Object.entries(build.exports)
        .filter(([k, v]) => typeof v === 'function' && k !== 'heapBase')
        .map(([k]) => k);
      for (const k of kernels) {
        expect(k, 'export name').toMatch(/^[a-z][A-Za-z0-9]*_f(32|64)$/);
        expect(used.has(k), `${k} (${build.name}) is called by some loss`).toBe(true);
      }
      expect(new Set(kernels)).toEqual(new Set(used.keys()));
    }
  });
});
