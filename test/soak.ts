// The soak: a long run of random calls as a training loop makes them — random loss,
// method, dtype, reduction and size (up to past a 32 KiB scratch slot, and rows wider than a slot),
// ordinary arrays or WasmArrays alloc'd and freed at random, opts.out, accumulators — with wasm
// memory forced to grow (grow(0), grow(1)) between calls. Checked as it runs: a sample of results
// against the float64 reference; every live WasmArray's view never detached and its contents
// unchanged; results never views into wasm memory (except a WasmArray opts.out, by contract), and
// results kept from earlier calls never detached. Measured: wasm memory (less the forced growth),
// heapUsed and RSS after warm-up and at the end. (No test-runner import: tools/soak.ts runs it too.)

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { wasm } from '../src/core/wasm.js';
import { alloc, memory, softmaxCrossEntropy, sparseSoftmaxCrossEntropy, type WasmArray } from '../src/node.js';
import { random } from './random.js';
import { rowReferences } from './reference/index.js';
import { type Args, type Right, type Subject, subjects } from './subjects.js';

export interface SoakOptions {
  calls: number;
  seed?: number;
  /** One call in `check` is compared with the float64 reference (default 20). */
  check?: number;
  /** Share of the calls that is warm-up, before the memory baseline is taken (default 0.1). */
  warmup?: number;
  /** Called every ~5% with the calls done. */
  progress?: (done: number) => void;
}

export interface MemorySample {
  /** wasm memory bytes, less what was forced by grow(1). */
  wasm: number;
  heapUsed: number;
  rss: number;
}

export interface SoakReport {
  calls: number;
  checked: number;
  grows: number;
  forcedBytes: number;
  allocs: number;
  wide: number;
  start: MemorySample;
  warm: MemorySample;
  end: MemorySample;
  /** Largest wasm memory (less forced growth) seen after warm-up. */
  wasmPeakAfterWarmup: number;
  seconds: number;
  /** The first failures (empty: all good). */
  failures: string[];
}

/** A full collection where the runtime allows one (v8's gc, exposed at run time), so heap figures compare. */
const gc: () => void = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return () => {};
  }
})();

const MAX_ROWS = 12_000; // elementwise: 12 000 float32 > 8192 a slot; rowwise/embedding rows of 3 values: 36 000 values
const POOL = 16; // live WasmArrays at most

interface Held {
  a: WasmArray;
  copy: Float64Array | Int32Array | Float32Array;
}

