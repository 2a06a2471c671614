/**
 * Whether an output may be written while its inputs are read: the kernels read every input element
 * before writing the outputs at the same index, so an output may be an input itself, never a
 * shifted view of one.
 */
import type { FloatArray } from './args.js';
import { SimdlossError } from './errors.js';
import { byteLengthOf, byteOffsetOf } from './typed.js';
import { wasm } from './wasm.js';

/**
 * True when two arrays of the same dtype and length share memory without being the same elements
 * (in place is fine, a shifted overlap is not). `pa`, `pb`: their wasm pointers, or -1 for
 * ordinary arrays. Two pointers (every zero-copy call) decide it here; the rest is out of line,
 * so that this check is small enough for V8 to inline into the call paths along with the others
 * (measured in a program calling mse.withGrad with WasmArrays only, into `out` at N = 16: 164 → 131 ns
 * a call, Node 20).
 */
export function overlapsShifted(a: FloatArray, pa: number, b: FloatArray, pb: number): boolean {
  if (pa >= 0 && pb >= 0) return shifted(pa, pb, byteLengthOf(a));
  return ordinaryOverlapsShifted(a, pa, b, pb);
}

/** overlapsShifted when one of the two is an ordinary array: only then is `.buffer` read (15–40 ns a read on Node 20). */
function ordinaryOverlapsShifted(a: FloatArray, pa: number, b: FloatArray, pb: number): boolean {
  if (pa < 0 !== pb < 0) {
    pa = pa < 0 ? overWasm(a) : pa;
    pb = pb < 0 ? overWasm(b) : pb;
    if (pa < 0 || pb < 0) return false;
  } else {
    // Two views that both start a buffer cannot be shifted; this spares the `.buffer` reads in the
    // usual case (arrays created with `new`).
    pa = byteOffsetOf(a);
    pb = byteOffsetOf(b);
    if ((pa === 0 && pb === 0) || a.buffer !== b.buffer) return false;
  }
  return shifted(pa, pb, byteLengthOf(a));
}

/** Two arrays of `bytes` each, starting at byte offsets pa and pb, overlap without being the same. */
function shifted(pa: number, pb: number, bytes: number): boolean {
  return pa !== pb && Math.abs(pa - pb) < bytes;
}

/**
 * Byte offset of an ordinary array that is a view over wasm memory (`new Float32Array(memory().buffer, …)`),
 * else -1: such a view can overlap a WasmArray, even from byte 0 when it is long enough to reach one.
 * (Missed before: a shifted view as opts.out of a WasmArray pred gave a silently wrong gradient at the
 * chunk edges.)
 */
export function overWasm(a: FloatArray): number {
  return a.buffer === wasm.buffer ? byteOffsetOf(a) : -1;
}

/** Whether two arrays share memory; `allowSame`: the very same elements (same start and length) are fine. */
export function shares(a: FloatArray, pa: number, b: FloatArray, pb: number, allowSame: boolean): boolean {
  if (pa < 0 !== pb < 0) {
    pa = pa < 0 ? overWasm(a) : pa;
    pb = pb < 0 ? overWasm(b) : pb;
    if (pa < 0 || pb < 0) return false;
  } else if (pa < 0) {
    if (a.buffer !== b.buffer) return false;
    pa = byteOffsetOf(a);
    pb = byteOffsetOf(b);
  }
  const ea = pa + byteLengthOf(a);
  const eb = pb + byteLengthOf(b);
  if (pa >= eb || pb >= ea || byteLengthOf(a) === 0 || byteLengthOf(b) === 0) return false;
  return !(allowSame && pa === pb && ea === eb);
}

/** The error for an opts.out that overlaps the input `overlapped` (its name) at another offset. */
export function shiftedOut(fn: string, overlapped: string): SimdlossError {
  return new SimdlossError(
    `${fn}: opts.out overlaps ${overlapped} at a different offset (it may be pred itself, not a shifted view)`,
    'opts.out',
  );
}

/**
 * The last output and inputs found apart (no shifted overlap): a training loop passes the same arrays
 * to every call, and for ordinary arrays the check reads byteOffset, a getter call each. The verdict
 * depends only on each array's buffer, offset, length and wasm pointer, which a typed array keeps for
 * life (memory growth detaches a view: its length becomes 0, which the length checks before this one
 * see; a WasmArray re-derives a new view), so the same four arrays need no second look. Only small
 * arrays are kept (where the check's cost shows), so that a large input is not held after its last call.
 */
const APART_MAX = 4096;

export class Apart {
  out: FloatArray | undefined = undefined;
  p: FloatArray | undefined = undefined;
  y: FloatArray | Int32Array | undefined = undefined;
  w: FloatArray | undefined = undefined;

  /** Whether these arrays are the ones remembered. */
  holds(out: FloatArray, p: FloatArray, y: FloatArray | Int32Array, w: FloatArray | undefined): boolean {
    return out === this.out && p === this.p && y === this.y && w === this.w;
  }

  // Stryker disable next-line BlockStatement: never remembering only checks again, the same verdict
  remember(out: FloatArray, p: FloatArray, y: FloatArray | Int32Array, w: FloatArray | undefined): void {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the same verdicts; only which arrays are held until the next call
    if (p.length > APART_MAX) return;
    this.out = out;
    this.p = p;
    this.y = y;
    this.w = w;
  }
}
