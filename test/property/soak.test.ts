// The soak in CI: 1e5 random calls (test/soak.ts; `npm run soak` runs 1e6), flat memory
// after warm-up, results right against the references, WasmArrays and results never detached; and
// the two growth cases the soak found, pinned down.
import { execFileSync } from 'node:child_process';
import { beforeAll, expect, test } from 'vitest';
import { alloc, init, memory, mse, SimdlossError, softmaxCrossEntropy, sparseSoftmaxCrossEntropy } from '../../src/node.js';
import { HEAP_SLACK, RSS_SLACK, soak } from '../soak.js';

beforeAll(async () => {
  await init();
});

test('1e5 random calls: correct, nothing detached, wasm memory flat after warm-up, heap and RSS flat', () => {
  // Warm-up: the first 30% (after 1e4 calls RSS was still settling: +18–23 MB to the end, measured;
  // after 3e4, +8 MB).
  const r = soak({ calls: 100_000, seed: 7, warmup: 0.3 });
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`;
  console.log(
    `soak ${r.calls} calls in ${r.seconds.toFixed(1)} s, ${r.checked} checked, ${r.grows} grows: wasm ${mb(r.warm.wasm)} → ${mb(r.end.wasm)}, ` +
      `heapUsed ${mb(r.warm.heapUsed)} → ${mb(r.end.heapUsed)}, RSS ${mb(r.warm.rss)} → ${mb(r.end.rss)}`,
  );
  expect(r.failures).toEqual([]);
  expect(r.checked).toBeGreaterThan(4000);
  expect(r.grows).toBeGreaterThan(100);
  expect(r.wasmPeakAfterWarmup, 'wasm memory (less forced growth) after warm-up').toBe(r.warm.wasm);
  expect(r.end.heapUsed - r.warm.heapUsed, 'heapUsed growth after warm-up').toBeLessThan(HEAP_SLACK);
  expect(r.end.rss - r.warm.rss, 'RSS growth after warm-up').toBeLessThan(RSS_SLACK);
});

test('WasmArray views given to a wide-row call stay valid when the call itself grows memory (it used to refuse them as detached)', () => {
  const C = 10_000; // 40 KB a float32 row: the call allocates a temporary block, which may grow memory
  const rows = 2;
  const z = alloc(rows * C, 'f32');
  const out = alloc(rows * C, 'f32');
  const t = new Float32Array(rows * C);
  t[3] = 1;
  t[C + 9] = 1;
  for (let i = 0; i < rows * C; i++) z.array[i] = Math.sin(i);
  const want = softmaxCrossEntropy.withGrad(t, z.array.slice(), { classes: C });
  const labels = Int32Array.of(3, 9);
  const wantSparse = sparseSoftmaxCrossEntropy.withGrad(labels, z.array.slice(), { classes: C });
  for (let round = 0; round < 3; round++) {
    // Use up the free list, so that the call's temporary block has to grow memory.
    const filler: ReturnType<typeof alloc>[] = [];
    const before = memory().buffer.byteLength;
    while (memory().buffer.byteLength === before) filler.push(alloc(4096));
    const grownTo = memory().buffer.byteLength;
    const dense =
      round === 2
        ? sparseSoftmaxCrossEntropy.withGrad(labels, z.array, { classes: C, out: out.array })
        : softmaxCrossEntropy.withGrad(t, z.array, { classes: C, out: out.array });
    expect(memory().buffer.byteLength, 'the call grew memory').toBeGreaterThan(grownTo);
    const w = round === 2 ? wantSparse : want;
    expect(dense.loss).toBe(w.loss);
    expect(dense.grad.length, 'the returned gradient is not detached').toBe(rows * C);
    expect(Array.from(dense.grad)).toEqual(Array.from(w.grad));
    for (const f of filler) f.free();
  }
  z.free();
  out.free();
});

test('a plain view of wasm memory given to a wide-row call that grows memory: a SimdlossError naming it (it was a TypeError)', () => {
  const C = 10_000;
  const block = alloc(2 * C + 16, 'f32');
  for (let i = 0; i < 2 * C; i++) block.array[i] = Math.sin(i);
  const want = sparseSoftmaxCrossEntropy(Int32Array.of(3, 9), block.array.slice(0, 2 * C), { classes: C });
  const filler: ReturnType<typeof alloc>[] = [];
  const before = memory().buffer.byteLength;
  while (memory().buffer.byteLength === before) filler.push(alloc(4096));
  const view = block.array.subarray(0, 2 * C); // a subarray: not the WasmArray's own view, so not re-derived
  let error: unknown;
  try {
    sparseSoftmaxCrossEntropy(Int32Array.of(3, 9), view, { classes: C });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SimdlossError);
  expect((error as SimdlossError).argument).toBe('pred');
  expect((error as SimdlossError).message).toMatch(
    /pred is a view of wasm memory that this call detached: rows of 10000 values are wider than a staging slot/,
  );
  expect(sparseSoftmaxCrossEntropy(Int32Array.of(3, 9), block.array.subarray(0, 2 * C), { classes: C })).toBe(want); // a fresh view: fine
  for (const f of [...filler, block]) f.free();
});

test('pages grown by the user (memory().grow) are handed out by alloc, not left unused', () => {
  const a = alloc(1);
  const top = memory().buffer.byteLength;
  memory().grow(4);
  const b = alloc((4 * 65536) / 4 - 64, 'f32'); // fits in the 4 pages just grown (and whatever was free)
  expect(memory().buffer.byteLength).toBe(top + 4 * 65536);
  expect(mse(b, b)).toBe(0);
  a.free();
  b.free();
});

test('npm run soak runs end to end (2e4 calls)', () => {
  const root = new URL('../..', import.meta.url).pathname;
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'tools/soak.ts', '--calls', '2e4'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(out).toMatch(/^ {2}after warm-up +[\d.]+ MB +[\d.]+ MB +[\d.]+ MB$/m);
  expect(out).toContain('soak: flat and correct');
});
