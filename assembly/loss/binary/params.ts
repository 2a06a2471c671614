// Parameter slots of the binary losses (kernel/shared.ts setParam / vparam / sparam). HALF is
// every classifier's threshold on the target; the others belong to one loss each.

export const HALF = 3;

/** Binary cross-entropy: the clamp bounds of p, and w₊. */
export const LO = 0, HI = 1, POS = 2;
/** Binary accuracy: the threshold on p. */
export const THRESHOLD = 0;
/** Binary cross-entropy with logits (beside POS): the smoothed target is y·KEEP + SHIFT. */
export const KEEP = 4, SHIFT = 5;
/** Focal: γ, α, 1 − α and the floor of m = 1 − pₜ. */
export const GAMMA = 4, ALPHA = 5, ALPHA_BAR = 6, TINY = 7;
