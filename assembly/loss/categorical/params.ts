// Parameter slots of the row-wise losses (kernel/shared.ts setParam / vparam / sparam).

/** Softmax cross-entropy: smoothing α enters as 1 − α and α / C. */
export const P_A = 0;
export const P_B = 1;
/** Σ w_k (sparse targets with smoothing). */
export const P_WSUM = 2;
/** Gradient scale (1 / denominator for 'mean'). */
export const P_SCALE = 3;
/** Probability losses: the clamp floor ε, and −1. */
export const P_EPS = 4;
export const P_NEG = 5;
/** Focal losses: the exponent γ. */
export const P_GAMMA = 6;
