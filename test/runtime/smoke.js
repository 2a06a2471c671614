// The smoke suite that runs inside every runtime, on the installed package: plain ESM with no
// imports, so each runtime's runner only imports the library and this file and reports the result.
// It never throws: every failed check is a line in `failures`, so one run shows them all.
// `values` (losses and gradients as strings) let the test compare runtimes bit for bit.

/**
 * @param {any} lib the imported package
 * @param {{ cases: readonly any[]; init?: (simd: boolean) => Promise<unknown> }} how the test registry's
 *   entries as data (smoke-cases.js, written beside this file) and how to load a build (default: lib.init)
 */
export async function smoke(lib, how) {
  const load = how.init ?? ((simd) => lib.init({ simd }));
  const failures = [];
  const values = {};
  let checks = 0;
  const check = (ok, what) => {
    checks++;
    if (!ok) failures.push(what);
  };
  const attempt = async (what, fn) => {
    try {
      await fn();
    } catch (e) {
      failures.push(`${what}: threw ${e?.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : String(e)}`);
    }
  };

  // Exported losses: every function export with grad and withGrad must have a registry entry, and
  // each entry must name an export (metrics have no gradient: registry only).
  const registry = (Array.isArray(how.cases) ? how.cases : []).map((e) => ({ ...e, loss: lib[e.name] }));
  check(registry.length > 0, 'the smoke has registry entries to run');
  const exported = Object.keys(lib)
    .filter((k) => typeof lib[k] === 'function' && typeof lib[k].grad === 'function' && typeof lib[k].withGrad === 'function')
    .sort();
  const named = new Set(registry.map((e) => e.name));
  for (const name of exported) check(named.has(name), `export ${name} has a registry entry`);
  for (const e of registry)
    check(typeof e.loss === 'function' && e.loss.lossName === e.name, `registry entry ${e.name} is the export of that name`);

  check(typeof lib.simdSupported === 'function' && lib.simdSupported() === true, 'simdSupported() is true');

  for (const simd of [true, false]) {
    const build = simd ? 'simd' : 'scalar';
    let info;
    await attempt(`${build}: init`, async () => {
      info = await load(simd);
    });
    check(info && info.simd === simd, `${build}: init reports { simd: ${simd} }, got ${JSON.stringify(info)}`);
    if (!info) continue;

    // A value from the lesson (the README's first example): (25 + 9 + 4 + 25) / 4.
    await attempt(`${build}: lesson mse`, () => {
      const v = lib.mse(Float32Array.of(85, 72, 90, 60), Float32Array.of(80, 75, 88, 65));
      check(v === 15.75, `${build}: mse of the lesson example is 15.75, got ${v}`);
    });

    // scikit-learn's documented ranking example: the wasm sort and sweep, and a binned accumulator through JSON.
    await attempt(`${build}: ranking`, () => {
      const y = Float64Array.of(0, 0, 1, 1);
      const s = Float64Array.of(0.1, 0.4, 0.35, 0.8);
      const auc = lib.rocAuc(y, s);
      const ap = lib.averagePrecision(Float32Array.from(y), Float32Array.from(s));
      check(auc === 0.75 && ap === (1 + 2 / 3) / 2, `${build}: rocAuc 0.75 and averagePrecision 0.8333…, got ${auc}, ${ap}`);
      const binned = lib.rocAuc.fromJSON(JSON.stringify(lib.rocAuc.create({ bins: 4 }).update(y, s))).result();
      check(binned === 0.875, `${build}: rocAuc over 4 bins is 0.875, got ${binned}`);
    });

    for (const entry of registry) {
      for (const dtype of ['f32', 'f64']) {
        const key = `${entry.name}/${build}/${dtype}`;
        await attempt(key, () => {
          const input = inputs(entry, dtype);
          if (input === undefined) {
            failures.push(`${key}: no smoke driver for registry kind '${entry.kind}': add one to test/runtime/smoke.js`);
            return;
          }
          values[key] = runLoss(lib, entry, input, key, check);
        });
      }
    }

    // One bad input: a negative weight names the argument, the index and the value, and the
    // library still works after it.
    await attempt(`${build}: bad input`, () => {
      const y = Float32Array.of(1, 2, 3);
      let err;
      try {
        lib.mse(y, y, { weights: Float32Array.of(1, -1, 1) });
      } catch (e) {
        err = e;
      }
      check(err instanceof lib.SimdlossError && err instanceof Error, `${build}: a negative weight throws a SimdlossError`);
      check(
        err && err.argument === 'opts.weights' && err.index === 1 && /-1/.test(err.message),
        `${build}: the error names opts.weights, index 1 and -1: ${err?.message}`,
      );
      const after = lib.mse(y, Float32Array.of(1, 2, 5), { reduction: 'sum' });
      check(after === 4, `${build}: usable after the error: sum of squares 4, got ${after}`);
    });
  }

  return {
    simdSupported: typeof lib.simdSupported === 'function' ? lib.simdSupported() : undefined,
    exported,
    covered: Object.keys(values)
      .filter((k) => k.endsWith('/simd/f32'))
      .map((k) => k.split('/')[0])
      .sort(),
    checks,
    failures,
    values,
  };
}

