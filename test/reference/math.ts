// Double-double (~106-bit) references for exp, log, log1p, softplus and sigmoid: what the float64
// vector math is measured against (a float64 reference cannot measure float64 ulps). Each value is
// an unevaluated sum hi + lo.

export type DD = readonly [number, number];

const SPLIT = 134217729; // 2^27 + 1 (Dekker)

function twoSum(a: number, b: number): DD {
  const s = a + b;
  const v = s - a;
  return [s, a - (s - v) + (b - v)];
}

function twoProd(a: number, b: number): DD {
  const p = a * b;
  const ca = SPLIT * a,
    ah = ca - (ca - a),
    al = a - ah;
  const cb = SPLIT * b,
    bh = cb - (cb - b),
    bl = b - bh;
  return [p, ah * bh - p + ah * bl + al * bh + al * bl];
}

function add(a: DD, b: DD): DD {
  const [s, e] = twoSum(a[0], b[0]);
  const [h, l] = twoSum(s, e + a[1] + b[1]);
  return [h, l];
}

function mul(a: DD, b: DD): DD {
  const [p, e] = twoProd(a[0], b[0]);
  return twoSum(p, e + (a[0] * b[1] + a[1] * b[0]));
}

function div(a: DD, b: DD): DD {
  const q1 = a[0] / b[0];
  const r = add(a, neg(mul(b, [q1, 0])));
  const q2 = r[0] / b[0];
  const r2 = add(r, neg(mul(b, [q2, 0])));
  const q3 = r2[0] / b[0];
  return add(twoSum(q1, q2), [q3, 0]);
}

function neg(a: DD): DD {
  return [-a[0], -a[1]];
}

function scale(a: DD, k: number): DD {
  // × 2^k in two steps, so that neither factor overflows
  const h = Math.trunc(k / 2);
  return [a[0] * 2 ** h * 2 ** (k - h), a[1] * 2 ** h * 2 ** (k - h)];
}

const LN2: DD = [Math.LN2, 2.3190468138462996e-17];
const SQUARINGS = 10;

/** e^x. */
export function exp(x: number): DD {
  if (Number.isNaN(x)) return [NaN, 0];
  if (x > 710) return [Infinity, 0];
  if (x < -746) return [0, 0];
  const n = Math.round(x / LN2[0]);
  const r = scale(add([x, 0], neg(mul([n, 0], LN2))), -SQUARINGS); // |r| ≤ 0.35·2⁻¹⁰
  let term: DD = [1, 0];
  let sum: DD = [1, 0];
  for (let k = 1; k <= 12; k++) {
    term = div(mul(term, r), [k, 0]);
    sum = add(sum, term);
  }
  for (let k = 0; k < SQUARINGS; k++) sum = mul(sum, sum);
  return scale(sum, n);
}

/** ln of a positive double-double u, by one Newton step on e^y = u from float64's estimate. */
function logOf(u: DD, estimate: number): DD {
  // u = m·2^e with m in [√½, √2), so that e^−y never overflows and ln m + e·ln 2 never cancels
  const e = exponent(u[0] * Math.SQRT2);
  const m = scale(u, -e);
  const y0 = estimate - e * LN2[0];
  const y = add([y0, 0], add(mul(m, exp(-y0)), [-1, 0]));
  return add(y, mul([e, 0], LN2));
}

/** ln x. */
export function log(x: number): DD {
  if (Number.isNaN(x) || x < 0) return [NaN, 0];
  if (x === 0) return [-Infinity, 0];
  if (x === Infinity) return [Infinity, 0];
  if (Math.abs(x - 1) < 2 ** -10) return log1pOf([x - 1, 0]); // x − 1 is exact there
  return logOf([x, 0], Math.log(x));
}

/** ln(1 + u) for a double-double u > −1. */
function log1pOf(u: DD): DD {
  if (u[0] === Infinity) return [Infinity, 0];
  if (Math.abs(u[0]) < 2 ** -10) {
    // the series: the Newton step's e^−y is only ~2⁻⁹⁶ accurate near 1, too little for a tiny result
    let power = u;
    let sum = u;
    for (let k = 2; k <= 12; k++) {
      power = mul(power, u);
      sum = add(sum, div(power, [k % 2 ? k : -k, 0]));
    }
    return sum;
  }
  return logOf(add([1, 0], u), Math.log1p(u[0]));
}

/** ln(1 + x). */
export function log1p(x: number): DD {
  if (Number.isNaN(x) || x < -1) return [NaN, 0];
  if (x === -1) return [-Infinity, 0];
  return log1pOf([x, 0]);
}

/** ln(1 + e^x). */
export function softplus(x: number): DD {
  if (Number.isNaN(x)) return [NaN, 0];
  if (x === Infinity) return [Infinity, 0];
  const t = exp(-Math.abs(x));
  return x > 0 ? add([x, 0], log1pOf(t)) : log1pOf(t);
}

/** 1/(1 + e^−x). */
export function sigmoid(x: number): DD {
  if (Number.isNaN(x)) return [NaN, 0];
  const t = exp(-Math.abs(x));
  return div(x >= 0 ? [1, 0] : t, add([1, 0], t));
}

const bits = new DataView(new ArrayBuffer(8));

/** The binary exponent of a finite x (−∞ for 0), read from its bits (log2 rounds near powers of 2). */
function exponent(x: number): number {
  if (x === 0) return -Infinity;
  bits.setFloat64(0, x);
  const e = (bits.getUint16(0) >> 4) & 0x7ff;
  return e === 0 ? exponent(x * 2 ** 64) - 64 : e - 1023;
}

/** |y − ref| in float64 ulps of ref (2⁻¹⁰⁷⁴ below the normal range); Infinity for a wrong NaN or ∞. */
export function ulps64(y: number, ref: DD): number {
  const [h, l] = ref;
  if (Number.isNaN(h) || Number.isNaN(y)) return Number.isNaN(h) && Number.isNaN(y) ? 0 : Infinity;
  const rounded = h + l;
  if (!Number.isFinite(rounded) || !Number.isFinite(y)) return rounded === y ? 0 : Infinity;
  return Math.abs(y - h - l) / 2 ** (Math.max(exponent(rounded), -1022) - 52);
}

/** |y − ref| in float32 ulps of ref (2⁻¹⁴⁹ below the normal range); Infinity for a wrong NaN or ∞. */
export function ulps32(y: number, ref: number): number {
  if (Number.isNaN(ref) || Number.isNaN(y)) return Number.isNaN(ref) && Number.isNaN(y) ? 0 : Infinity;
  const rounded = Math.fround(ref);
  if (!Number.isFinite(rounded) || !Number.isFinite(y)) return rounded === y ? 0 : Infinity;
  return Math.abs(y - ref) / 2 ** (Math.max(exponent(ref), -126) - 23);
}

/** float64 references for the float32 functions (V8's Math: fdlibm's algorithms, < 1 ulp in float64). */
export const float64 = {
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  softplus: (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  sigmoid: (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
} as const;

export const doubleDouble = { exp, log, log1p, softplus, sigmoid } as const;
