/**
 * The floor under a small call: what the parts no wrapper can avoid cost on this engine, timed in
 * the same run as the library's calls. A call with ordinary arrays has to copy each input into wasm
 * memory and the gradient out of it, enter the kernel, and hand back a result; a zero-copy call
 * only enters the kernel. The parts are timed on an instance of the same wasm of its own, the
 * kernel called directly with its operands already in place:
 *   kernel, N = 0 / 16   the JS → wasm call of mse_f32 (ten arguments), no elements / 16 elements
 *   copy in 16           TypedArray.prototype.set of 16 float32 into wasm memory
 *   copy out 16          the same out of wasm memory, through a view made once
 * The floor of mse.withGrad into `out` at N = 16 is kernel(16) + 2 × copy in + copy out; of a
 * zero-copy call, kernel(16). Each part is timed inside the same loop as an empty task, whose time
 * (the loop and the result object) is taken off each part.
 *
 * At N = 1e5 the copy path moves target and pred into the scratch slots and the gradient out, one
 * slot (8192 float32) at a time: those copies alone, through views made once, are its floor above
 * the zero-copy call.
 */
import { readFileSync } from 'node:fs';
import * as lib from '../dist/node.js';
import { random, uniform } from '../test/random.js';
import { measure, medianOf } from './measure.js';
import { ownCall, ownCopy } from './own-copy.js';
import { plain } from './plain.js';

const N = 16;
const LARGE = 100_000;
const CHUNK = 8192; // float32 elements of a 32 KiB scratch slot
const MODE_GRAD = 1; // src/core/abi.ts
// Calls per timed sample: the shortest part takes a few ns, far below the timer's resolution.
const REPS = 10_000;

type Kernel = (...args: number[]) => number;

/** A second instance of the SIMD build, for calling its kernel with no wrapper in between. */
function rawInstance() {
  const bytes = readFileSync(new URL('../wasm/simdloss-simd.wasm', import.meta.url));
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}) as unknown as {
    exports: { memory: WebAssembly.Memory; heapBase: () => number; mse_f32: Kernel };
  };
  const base = Math.ceil(exports.heapBase() / 4096) * 4096;
  const f32 = new Float32Array(exports.memory.buffer);
  // Operand places 4 KiB apart, as the scratch slots are apart.
  const at = (k: number) => base + k * 4096;
  return { kernel: exports.mse_f32, f32, y: at(0), p: at(1), g: at(2), lo: at(3), result: new Float64Array(exports.memory.buffer, 0, 1) };
}

/** Every part's task: each returns an object with a number, as the timed loop wants, and keeps its work observable. */
function tasks() {
  const rand = random(18);
  const y = uniform(Float32Array, N, [0, 1], rand);
  const p = uniform(Float32Array, N, [-3, 3], rand);
  const raw = rawInstance();
  raw.f32.set(y, raw.y >> 2);
  raw.f32.set(p, raw.p >> 2);
  const outOfWasm = raw.f32.subarray(raw.g >> 2, (raw.g >> 2) + N);
  const out = new Float32Array(N);
  const wy = lib.alloc(N, 'f32');
  const wp = lib.alloc(N, 'f32');
  wy.array.set(y);
  wp.array.set(p);
  const kernelCall = new Function(
    'k',
    'r',
    'n',
    `return () => ({ loss: k(n, ${raw.y}, ${raw.p}, 0, ${raw.lo}, ${raw.g}, ${1 / N}, 0, 0, ${MODE_GRAD}) + r[0] });`,
  );
  return {
    empty: ownCopy(() => ({ loss: 0 })),
    'kernel, N = 0': kernelCall(raw.kernel, raw.result, 0),
    'kernel, N = 16': kernelCall(raw.kernel, raw.result, N),
    'copy in 16': new Function('d', 's', 'at', 'return () => { d.set(s, at); return { loss: d[at] }; };')(raw.f32, y, raw.y >> 2),
    'copy out 16': new Function('d', 's', 'return () => { d.set(s); return { loss: d[0] }; };')(out, outOfWasm),
    'mse.withGrad, out': ownCall(lib.mse.withGrad, y, p, { out: new Float32Array(N) }),
    'mse.withGrad, zero-copy': ownCall(lib.mse.withGrad, wy, wp, { out: lib.alloc(N, 'f32') }),
    'plain JS, out': ownCall(ownCopy(plain.mse!), y, p, {}, new Float32Array(N)),
  } as Record<string, () => { loss: number }>;
}

