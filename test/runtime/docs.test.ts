// `npm run docs` builds the API reference without a single warning, and the reference says what the
// code does: every option of every loss is documented with its range and the default the code
// applies (read back from the loss itself, not copied here), and every property of every exported
// interface has a doc comment (what an editor shows on hover).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as api from '../../src/index.js';

const root = new URL('../..', import.meta.url).pathname;

interface Comment {
  summary: { text: string }[];
  blockTags?: { tag: string; content: { text: string }[] }[];
}
interface Reflection {
  name: string;
  kind: number;
  comment?: Comment;
  flags?: { isOptional?: boolean };
  inheritedFrom?: unknown;
  children?: Reflection[];
  signatures?: Reflection[];
  type?: {
    type: string;
    name?: string;
    target?: number;
    typeArguments?: { type: string; name?: string; target?: number }[];
    types?: unknown[];
  };
  id: number;
}

// TypeDoc's ReflectionKind values.
const MODULE = 2;
const INTERFACE = 256;
const PROPERTY = 1024;
const CLASS = 128;

let dir: string;
let output: string;
let status: number | null;
let project: Reflection;
const byId = new Map<number, Reflection>();
const byName = new Map<string, Reflection>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simdloss-docs-'));
  // The repository's typedoc.json (as `npm run docs` uses it); only where the output goes differs.
  const run = spawnSync(
    process.execPath,
    [join(root, 'node_modules/typedoc/bin/typedoc'), '--out', join(dir, 'api'), '--json', join(dir, 'api.json')],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  status = run.status;
  output = `${run.stdout}${run.stderr}`;
  // With a warning TypeDoc writes nothing (treatWarningsAsErrors): the first test shows the warnings.
  project = existsSync(join(dir, 'api.json'))
    ? (JSON.parse(readFileSync(join(dir, 'api.json'), 'utf8')) as Reflection)
    : { name: '', kind: 0, id: 0 };
  const walk = (r: Reflection): void => {
    byId.set(r.id, r);
    for (const c of r.children ?? []) walk(c);
  };
  walk(project);
  // two entry points (simdloss, simdloss/tfjs): each is a module whose children are its exports
  for (const m of project.children ?? []) for (const c of m.kind === MODULE ? (m.children ?? []) : [m]) byName.set(c.name, c);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const text = (parts: { text: string }[] | undefined): string =>
  (parts ?? [])
    .map((p) => p.text)
    .join('')
    .trim();
const summary = (r: Reflection): string => text(r.comment?.summary);
/** A @defaultValue tag's content as written (TypeDoc keeps it as code: ```ts … ``` or `…`). */
function defaultOf(r: Reflection): string | undefined {
  const tag = r.comment?.blockTags?.find((t) => t.tag === '@defaultValue');
  return tag === undefined
    ? undefined
    : text(tag.content)
        .replace(/^```\w*\n?|\n?```$/g, '')
        .replace(/^`|`$/g, '')
        .trim();
}
/** The range as the code refuses values outside it, written the way the docs write it. */
function rangeText(o: api.NumericOption): string {
  if (o.values !== undefined) return o.values.join(' or ');
  const max = o.max ?? Infinity;
  if (max === Infinity) return `${o.minOpen ? '>' : '≥'} ${o.min}`;
  return `${o.minOpen ? '(' : '['}${o.min}, ${max}${o.maxOpen ? ')' : ']'}`;
}

/** Every loss and metric the package exports (whatever has `create` and a `lossName`), with its declared type in the reference. */
const losses = Object.entries(api).filter(
  ([, f]) => typeof f === 'function' && typeof (f as { create?: unknown }).create === 'function' && 'lossName' in f,
) as [string, api.ElementwiseLoss][];
/** The metrics (each says so by its `metricName`: counting and ranking metrics, which reduce nothing). */
const metrics = Object.entries(api).filter(([, f]) => typeof f === 'function' && 'metricName' in f);
/** An accumulator of `f` with its defaults (the options it requires given: classes, dim). */
function accumulatorOf(f: unknown): { options: Record<string, unknown> } | undefined {
  for (const opts of [{}, { classes: 2 }, { dim: 2 }]) {
    try {
      return (f as { create(o: object): { options: Record<string, unknown> } }).create(opts);
    } catch {
      // the next shape of options
    }
  }
  return undefined;
}

test('npm run docs builds the reference with no warning and no error', () => {
  expect(output).not.toMatch(/warning|error/i);
  expect(status).toBe(0);
  expect(byName.size).toBeGreaterThan(40);
  // The config keeps every validation on and fails on a warning (the test above would see one anyway).
  const config = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8'));
  expect(config.treatWarningsAsErrors).toBe(true);
  expect(config.validation).toMatchObject({ notExported: true, invalidLink: true, notDocumented: true });
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
  expect(scripts.docs).toBe('typedoc');
});

test('every loss and metric is exported and documented in the reference', () => {
  expect(losses.length).toBeGreaterThanOrEqual(22); // 18 losses and 4 metrics today
  for (const [name] of losses) {
    const r = byName.get(name);
    expect(r, name).toBeDefined();
    expect(summary(r!).length, `${name} has a summary`).toBeGreaterThan(20);
  }
});

describe('every option of every loss: documented, with its range and the default the code applies', () => {
  test.each(losses)('%s', (name, f) => {
    const declared = byName.get(name)!.type;
    // ElementwiseLoss<O>, ClassifierLoss<O>, RowwiseLoss<O, …>, PairLoss<O>, TripletLoss<O>: O is the first type argument.
    const o = declared?.typeArguments?.[0];
    const own = f.options;
    const iface = o?.type === 'reference' && o.target !== undefined ? byId.get(o.target) : undefined;
    if (own.length === 0 && iface === undefined) return; // mse, mae, logCosh, hinge …: nothing of their own
    expect(iface, `${name}'s options are a named, exported interface`).toBeDefined();
    expect(iface!.kind).toBe(INTERFACE);
    expect(iface!.name).toMatch(/Options$/);
    const props = new Map((iface!.children ?? []).map((p) => [p.name, p]));

    // What the code fills in: the numeric options' defaults, and every other option an accumulator resolves.
    const sizes = { classes: 4, dim: 2 };
    let acc: api.AccumulatorBase | undefined;
    for (const opts of [{}, { classes: sizes.classes }, { dim: sizes.dim }]) {
      try {
        acc = f.create(opts as object);
        break;
      } catch {
        // the next shape of options
      }
    }
    expect(acc, `${name}.create`).toBeDefined();
    const defaults: Record<string, unknown> = { ...acc!.options };
    delete defaults.classes;
    delete defaults.dim;
    delete defaults.reduction; // a common option, checked below
    for (const x of own) defaults[x.name] = x.default; // topKAccuracy's k is capped by classes in a state; its default is 5

    // The interface lists every option the loss fills in, and nothing else but the options without a default.
    expect([...props.keys()].sort(), `${iface!.name} lists the options ${name} takes`).toEqual(
      expect.arrayContaining(Object.keys(defaults).sort()),
    );
    for (const key of props.keys())
      expect(key in defaults || key === 'classWeights' || key === 'ignoreIndex', `${name} takes ${key}`).toBe(true);
    for (const [key, value] of Object.entries(defaults)) {
      const p = props.get(key)!;
      expect(p.flags?.isOptional, `${iface!.name}.${key} is optional`).toBe(true);
      expect(summary(p).length, `${iface!.name}.${key} says what it means`).toBeGreaterThan(15);
      const written = defaultOf(p);
      expect(written, `${iface!.name}.${key} has a @defaultValue`).toBeDefined();
      expect(typeof value === 'number' ? Number(written) : written, `${iface!.name}.${key}'s @defaultValue`).toBe(
        typeof value === 'number' ? value : Array.isArray(value) ? JSON.stringify(value) : String(value),
      );
    }
    for (const x of own) {
      expect(summary(props.get(x.name)!), `${iface!.name}.${x.name} states its range`).toContain(rangeText(x));
    }
  });
});

test('every metric is documented, its options interface states each default create() fills in', () => {
  expect(metrics.length).toBeGreaterThanOrEqual(5); // 3 counting metrics with accumulators and 2 ranking ones today
  for (const [name, f] of metrics) {
    const r = byName.get(name);
    expect(r, name).toBeDefined();
    expect(summary(r!).length, `${name} has a summary`).toBeGreaterThan(20);
    // RankingMetric<O>: O names the interface; a counting metric's is named after it.
    const argument = r!.type?.typeArguments?.[0];
    const iface =
      argument?.type === 'reference' && argument.target !== undefined
        ? byId.get(argument.target)
        : byName.get(`${name[0]!.toUpperCase()}${name.slice(1)}Options`);
    expect(iface?.kind, `${name}'s options interface`).toBe(INTERFACE);
    const props = new Map((iface!.children ?? []).map((p) => [p.name, p]));
    const acc = accumulatorOf(f);
    expect(acc, `${name}.create`).toBeDefined();
    for (const [key, value] of Object.entries(acc!.options)) {
      if (key === 'classes') continue; // required: no default
      const written = defaultOf(props.get(key)!);
      expect(written, `${iface!.name}.${key}'s @defaultValue`).toBe(Array.isArray(value) ? JSON.stringify(value) : String(value));
    }
  }
});

test("the common options say reduction's default, 'mean', as the code applies it", () => {
  for (const [name, f] of losses) {
    let acc: api.AccumulatorBase | undefined;
    for (const opts of [{}, { classes: 2 }, { dim: 2 }]) {
      try {
        acc = f.create(opts as object);
        break;
      } catch {
        // the next shape of options
      }
    }
    expect(acc!.options.reduction, name).toBe('mean');
  }
  // A metric (it says so by its metricName) reduces nothing: its accumulator has no reduction, and refuses one.
  for (const [name, f] of metrics) {
    expect(accumulatorOf(f)!.options, name).not.toHaveProperty('reduction');
    expect(() => (f as unknown as { create(o: object): unknown }).create({ reduction: 'mean', classes: 2 }), name).toThrow(/reduction/);
  }
  for (const name of [
    'ReduceOptions',
    'GradOptions',
    'RowReduceOptions',
    'RowGradOptions',
    'EmbeddingReduceOptions',
    'EmbeddingGradOptions',
  ]) {
    const reduction = byName.get(name)?.children?.find((p) => p.name === 'reduction');
    expect(reduction, `${name}.reduction`).toBeDefined();
    expect(defaultOf(reduction!), `${name}.reduction's @defaultValue`).toBe("'mean'");
  }
});

test('every property of every exported interface and class has a doc comment; optional options say their default', () => {
  // Options without a default: leaving them out means "none" (no weights, a new gradient array, every
  // class weighing 1, no label ignored, no precompiled module).
  const noDefault = new Set(['weights', 'out', 'classWeights', 'ignoreIndex', 'module']);
  const undocumented: string[] = [];
  const withoutDefault: string[] = [];
  let checked = 0;
  for (const r of byName.values()) {
    if (r.kind !== INTERFACE && r.kind !== CLASS) continue;
    for (const p of r.children ?? []) {
      if (p.kind !== PROPERTY || p.inheritedFrom !== undefined) continue; // Error's own (message, stack …) are the platform's
      checked++;
      if (summary(p) === '' && defaultOf(p) === undefined) undocumented.push(`${r.name}.${p.name}`);
      if (/Options$/.test(r.name) && p.flags?.isOptional && !noDefault.has(p.name) && defaultOf(p) === undefined) {
        withoutDefault.push(`${r.name}.${p.name}`);
      }
    }
  }
  expect(checked).toBeGreaterThan(60);
  expect(undocumented).toEqual([]);
  expect(withoutDefault).toEqual([]);
});

describe('README.md and docs/', () => {
  const files = [
    'README.md',
    'docs/guide.md',
    'docs/numerics.md',
    'docs/reliability.md',
    'docs/benchmarks.md',
    'docs/development.md',
    'docs/tfjs.md',
  ];
  const read = (f: string): string => readFileSync(join(root, f), 'utf8');
  /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
  const slug = (heading: string): string =>
    heading
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
  const anchors = (f: string): Set<string> =>
    new Set(
      read(f)
        .split('\n')
        .filter((l) => /^#{1,6} /.test(l))
        .map((l) => slug(l.replace(/^#+ /, ''))),
    );

  test("the README is a user's page: install, the two development commands as CI runs them, at most 250 lines", () => {
    const readme = read('README.md');
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    expect(readme).toContain('npm install simdloss');
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toMatch(/^npm test\b/m);
    for (const f of files.slice(1)) expect(readme, `links ${f}`).toContain(`](${f})`);
  });

  test('every export that has a loss or metric shape is in the README table', () => {
    const readme = read('README.md');
    expect(metrics.length).toBeGreaterThanOrEqual(5);
    for (const [name] of [...losses, ...metrics, ['precisionRecallF1']])
      expect(readme, name).toMatch(new RegExp(`^\\| \`${name}[\`(]`, 'm'));
  });

  test('every relative link points to a file that exists, and every #anchor to a heading in it', () => {
    const broken: string[] = [];
    for (const f of files) {
      const dirOf = f.includes('/') ? f.slice(0, f.lastIndexOf('/') + 1) : '';
      for (const [, target] of read(f).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue; // http(s), mailto
        const [path, anchor] = target!.split('#');
        const file = path === '' ? f : join(dirOf, path!).replace(/^\.\//, '');
        if (!existsSync(join(root, file))) {
          broken.push(`${f}: ${target} (no file)`);
        } else if (anchor !== undefined && file.endsWith('.md') && !anchors(file).has(anchor)) {
          broken.push(`${f}: ${target} (no heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('every @example in the reference runs, and the values its comments state are what it returns', () => {
  /** Every @example code block of a documented export, with the export it documents. */
  const examples = (): [string, string][] => {
    const found: [string, string][] = [];
    const walk = (r: Reflection & { signatures?: Reflection[] }, owner: string): void => {
      for (const tag of r.comment?.blockTags ?? []) {
        if (tag.tag === '@example') found.push([owner, text(tag.content).replace(/^```\w*\n|\n?```$/g, '')]);
      }
      for (const c of [...(r.children ?? []), ...(r.signatures ?? [])]) walk(c, owner);
    };
    for (const r of byName.values()) walk(r, r.name);
    return found;
  };
  /** The value a comment states: a quoted string, the number(s) it starts with, or what follows its last '=' or ':'. */
  function stated(comment: string): string | string[] | undefined {
    const quoted = /^'(.*)'$/.exec(comment.trim());
    if (quoted) return quoted[1]!;
    const bare = comment.replace(/\b[A-Za-z_][\w.]*/g, ' ');
    const part = /^\s*\[?\s*-?\d/.test(bare)
      ? bare.split(/[:=]/)[0]!
      : bare.includes('=')
        ? bare.slice(bare.lastIndexOf('=') + 1)
        : bare.includes(':')
          ? bare.slice(bare.lastIndexOf(':') + 1)
          : '';
    const numbers = part.match(NUMBER);
    return numbers === null ? undefined : [...numbers];
  }
  const NUMBER = /-?\d+(?:\.\d+)?(?:e-?\d+)?/g;
  /** Half a unit in the last place the number is written to: 3.00 → 0.005, -1e-5 → 5e-6. */
  const halfUlp = (x: string): number => {
    const [mantissa, exponent] = x.split('e');
    return 0.5 * 10 ** (Number(exponent ?? 0) - (mantissa!.includes('.') ? mantissa!.split('.')[1]!.length : 0));
  };

  test('each family has one, and every one of them checks out', async () => {
    const all = examples();
    // regression, binary, multi-class, embedding, metrics, accumulators, alloc, init/initSync, errors
    expect(all.map(([owner]) => owner).sort()).toEqual(
      expect.arrayContaining([
        'mse',
        'binaryCrossEntropyWithLogits',
        'sparseSoftmaxCrossEntropy',
        'triplet',
        'binaryAccuracy',
        'topKAccuracy',
        'AccumulatorBase',
        'alloc',
        'initSync',
        'SimdlossError',
        'tfLoss',
      ]),
    );
    const lib = await import('../../src/node.js');
    const bridge = await import('../../src/tfjs.js');
    const tf = await import('@tensorflow/tfjs');
    const { log, warn } = console;
    console.log = console.warn = () => {}; // the cpu backend's banner, at its first tensor
    await tf.setBackend('cpu');
    tf.dispose(tf.scalar(0));
    console.log = log;
    console.warn = warn;
    const bytes = readFileSync(join(root, 'wasm/simdloss-simd.wasm'));
    const module = new WebAssembly.Module(bytes);
    lib.initSync(module); // examples outside the init one assume a loaded library, as in Node
    let checked = 0;
    for (const [owner, code] of all) {
      const checks: string[] = [];
      const body = code
        .split('\n')
        .map((line) => {
          const imported = /^import \{([^}]*)\} from 'simdloss';$/.exec(line);
          if (imported) return `const {${imported[1]}} = lib;`;
          // simdloss/tfjs's examples: TensorFlow.js (its cpu backend in Node) and the bridge
          if (line === "import * as tf from '@tensorflow/tfjs';") return 'const tf = __tf;';
          const bridged = /^import \{([^}]*)\} from 'simdloss\/tfjs';$/.exec(line);
          if (bridged) return `const {${bridged[1]}} = __bridge;`;
          const m = /^(\s*)([^=/]+?);\s*\/\/\s*(.+)$/.exec(line); // an expression statement with a comment
          if (m === null || /^\s*(const|let|await init|initSync)\b/.test(m[2]!) || m[2]!.includes(';')) return line;
          const value = stated(m[3]!);
          if (value === undefined) return line;
          checks.push(`${owner}: ${m[2]!.trim()}  // ${m[3]}`);
          return `${m[1]}__check(${JSON.stringify(checks.at(-1))}, ${m[2]}, ${JSON.stringify(value)});`;
        })
        .join('\n');
      const check = (what: string, got: unknown, want: string | string[]): void => {
        checked++;
        if (typeof want === 'string') {
          expect(got, what).toBe(want);
          return;
        }
        const values = typeof got === 'number' ? [got] : ArrayBuffer.isView(got) ? Array.from(got as Float32Array) : undefined;
        expect(values, `${what}: a number or an array`).toBeDefined();
        const compared = values!.length === 1 ? want.slice(0, 1) : want;
        expect(values!.length, what).toBe(compared.length);
        compared.forEach(
          (w, i) =>
            void expect(Math.abs(values![i]! - Number(w)), `${what} [${i}]: ${values![i]} vs ${w}`).toBeLessThanOrEqual(
              halfUlp(w) * (1 + 1e-9),
            ),
        );
      };
      const run = new (Object.getPrototypeOf(async () => {}).constructor)('lib', 'bytes', 'module', '__check', '__tf', '__bridge', body);
      await run(lib, bytes, module, check, tf, bridge);
    }
    expect(checked).toBeGreaterThanOrEqual(29);
  });
});