/**
 * Seeded arguments for one registry entry (the same numbers in every runtime): `args` in call
 * order, the dtype of each, how many examples (`rows`) they hold, and the gradient's keys for
 * losses with one gradient per input (embeddings, three-input losses).
 */
function inputs(entry, dtype) {
  const F = dtype === 'f32' ? Float32Array : Float64Array;
  const rand = rng(hash(entry.name));
  const uniform = ([lo, hi]) => lo + (hi - lo) * rand();
  if (entry.kind === 'elementwise') {
    const n = 37; // crosses the 4- and 16-element tiles with a tail
    const labels = entry.labels;
    const target = F.from({ length: n }, () =>
      labels && rand() < labels.share ? labels.values[Math.floor(rand() * labels.values.length)] : uniform(entry.domain.target),
    );
    const pred = F.from({ length: n }, () => uniform(entry.domain.pred));
    return { args: [target, pred], dtypes: [dtype, dtype], rows: n, opts: {}, metric: false };
  }
  if (entry.kind === 'rowwise') {
    const classes = 5;
    const rows = 7;
    const pred = F.from({ length: rows * classes }, () => uniform(entry.domain.pred));
    if (entry.target === 'labels') {
      const target = Int32Array.from({ length: rows }, () => Math.floor(rand() * classes));
      return { args: [target, pred], dtypes: ['i32', dtype], rows, opts: { classes }, metric: entry.metric };
    }
    const target = new F(rows * classes);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (let k = 0; k < classes; k++) sum += target[r * classes + k] = 0.05 + rand();
      for (let k = 0; k < classes; k++) target[r * classes + k] /= sum; // a probability row
    }
    return { args: [target, pred], dtypes: [dtype, dtype], rows, opts: { classes }, metric: entry.metric };
  }
  if (entry.kind === 'ternary') {
    const n = 37;
    const labels = entry.labels;
    const target = F.from({ length: n }, () =>
      labels && rand() < labels.share ? labels.values[Math.floor(rand() * labels.values.length)] : uniform(entry.domain.target),
    );
    const [a, b] = [entry.domain.a, entry.domain.b].map((d) => F.from({ length: n }, () => uniform(d)));
    return { args: [target, a, b], dtypes: [dtype, dtype, dtype], rows: n, opts: {}, metric: false, gradKeys: entry.inputs };
  }
  if (entry.kind === 'inbatch') {
    const dim = 6;
    const n = 9;
    const [a, b] = [0, 1].map(() => F.from({ length: n * dim }, () => uniform([-2, 2])));
    const rows = entry.name === 'ntXent' ? 2 * n : n; // ntXent: one loss per row of a and of b
    return { args: [a, b], dtypes: [dtype, dtype], rows, opts: { dim }, metric: false, gradKeys: entry.inputs };
  }
  if (entry.kind === 'embedding') {
    const dim = 6;
    const rows = 9;
    const embeddings = entry.inputs.map(() => F.from({ length: rows * dim }, () => uniform([-2, 2])));
    const draw = { binary: () => (rand() < 0.5 ? 0 : 1), sign: () => (rand() < 0.5 ? -1 : 1) }[entry.labels];
    const args = draw ? [F.from({ length: rows }, draw), ...embeddings] : embeddings;
    return { args, dtypes: args.map(() => dtype), rows, opts: { dim }, metric: false, gradKeys: entry.inputs };
  }
  if (entry.kind === 'similarity') {
    const dim = 6;
    const rows = 9;
    const [target, pred] = [entry.domain.target, entry.domain.pred].map((d) => F.from({ length: rows * dim }, () => uniform(d)));
    return { args: [target, pred], dtypes: [dtype, dtype], rows, opts: { dim }, metric: false };
  }
  return undefined;
}

