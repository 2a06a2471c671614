/**
 * A function recompiled from its own source, so that it gets type feedback of its own. V8 keeps
 * feedback per function literal: one literal called with several losses' data, dtypes or call
 * shapes is compiled for all of them (polymorphic), which a hand-written loop in a user's program,
 * seeing one dtype, is not. The bench gives every baseline and every timed task its own copy.
 * The function must be self-contained (no free variables besides globals).
 */
export function ownCopy<F extends (...args: never[]) => unknown>(f: F): F {
  const source = f.toString();
  // A method (`mse(y, p) {…}`) is not an expression: wrap it in an object literal and take it back out.
  const expression = /^(async\s+)?function\b|^\(|^[\w$]+\s*=>/.test(source) ? `(${source})` : `({ ${source} })[${JSON.stringify(f.name)}]`;
  return new Function(`return ${expression};`)() as F;
}

/** `() => f(...args)` as a closure of its own: its one call site sees `f` alone, as a user's call site does. */
export function ownCall<R>(f: (...args: never[]) => R, ...args: unknown[]): () => R {
  const names = args.map((_, i) => `a${i}`);
  return new Function('f', ...names, `return () => f(${names.join(', ')});`)(f, ...args);
}
