/**
 * The vector math alone (assembly/math/), one line per function and dtype: elements per ns of the
 * SIMD build's vector form, the scalar build's twin, and Math.* in a JS loop over the same typed
 * array. Run by `npm run bench` after the losses, or alone: `npm run bench:math`.
 */
import { Bench } from 'tinybench';
import { loadAudit } from '../test/audit.js';
import { random } from '../test/random.js';
import { float64 } from '../test/reference/math.js';

const FUNCTIONS = ['exp', 'log', 'log1p', 'softplus', 'sigmoid'] as const;
const RANGES = { exp: [-80, 80], log: [1e-6, 100], log1p: [-0.9, 100], softplus: [-30, 30], sigmoid: [-30, 30] } as const;
const N = 10_000;

export async function benchMath(timeMs = 500): Promise<void> {
  const builds = { 'SIMD build': loadAudit('simd'), 'scalar build': loadAudit('scalar') };
  console.log(`\nvector math, N = ${N} in wasm memory (no copies), el/ns (median); JS: Math.* in a loop over a typed array`);
  console.log(
    [
      'function'.padEnd(10),
      'dtype',
      'SIMD build'.padStart(11),
      'scalar build'.padStart(13),
      'JS Math'.padStart(8),
      'SIMD/JS'.padStart(8),
    ].join('  '),
  );
  for (const [dtype, Ctor] of [
    ['f32', Float32Array],
    ['f64', Float64Array],
  ] as const) {
    for (const name of FUNCTIONS) {
      const fn = FUNCTIONS.indexOf(name);
      const rand = random(fn + 1);
      const [lo, hi] = RANGES[name];
      const xs = new Ctor(N);
      for (let i = 0; i < N; i++) xs[i] = lo + (hi - lo) * rand();
      const ys = new Ctor(N);
      const f = float64[name];
      const bench = new Bench({ time: timeMs, warmupTime: timeMs / 4 });
      for (const [label, audit] of Object.entries(builds)) {
        const base = Math.ceil(audit.heapBase() / 64) * 64;
        new Ctor(audit.memory.buffer, base, N).set(xs);
        bench.add(label, () => audit.evaluate(fn, Ctor.BYTES_PER_ELEMENT, base, base + N * Ctor.BYTES_PER_ELEMENT, N));
      }
      bench.add('JS Math', () => {
        for (let i = 0; i < N; i++) ys[i] = f(xs[i]!);
      });
      await bench.run();
      const rate = (task: string) => {
        const r = bench.tasks.find((t) => t.name === task)!.result;
        if (r.state !== 'completed') throw new Error(`${name} ${dtype} ${task}: ${r.state}`);
        return N / (r.latency.p50! * 1e6);
      };
      const [simd, scalar, js] = [rate('SIMD build'), rate('scalar build'), rate('JS Math')];
      console.log(
        [
          name.padEnd(10),
          dtype.padEnd(5),
          simd.toFixed(2).padStart(11),
          scalar.toFixed(2).padStart(13),
          js.toFixed(3).padStart(8),
          `${(simd / js).toFixed(1)}×`.padStart(8),
        ].join('  '),
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMath();