/** The copies of the copy path at N = LARGE (two in, one out, a slot at a time), and the two calls they separate. */
function largeTasks() {
  const rand = random(19);
  const y = uniform(Float32Array, LARGE, [0, 1], rand);
  const p = uniform(Float32Array, LARGE, [-3, 3], rand);
  const raw = rawInstance();
  const chunks = [];
  for (let i = 0; i < LARGE; i += CHUNK) {
    const end = Math.min(i + CHUNK, LARGE);
    chunks.push({ y: y.subarray(i, end), p: p.subarray(i, end), g: raw.f32.subarray(raw.g >> 2, (raw.g >> 2) + end - i) });
  }
  const out = new Float32Array(LARGE);
  const copies = new Function(
    'f32',
    'chunks',
    'out',
    'ay',
    'ap',
    `return () => {
      for (let c = 0; c < chunks.length; c++) {
        const k = chunks[c];
        f32.set(k.y, ay);
        f32.set(k.p, ap);
        out.set(k.g, c * ${CHUNK});
      }
      return { loss: out[0] };
    };`,
  )(raw.f32, chunks, out, raw.y >> 2, raw.p >> 2);
  const wy = lib.alloc(LARGE, 'f32');
  const wp = lib.alloc(LARGE, 'f32');
  wy.array.set(y);
  wp.array.set(p);
  return {
    copies,
    'mse.withGrad, out': ownCall(lib.mse.withGrad, y, p, { out: new Float32Array(LARGE) }),
    'mse.withGrad, zero-copy': ownCall(lib.mse.withGrad, wy, wp, { out: lib.alloc(LARGE, 'f32') }),
  } as Record<string, () => { loss: number }>;
}

export async function benchFloor(timeMs: number): Promise<void> {
  const calls = tasks();
  const pooled = await measure(
    Object.entries(calls).map(([name, call]) => ({ name, prepare: () => ({ call }) })),
    REPS,
    'floor',
    timeMs,
  );
  const t = Object.fromEntries([...pooled].map(([name, ms]) => [name, medianOf(ms) * 1e6]));
  const part = (name: string) => t[name]! - t.empty!;
  const floorOut = part('kernel, N = 16') + 2 * part('copy in 16') + part('copy out 16');
  const floorZero = part('kernel, N = 16');
  const plainJs = part('plain JS, out');
  const f = (x: number) => `${x.toFixed(1).padStart(6)} ns`;
  console.log(`\nthe floor under mse.withGrad at N = ${N}, float32 (each part less the empty loop's ${f(t.empty!).trim()})`);
  for (const name of ['kernel, N = 0', 'kernel, N = 16', 'copy in 16', 'copy out 16']) console.log(`  ${name.padEnd(26)}${f(part(name))}`);
  console.log(`  ${'plain JS, out'.padEnd(26)}${f(plainJs)}`);
  const rows: [string, number, number][] = [
    ['ordinary arrays into out', floorOut, part('mse.withGrad, out')],
    ['zero copy', floorZero, part('mse.withGrad, zero-copy')],
  ];
  console.log(`  ${''.padEnd(26)}${'floor'.padStart(9)}${'call'.padStart(10)}  wrapper  floor ÷ plain  call ÷ plain`);
  for (const [name, floor, call] of rows) {
    const cells = [f(floor), f(call), f(call - floor), (floor / plainJs).toFixed(2).padStart(13), (call / plainJs).toFixed(2).padStart(12)];
    console.log(`  ${name.padEnd(26)}${cells.join(' ')}`);
  }

  const large = largeTasks();
  const pooledLarge = await measure(
    Object.entries(large).map(([name, call]) => ({ name, prepare: () => ({ call }) })),
    4,
    'copy floor',
    timeMs,
  );
  const u = Object.fromEntries([...pooledLarge].map(([name, ms]) => [name, medianOf(ms) * 1e3]));
  const [zero, copy, floor] = [u['mse.withGrad, zero-copy']!, u['mse.withGrad, out']!, u.copies!];
  console.log(`\nthe copy path at N = ${LARGE.toExponential()}, float32: mse.withGrad of ordinary arrays into out against zero copy`);
  console.log(`  zero copy ${zero.toFixed(1)} µs, copy path ${copy.toFixed(1)} µs (${(copy / zero).toFixed(2)}× zero copy)`);
  const gb = (3 * LARGE * 4) / (floor * 1e3);
  console.log(
    `  its copies alone ${floor.toFixed(1)} µs (${gb.toFixed(1)} GB/s): zero copy + copies = ${((zero + floor) / zero).toFixed(2)}× zero copy`,
  );
}
