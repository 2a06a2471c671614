// Cosine embedding loss (embedding/index.ts: the ABI; rows.ts: what the row loops share).

import { MODE_GRAD, RESULT_SUM } from "../../abi";
import { byteOffset, setResult } from "../../kernel/shared";
import { dots, sumB, sumC } from "../../kernel/embedding";
import { badLabel, factorOk, rowWeight, weigh } from "./rows";

/**
 * 1 − cos(a, b) where y = 1, max(0, cos(a, b) − m) where y = −1 (active at cos − m ≥ 0).
 * dcos/da = b/(‖a‖‖b‖) − cos·a/‖a‖², dcos/db likewise. A zero-norm row counts as cos = 0 with a
 * zero gradient (PyTorch instead adds 1e-12 to each squared norm).
 */
function cosineEmbedding<T>(rows: i32, dim: i32, label: usize, a: usize, b: usize, w: usize, lo: usize,
                            ga: usize, gb: usize, scale: f64, margin: f64, mode: i32): i32 {
  const rowBytes = byteOffset<T>(dim);
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const y = <f64>load<T>(label + byteOffset<T>(r));
    if (y != 1 && y != -1) return badLabel(r, y);
    const off = <usize>r * rowBytes;
    const ab = dots<T>(dim, a + off, b + off);
    const aa = sumB();
    const bb = sumC();
    const zero = aa == 0 || bb == 0;
    const inv = zero ? 0 : 1 / (sqrt<f64>(aa) * sqrt<f64>(bb));
    // Clamped: a rounded cos a little above 1 made 1 − cos −2.2e-16; the gradient uses the same cos.
    const cos = min<f64>(max<f64>(ab * inv, -1), 1);
    const l = y > 0 ? 1 - cos : max<f64>(cos - margin, 0);
    const wr = rowWeight<T>(mode, r, w);
    total += weigh<T>(mode, r, lo, l * wr);
    const k = scale * wr;
    if (mode & MODE_GRAD) {
      const sign: f64 = y > 0 ? -1 : cos - margin < 0 ? 0 : 1;
      if (sign != 0 && !zero) {
        const ks = k * sign;
        const alpha = ks * inv, beta = -ks * cos / aa, gamma = -ks * cos / bb;
        if (factorOk<T>(alpha) && factorOk<T>(beta) && factorOk<T>(gamma)) {
          cosineGrad<T>(dim, a + off, b + off, ga + off, gb + off, <T>alpha, <T>beta, <T>gamma);
        } else cosineWide<T>(dim, a + off, b + off, ga + off, gb + off, ks, cos, sqrt<f64>(aa), sqrt<f64>(bb));
      } else {
        memory.fill(ga + off, 0, rowBytes);
        memory.fill(gb + off, 0, rowBytes);
      }
    }
  }
  setResult<f64>(RESULT_SUM, total);
  return -1;
}

/** cosineGrad in float64 on the unit vectors: ga = k·(b/‖b‖ − cos·a/‖a‖)/‖a‖, for factors not normal in T. */
function cosineWide<T>(dim: i32, a: usize, b: usize, ga: usize, gb: usize, k: f64, cos: f64, na: f64, nb: f64): void {
  for (let i = 0; i < dim; i++) {
    const off = byteOffset<T>(i);
    const x = <f64>load<T>(a + off) / na;
    const y = <f64>load<T>(b + off) / nb;
    store<T>(ga + off, <T>(k * ((y - cos * x) / na)));
    store<T>(gb + off, <T>(k * ((x - cos * y) / nb)));
  }
}

/** ga = α·b + β·a, gb = α·a + γ·b. */
function cosineGrad<T>(dim: i32, a: usize, b: usize, ga: usize, gb: usize, alpha: T, beta: T, gamma: T): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const V = 16 / sizeof<T>();
    const nv = dim & ~(V - 1);
    const A = v128.splat<T>(alpha);
    const B = v128.splat<T>(beta);
    const G = v128.splat<T>(gamma);
    for (; i < nv; i += V) {
      const off = byteOffset<T>(i);
      const av = v128.load(a + off);
      const bv = v128.load(b + off);
      v128.store(ga + off, v128.add<T>(v128.mul<T>(A, bv), v128.mul<T>(B, av)));
      v128.store(gb + off, v128.add<T>(v128.mul<T>(A, av), v128.mul<T>(G, bv)));
    }
  }
  for (; i < dim; i++) {
    const off = byteOffset<T>(i);
    const av = load<T>(a + off);
    const bv = load<T>(b + off);
    store<T>(ga + off, alpha * bv + beta * av);
    store<T>(gb + off, alpha * av + gamma * bv);
  }
}

export function cosineEmbedding_f32(rows: i32, dim: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize, k: f64,
                                    m: f64, mode: i32): i32 {
  return cosineEmbedding<f32>(rows, dim, y, a, b, w, lo, ga, gb, k, m, mode);
}
export function cosineEmbedding_f64(rows: i32, dim: i32, y: usize, a: usize, b: usize, w: usize, lo: usize, ga: usize, gb: usize, k: f64,
                                    m: f64, mode: i32): i32 {
  return cosineEmbedding<f64>(rows, dim, y, a, b, w, lo, ga, gb, k, m, mode);
}