export function soak(o: SoakOptions): SoakReport {
  const rand = random(o.seed ?? 1);
  const check = o.check ?? 20;
  const warmAt = Math.floor(o.calls * (o.warmup ?? 0.1));
  const failures: string[] = [];
  const fail = (what: string) => {
    if (failures.length < 20) failures.push(what);
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  // Data pools, one per subject and dtype, cut to each call's size (subarrays of one allocation).
  // (All made before the first measurement: they are the run's fixed data, not growth.)
  const pools = new Map<string, Args>();
  for (const s of subjects) for (const f32 of [false, true]) pools.set(`${s.name} ${f32}`, s.data(MAX_ROWS, 11 + pools.size, f32));
  const pool = (s: Subject, f32: boolean): Args => pools.get(`${s.name} ${f32}`)!;
  // Weights in [0, 2], one in ten exactly 0.
  const wrand = random(99);
  const weightPool = Float64Array.from({ length: MAX_ROWS }, () => (wrand() < 0.1 ? 0 : 2 * wrand()));
  const weightPools = { f32: Float32Array.from(weightPool), f64: weightPool };
  const cut = (s: Subject, args: Args, rows: number): Args => args.map((x, j) => (x as Float32Array).subarray(0, rows * s.width(j)));

  const held: Held[] = [];
  let forcedBytes = 0;
  let grows = 0;
  let allocs = 0;
  let wide = 0;
  let checked = 0;
  const kept: { array: ArrayLike<number>; length: number }[] = []; // earlier results, must stay attached
  const accs: { s: Subject; acc: any; f32: boolean }[] = [];

  const sample = (): MemorySample => {
    gc();
    const m = process.memoryUsage();
    return { wasm: memory().buffer.byteLength - forcedBytes, heapUsed: m.heapUsed, rss: m.rss };
  };
  const verifyHeld = (when: string) => {
    for (const h of held) {
      const v = h.a.array;
      if (v.length !== h.a.length) fail(`${when}: a WasmArray view has ${v.length} elements, not ${h.a.length}`);
      else if (v.buffer !== memory().buffer) fail(`${when}: a WasmArray view is not over the current memory`);
      else
        for (let i = 0; i < v.length; i += 97)
          if (!Object.is(v[i], h.copy[i])) {
            fail(`${when}: WasmArray contents changed at [${i}]`);
            break;
          }
    }
    for (const k of kept)
      if (k.array.length !== k.length) fail(`${when}: an earlier result was detached (length ${k.array.length}, not ${k.length})`);
  };
  const hold = (x: Float32Array | Float64Array | Int32Array): WasmArray => {
    const a = alloc(x.length, x instanceof Float32Array ? 'f32' : x instanceof Float64Array ? 'f64' : 'i32');
    a.array.set(x);
    allocs++;
    held.push({ a, copy: x.slice() });
    return a;
  };
  const release = (a: WasmArray) => {
    const k = held.findIndex((h) => h.a === a);
    if (k >= 0 && rand() < 0.7) held.splice(k, 1)[0]!.a.free(); // some stay alive for later calls
  };

  // The working set: as many of the largest WasmArrays as a call may hold at once (POOL, the call's
  // own, its out), twice over for fragmentation, touched once. Memory grows to it and never after.
  const largest = MAX_ROWS * 3;
  const touch = Array.from({ length: 2 * (POOL + 4) }, () => alloc(largest, 'f64'));
  for (const a of touch) a.free();
  const start = sample();
  let warm = start;
  let peak = 0;
  const t0 = performance.now();
  for (let call = 0; call < o.calls; call++) {
    if (call === warmAt) warm = sample();
    if (o.progress && call % Math.max(1, Math.floor(o.calls / 20)) === 0) o.progress(call);
    // Memory forced to grow between calls, now and then.
    if (rand() < 0.002) {
      const pages = rand() < 0.5 ? 0 : 1;
      memory().grow(pages);
      forcedBytes += pages * 65536;
      grows++;
      verifyHeld(`after grow(${pages})`);
    }
    if (rand() < 0.001) {
      wide++;
      wideCall(rand, fail);
      continue;
    }
    const s = pick(subjects);
    const f32 = rand() < 0.6;
    const r = rand();
    const rows =
      r < 0.85 ? 1 + Math.floor(rand() * 64) : r < 0.97 ? 64 + Math.floor(rand() * 2000) : 2000 + Math.floor(rand() * (MAX_ROWS - 2000));
    let args = cut(s, pool(s, f32), rows);
    const weighted = rand() < 0.3;
    const w = weighted ? (f32 ? weightPools.f32 : weightPools.f64).subarray(0, rows) : undefined;
    const zeroCopy = rand() < 0.2;
    const wasmArgs = zeroCopy ? [...args, ...(w ? [w] : [])].map((x) => hold(x as Float32Array)) : [];
    const methods = s.grad ? (['f', 'grad', 'withGrad', 'update'] as const) : (['f', 'update'] as const);
    const method = pick(methods);
    const reduction = method === 'update' ? pick(['mean', 'sum'] as const) : pick(['mean', 'sum', 'none'] as const);
    const opts: Record<string, unknown> = { ...s.base, reduction };
    let out: WasmArray | Float32Array | Float64Array | undefined;
    const n = (args[s.ref] as { length: number }).length;
    if ((method === 'grad' || method === 'withGrad') && s.outKeys[0] === undefined && rand() < 0.3) {
      out = rand() < 0.5 ? (f32 ? new Float32Array(n) : new Float64Array(n)) : hold(f32 ? new Float32Array(n) : new Float64Array(n));
      opts.out = out;
    }
    // Views of the WasmArrays are taken after the last alloc (an alloc may grow memory and detach earlier views).
    let weights: unknown = w;
    if (zeroCopy) {
      const views = wasmArgs.map((a) => (rand() < 0.5 ? a : a.array));
      args = views.slice(0, args.length);
      if (w) weights = views[args.length];
    }
    if (weights !== undefined && method !== 'update') opts.weights = weights;
    let result: any;
    try {
      if (method === 'update') {
        let slot = accs.find((x) => x.s === s && x.f32 === f32 && x.acc.options.reduction === reduction);
        if (!slot || rand() < 0.05) {
          slot = { s, acc: s.loss.create({ ...s.base, reduction }), f32 };
          accs.push(slot);
          if (accs.length > 32) accs.shift();
        }
        const count = slot.acc.count;
        const one = s.loss.create({ ...s.base, reduction });
        const batch = weights === undefined ? args : [...args, weights];
        one.update(...batch);
        slot.acc.update(...batch);
        if (rand() < 0.1)
          slot.acc.merge(one).reset().merge(one); // merge and reset keep the sums exact
        else if (slot.acc.count !== count + rows) fail(`${s.name}.update: count ${slot.acc.count}, expected ${count + rows}`);
        result = one.result();
      } else {
        result = method === 'f' ? s.loss(...args, opts) : method === 'grad' ? s.loss.grad(...args, opts) : s.loss.withGrad(...args, opts);
      }
    } catch (e) {
      fail(`${s.name} ${method} ${f32 ? 'f32' : 'f64'} ${rows} rows${zeroCopy ? ' zero copy' : ''}: threw ${String(e)}`);
      continue;
    }
    // Results: ordinary arrays (a WasmArray out is returned as its view, by contract).
    const arrays: ArrayLike<number>[] = [];
    const collect = (x: unknown) => {
      if (ArrayBuffer.isView(x)) arrays.push(x as Float64Array);
      else if (x && typeof x === 'object') for (const v of Object.values(x)) collect(v);
    };
    collect(result);
    for (const x of arrays) {
      const overWasm = (x as Float64Array).buffer === memory().buffer;
      const allowed = out !== undefined && !(out instanceof Float32Array || out instanceof Float64Array) && x === out.array;
      if (overWasm && !allowed) fail(`${s.name} ${method}: a result is a view into wasm memory`);
      if (!overWasm && rand() < 0.01) {
        kept.push({ array: x, length: x.length });
        if (kept.length > 64) kept.shift();
      }
    }
    if (call % check === 0) {
      checked++;
      const plain = args.map((x) => (ArrayBuffer.isView(x) ? x : (x as WasmArray).array));
      compare(s, method, reduction, plain, f32, w, result, fail);
    }
    for (const a of wasmArgs) release(a);
    if (out !== undefined && !(out instanceof Float32Array || out instanceof Float64Array)) {
      // Its contents are the gradient now: what the view must keep showing.
      const h = held.find((x) => x.a === out);
      if (h) h.copy = (out.array as Float64Array).slice();
      release(out);
    }
    while (held.length > POOL) held.splice(Math.floor(rand() * held.length), 1)[0]!.a.free();
    if (call >= warmAt) peak = Math.max(peak, memory().buffer.byteLength - forcedBytes);
  }
  verifyHeld('at the end');
  const seconds = (performance.now() - t0) / 1000;
  const end = sample();
  for (const h of held.splice(0)) h.a.free();
  // Nothing leaked: with every WasmArray freed, all memory above the scratch area is one free block again.
  const top = memory().buffer.byteLength;
  const whole = alloc((top - wasm.heapStart) / 8, 'f64');
  if (whole.ptr !== wasm.heapStart || memory().buffer.byteLength !== top)
    fail(`blocks leaked: the free list no longer covers [${wasm.heapStart}, ${top})`);
  whole.free();
  return { calls: o.calls, checked, grows, forcedBytes, allocs, wide, start, warm, end, wasmPeakAfterWarmup: peak, seconds, failures };
}

/**
 * Relative tolerance of a call: the registry's float32 tolerance ×4 (a reduction over up to 12 000
 * rows), and at least 1e-6: float32 weights make even a metric inexact (Σ wᵢ·hitᵢ in float32 lanes
 * against Σ wᵢ: measured 4.5e-8 off an accuracy of 1). float64: 1e-12.
 */
function tolerance(s: Subject, f32: boolean): number {
  return f32 ? Math.max(4 * s.f32Tolerance, 1e-6) : 1e-12;
}

function compare(
  s: Subject,
  method: string,
  reduction: string,
  args: Args,
  f32: boolean,
  w: ArrayLike<number> | undefined,
  result: any,
  fail: (w: string) => void,
): void {
  const right: Right = s.reference(args, f32, w);
  const tol = tolerance(s, f32);
  const rows = right.losses.length;
  const what = `${s.name} ${method} ${reduction} ${f32 ? 'f32' : 'f64'} ${rows} rows${w ? ' weighted' : ''}`;
  const weightSum = w ? Array.from(w).reduce((a, b) => a + b, 0) : rows;
  // (each example's error scale: |l|, or for a loss that is a difference of terms, their size)
  const sizes = right.losses.map((l, i) => Math.max(Math.abs(l), right.lossScale?.[i] ?? 0));
  const scale = sizes.reduce((m, x) => m + x, 0);
  const near = (a: number, e: number, size: number) => Math.abs(a - e) <= tol * size + 1e-300;
  const loss = method === 'grad' ? undefined : method === 'withGrad' ? result.loss : result;
  if (loss !== undefined) {
    if (reduction === 'none') {
      const max = right.losses.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      // Per example, relative to itself and to the size of its terms: a row of logits in [−8, 8] or of
      // log-probabilities ≥ ln 0.01 sums terms up to ~10 (cancelling to a small loss: measured 4e-8
      // off at a loss of 7.7e-5 in float32); embedding rows: to the largest, the scale their
      // tolerance is stated on.
      const floor = s.kind === 'rowwise' ? 10 : s.kind === 'embedding' || s.kind === 'ternary' || s.kind === 'similarity' ? max : 0;
      for (let i = 0; i < rows; i++) {
        if (!near(loss[i], right.losses[i]!, sizes[i]! + floor)) {
          fail(`${what}: loss[${i}] ${loss[i]}, reference ${right.losses[i]}`);
          break;
        }
      }
    } else {
      const e = reduction === 'sum' ? right.sum : right.loss;
      if (!near(loss, e, reduction === 'sum' ? scale : scale / Math.max(weightSum, 1e-300))) fail(`${what}: ${loss}, reference ${e}`);
    }
  }
  if (method === 'grad' || method === 'withGrad') {
    const got = method === 'grad' ? result : result.grad;
    const k = reduction === 'mean' ? 1 : weightSum; // the reference is the (weighted) mean's gradient
    const check = (g: ArrayLike<number>, e: Float64Array, key: string) => {
      let max = 0;
      for (let i = 0; i < e.length; i++) max = Math.max(max, Math.abs(e[i]! * k));
      if (g.length !== e.length) return fail(`${what}: grad${key} has ${g.length} elements, not ${e.length}`);
      for (let i = 0; i < e.length; i++)
        if (!near(g[i]!, e[i]! * k, Math.abs(e[i]! * k) + max)) return fail(`${what}: grad${key}[${i}] ${g[i]}, reference ${e[i]! * k}`);
    };
    if (right.grad instanceof Float64Array) check(got, right.grad, '');
    else for (const [key, e] of Object.entries(right.grad!)) check(got[key], e, `.${key}`);
  }
}

/** Rows wider than a 32 KiB slot: the one-shot path takes a temporary block (alloc) for the call. */
function wideCall(rand: () => number, fail: (w: string) => void): void {
  const C = 8193 + Math.floor(rand() * 4000);
  const rows = 1 + Math.floor(rand() * 3);
  const z = Float32Array.from({ length: rows * C }, () => 4 * rand() - 2);
  const sparse = rand() < 0.5;
  const labels = Int32Array.from({ length: rows }, () => Math.floor(rand() * C));
  const dense = new Float32Array(rows * C);
  labels.forEach((l, r) => {
    dense[r * C + l] = 1;
  });
  const got = sparse
    ? sparseSoftmaxCrossEntropy.withGrad(labels, z, { classes: C })
    : softmaxCrossEntropy.withGrad(dense, z, { classes: C });
  const e = rowReferences[sparse ? 'sparseSoftmaxCrossEntropy' : 'softmaxCrossEntropy']!(sparse ? labels : dense, z, { classes: C });
  if (!(Math.abs(got.loss - e.mean) <= 2e-5 * Math.abs(e.mean))) fail(`wide rows C = ${C}: ${got.loss}, reference ${e.mean}`);
  if (got.grad.length !== rows * C) fail(`wide rows C = ${C}: grad has ${got.grad.length} elements`);
}

/**
 * "Flat" after warm-up: wasm memory (less the forced growth) not grown at all; heapUsed (after a full
 * gc) within HEAP_SLACK and RSS within RSS_SLACK of the warm-up figures. The slacks leave room for
 * V8's own caches and allocator (code, inline caches, freed pages not yet returned to the OS), not
 * for a leak: a leak of one small typed array a call would be ≥ 60 MB over 1e6 calls.
 */
export const HEAP_SLACK = 8 * 2 ** 20;
export const RSS_SLACK = 48 * 2 ** 20;
