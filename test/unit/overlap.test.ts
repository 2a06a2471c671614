// An output (opts.out, or one of an embedding loss's opts.out.<input>) that shares memory with
// another argument at a different offset is refused, and the error names both: the output in
// .argument and the message, and the argument it overlaps in the message. Every loss with a
// gradient × every output × every other array argument (opts.weights included), over one plain
// buffer and over a WasmArray with a view into it. Driven from test/subjects.ts, so a new loss is
// covered without a line here.
import { beforeAll, describe, expect, test } from 'vitest';
import { alloc, init, memory, SimdlossError } from '../../src/node.js';
import { type Args, call, type Subject, subjects } from '../subjects.js';

beforeAll(async () => {
  await init();
});

const ROWS = 6;
type Arr = Float32Array | Float64Array;

/** The error `run` throws, which must be a SimdlossError. */
function errorOf(run: () => unknown): SimdlossError {
  try {
    run();
  } catch (e) {
    if (e instanceof SimdlossError) return e;
    throw e;
  }
  return expect.fail('expected a SimdlossError, got no error');
}

/** The output names of a subject, and the other arguments (by index, or 'opts.weights') it can overlap. */
function pairs(s: Subject): { out: string; key: string | undefined; other: number | 'opts.weights' }[] {
  const keys = s.outKeys;
  const found: { out: string; key: string | undefined; other: number | 'opts.weights' }[] = [];
  for (const key of keys) {
    const out = key === undefined ? 'opts.out' : `opts.out.${key}`;
    for (let j = 0; j < s.args.length; j++) if (!s.ints.has(j)) found.push({ out, key, other: j });
    found.push({ out, key, other: 'opts.weights' });
  }
  return found;
}

const withGradients = subjects.filter((s) => s.grad);

test('every loss with a gradient is driven', () => {
  expect(withGradients.length).toBeGreaterThanOrEqual(15);
});

for (const s of withGradients) {
  describe(s.name, () => {
    for (const { out, key, other } of pairs(s)) {
      const otherName = typeof other === 'number' ? s.args[other]! : other;
      for (const dtype of ['f32', 'f64'] as const) {
        const f32 = dtype === 'f32';
        const F = f32 ? Float32Array : Float64Array;
        /** Arguments and options with `other` placed at `at` and the output at `outAt` (each a view or a WasmArray). */
        const arrange = (place: (otherLength: number, outLength: number) => { other: unknown; out: unknown }) => {
          const args: Args = s.data(ROWS, 7, f32);
          const outLength = (args[s.ref] as Arr).length;
          const otherLength = typeof other === 'number' ? (args[other] as Arr).length : ROWS;
          const placed = place(otherLength, outLength);
          const opts: Record<string, unknown> = { ...s.base, out: key === undefined ? placed.out : { [key]: placed.out } };
          if (other === 'opts.weights') opts.weights = placed.other;
          else args[other] = placed.other;
          // The other argument keeps valid values (the in-domain data it replaced).
          const values = other === 'opts.weights' ? new F(otherLength).fill(1) : (s.data(ROWS, 7, f32)[other] as Arr);
          const target = placed.other as Arr | { array: Arr };
          ('array' in target ? target.array : target).set(values);
          return { args, opts };
        };

        test(`${out} one element into ${otherName} (${dtype}, one plain buffer)`, () => {
          const { args, opts } = arrange((otherLength, outLength) => {
            const buffer = new F(Math.max(otherLength, outLength) + 1);
            return { other: buffer.subarray(0, otherLength), out: buffer.subarray(1, 1 + outLength) };
          });
          for (const method of ['grad', 'withGrad'] as const) {
            const e = errorOf(() => call(s, method, args, opts));
            expect(e.argument, e.message).toBe(out);
            expect(e.message).toContain(`${s.name}.${method}: ${out} overlaps ${otherName}`);
          }
        });

        test(`${out} a view one element into WasmArray ${otherName} (${dtype})`, () => {
          const held: { free(): void }[] = [];
          const { args, opts } = arrange((otherLength, outLength) => {
            // (the view may run past the WasmArray's end: the call is refused before anything is written)
            const w = alloc(otherLength, f32 ? 'f32' : 'f64');
            held.push(w);
            return { other: w, out: new F(memory().buffer, w.ptr + F.BYTES_PER_ELEMENT, outLength) };
          });
          try {
            for (const method of ['grad', 'withGrad'] as const) {
              const e = errorOf(() => call(s, method, args, opts));
              expect(e.argument, e.message).toBe(out);
              expect(e.message).toContain(`${s.name}.${method}: ${out} overlaps ${otherName}`);
            }
          } finally {
            for (const w of held) w.free();
          }
        });
      }
    }
  });
}