/** f, grad and withGrad agree with each other and with the zero-copy path; returns the numbers. */
function runLoss(lib, entry, { args, dtypes, rows, opts, metric, gradKeys }, key, check) {
  const f = entry.loss;
  const loss = f(...args, opts);
  check(typeof loss === 'number', `${key}: f returns a number, got ${typeof loss}`);
  const sum = f(...args, { ...opts, reduction: 'sum' });
  const out = [String(loss), String(sum)];
  if (metric) {
    check(Number.isFinite(loss), `${key}: finite metric ${loss}`);
    return out;
  }
  // the inputs that get a gradient: the last one, or one per gradient key
  const wrt = gradKeys ? args.slice(args.length - gradKeys.length) : [args[args.length - 1]];
  const grads = (g) => (gradKeys ? gradKeys.map((k) => g[k]) : [g]);
  const Ctor = wrt[0].constructor;
  const none = f(...args, { ...opts, reduction: 'none' });
  check(none instanceof Ctor && none.length === rows, `${key}: reduction 'none' returns a ${Ctor.name} of ${rows}`);
  const grad = grads(f.grad(...args, opts));
  const both = f.withGrad(...args, opts);
  grad.forEach(
    (g, i) => void check(g instanceof Ctor && g.length === wrt[i].length, `${key}: gradient ${i} is a ${Ctor.name} of its input's length`),
  );
  check(Object.is(both.loss, loss), `${key}: withGrad's loss ${both.loss} is f's ${loss}`);
  check(
    grads(both.grad).every((g, i) => same(g, grad[i])),
    `${key}: withGrad's gradients are grad's`,
  );
  check(Number.isFinite(loss) && Number.isFinite(sum) && grad.every((g) => g.every(Number.isFinite)), `${key}: finite loss and gradient`);

  // Zero copy: the same call on WasmArrays, writing the gradients into wasm memory.
  const wasmArgs = args.map((a, i) => lib.alloc(a.length, dtypes[i]));
  const outs = wrt.map((a) => lib.alloc(a.length, dtypes[dtypes.length - 1]));
  try {
    wasmArgs.forEach((w, i) => void w.array.set(args[i]));
    const into = gradKeys ? Object.fromEntries(gradKeys.map((k, i) => [k, outs[i]])) : outs[0];
    const z = f.withGrad(...wasmArgs, { ...opts, out: into });
    check(Object.is(z.loss, loss), `${key}: zero-copy loss ${z.loss} is ${loss}`);
    check(
      outs.every((o, i) => same(o.array, grad[i])),
      `${key}: zero-copy gradients are grad's`,
    );
  } finally {
    for (const w of [...wasmArgs, ...outs]) w.free();
  }
  if (typeof f.create === 'function') {
    out.push(String(entry.kind === 'inbatch' ? batchMean(f, args, opts, loss, key, check) : stream(f, args, rows, opts, loss, key, check)));
  }
  return out.concat(Array.from(none, String), ...grad.map((g) => Array.from(g, String)));
}

/** A streaming accumulator over two batches, one of them sent through JSON, gives the one-shot mean. */
function stream(f, args, rows, opts, loss, key, check) {
  const cut = Math.floor(rows / 3); // an example boundary, off the tiles
  const head = args.map((a) => a.subarray(0, (cut * a.length) / rows));
  const tail = args.map((a) => a.subarray((cut * a.length) / rows));
  const acc = f.create(opts).update(...head);
  acc.merge(f.fromJSON(JSON.stringify(f.create(opts).update(...tail))));
  const result = acc.result();
  const tolerance = args[args.length - 1] instanceof Float32Array ? 1e-6 : 1e-12; // float32 lanes are summed per batch
  check(Math.abs(result - loss) <= tolerance * Math.abs(loss), `${key}: accumulator ${result} is the one-shot ${loss}`);
  return result;
}

/** In-batch losses keep the mean of batch losses: the same batch twice, once through JSON, is that batch's loss. */
function batchMean(f, args, opts, loss, key, check) {
  const acc = f.create(opts).update(...args);
  acc.merge(f.fromJSON(JSON.stringify(f.create(opts).update(...args))));
  const result = acc.result();
  check(result === loss, `${key}: accumulator ${result} of the batch twice is its loss ${loss}`);
  return result;
}

function same(a, b) {
  return a.length === b.length && Array.prototype.every.call(a, (x, i) => Object.is(x, b[i]));
}

function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** mulberry32: a small seeded generator, identical in every engine (integer ops only). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
