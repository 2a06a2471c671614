// Neumaier's compensated addition, the step every accumulator's state adds with: a pair
// [sum, compensation] keeps in its compensation what the float64 sum rounds away, whichever addend
// is larger, so that sum + compensation stays within about one rounding of the exact total however
// many batches are added (a plain float64 sum's error grows with their count).

/** Adds x into the pair [sum, compensation] at index i of `s`. */
export function addCompensated(s: Float64Array, i: number, x: number): void {
  const sum = s[i]!;
  const t = sum + x;
  // Once the sum is infinite or NaN the compensation means nothing; keeping it finite keeps sum + c = sum.
  // (At |sum| = |x| both branches give the same compensation, 0: `>` for `>=` is an equivalent mutant.)
  if (Number.isFinite(t)) s[i + 1]! += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
  s[i] = t;
}
