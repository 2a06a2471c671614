/**
 * Ranking metrics: rocAuc on N float32 scores (default 1e6) against what JS code does without the
 * library, checked against each other before timing — the plain-JS implementation (each class's
 * scores copied into a Float64Array, both sorted by the native numeric sort(), one merge-like sweep
 * counting the pairs ordered right and the ties), the common one (an array of { y, s } objects
 * sorted with a comparator, then a sweep) — and the binned accumulator's update.
 */
import * as lib from '../dist/node.js';
import { random } from '../test/random.js';
import { measure, medianOf } from './measure.js';

/** AUC by two native sorts and one sweep: Σ over positives of (negatives below + ½ negatives tied) / (P·N). */
export function plainAuc(y: Float32Array, s: Float32Array): number {
  let p = 0;
  for (let i = 0; i < y.length; i++) p += y[i]!;
  const pos = new Float64Array(p);
  const neg = new Float64Array(y.length - p);
  for (let i = 0, a = 0, b = 0; i < y.length; i++) {
    if (y[i] === 1) pos[a++] = s[i]!;
    else neg[b++] = s[i]!;
  }
  pos.sort();
  neg.sort();
  let right = 0;
  let below = 0;
  let tied = 0;
  for (let i = 0; i < pos.length; i++) {
    const v = pos[i]!;
    if (i === 0 || v !== pos[i - 1]) {
      below += tied;
      while (below < neg.length && neg[below]! < v) below++;
      tied = 0;
      while (below + tied < neg.length && neg[below + tied] === v) tied++;
    }
    right += below + tied / 2;
  }
  return right / (pos.length * neg.length);
}

/** AUC as most JS code writes it: objects sorted by score with a comparator, then a sweep over tied groups. */
export function objectsAuc(y: Float32Array, s: Float32Array): number {
  const rows = Array.from(y, (label, i) => ({ y: label, s: s[i]! }));
  rows.sort((a, b) => b.s - a.s);
  let tp = 0;
  let fp = 0;
  let area = 0;
  for (let i = 0; i < rows.length; ) {
    let gtp = 0;
    let gfp = 0;
    const v = rows[i]!.s;
    for (; i < rows.length && rows[i]!.s === v; i++) rows[i]!.y === 1 ? gtp++ : gfp++;
    area += gfp * (tp + gtp / 2);
    tp += gtp;
    fp += gfp;
  }
  return area / (tp * fp);
}

export async function benchRanking(sizes: number[], timeMs: number): Promise<void> {
  for (const n of sizes) {
    const rand = random(42);
    const y = new Float32Array(n);
    const s = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rand() < 0.3 ? 1 : 0;
      s[i] = Math.fround(rand() * 0.7 + 0.3 * y[i]!);
    }
    const want = lib.rocAuc(y, s);
    for (const [name, got] of [
      ['plain JS', plainAuc(y, s)],
      ['objects', objectsAuc(y, s)],
    ] as const) {
      if (!(Math.abs(got - want) <= 1e-9)) throw new Error(`rocAuc N=${n}: ${name} gives ${got}, simdloss ${want}`);
    }
    const tasks = [
      { name: 'simdloss', prepare: () => ({ call: () => ({ loss: lib.rocAuc(y, s) }) }) },
      {
        name: 'zero-copy',
        prepare: () => {
          const wy = lib.alloc(n, 'f32');
          const ws = lib.alloc(n, 'f32');
          wy.array.set(y);
          ws.array.set(s);
          return {
            call: () => ({ loss: lib.rocAuc(wy, ws) }),
            free: () => {
              wy.free();
              ws.free();
            },
          };
        },
      },
      { name: 'binned update', prepare: () => ({ call: () => ({ loss: lib.rocAuc.create().update(y, s).count }) }) },
      { name: 'plain JS', prepare: () => ({ call: () => ({ loss: plainAuc(y, s) }) }) },
      { name: 'objects, sort()', prepare: () => ({ call: () => ({ loss: objectsAuc(y, s) }) }) },
    ];
    // Few samples: the comparator sort of 1e6 objects takes a second or more a call.
    const pooled = await measure(tasks, 1, `rocAuc ${n}`, timeMs, 2);
    const med = new Map([...pooled].map(([k, v]) => [k, medianOf(v)]));
    process.stderr.write('\r\x1b[K');
    console.log(`\nrocAuc, float32 scores, N = ${n.toExponential().replace('+', '')}`);
    console.log(['variant'.padEnd(16), 'ms'.padStart(9), 'el/ns'.padStart(7), 'vs plain JS', 'vs objects'].join('  '));
    for (const [k, ms] of med) {
      const cells = [k.padEnd(16), ms.toFixed(2).padStart(9), (n / (ms * 1e6)).toFixed(3).padStart(7)];
      cells.push(
        `${(med.get('plain JS')! / ms).toFixed(2)}×`.padStart(11),
        `${(med.get('objects, sort()')! / ms).toFixed(2)}×`.padStart(10),
      );
      console.log(cells.join('  '));
    }
    console.log(
      `rocAuc summary: ${n} speed simdloss/plain ${(med.get('plain JS')! / med.get('simdloss')!).toFixed(2)}, ` +
        `simdloss/objects ${(med.get('objects, sort()')! / med.get('simdloss')!).toFixed(2)}, binned update ${(n / (med.get('binned update')! * 1e6)).toFixed(3)} el/ns`,
    );
  }
}
