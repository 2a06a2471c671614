// init, initSync and the entry points: SIMD detection, forced scalar, precompiled modules, misuse.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { BUILDS } from '../helpers.js';

/** Makes WebAssembly.validate refuse any module with a SIMD opcode (0xfd prefix), as a runtime without SIMD does. */
function refuseSimd(): void {
  const validate = WebAssembly.validate;
  vi.spyOn(WebAssembly, 'validate').mockImplementation((bytes) => {
    const b = new Uint8Array(bytes as ArrayBuffer);
    return !b.some((x, i) => x === 0xfd && i > 8) && validate(bytes);
  });
}

// Each test gets fresh module state, as a fresh page or worker would.
afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

const node = () => import('../../src/node.js');

describe('before init', () => {
  test('default entry (browsers): every loss and alloc throw a SimdlossError that says to call init() or initSync()', async () => {
    const lib = await import('../../src/index.js');
    const a = Float32Array.of(1);
    for (const call of [
      () => lib.mse(a, a),
      () => lib.mae.grad(a, a),
      () => lib.huber.withGrad(a, a),
      () => lib.alloc(4),
      () => lib.memory(),
    ]) {
      expect(call).toThrow(lib.SimdlossError);
      expect(call).toThrow(/not initialised: call `await init\(\)` \(or `initSync\(bytesOrModule\)`\)/);
    }
  });

  test('workerd / edge-light entry: the same error', async () => {
    const lib = await import('../../src/workerd.js');
    expect(() => lib.mse(Float32Array.of(1), Float32Array.of(2))).toThrow(/not initialised: call `await init\(\)`/);
  });

  test.each(['mse', 'alloc', 'memory'] as const)(
    'node entry: the first call (%s) loads the SIMD build from the package, with no init()',
    async (first) => {
      const lib = await node();
      const { wasm } = await import('../../src/core/wasm.js'); // the instance behind lib
      expect(wasm.exports).toBeUndefined();
      if (first === 'mse')
        expect(lib.mse(Float32Array.of(85, 72, 90, 60), Float32Array.of(80, 75, 88, 65))).toBe(15.75); // (25 + 9 + 4 + 25) / 4
      else if (first === 'alloc') expect(lib.alloc(3).array).toEqual(new Float32Array(3));
      else expect(lib.memory().buffer.byteLength).toBeGreaterThan(0);
      expect([wasm.simd, wasm.generation]).toEqual([true, 1]);
      expect(lib.huber(Float64Array.of(0), Float64Array.of(3))).toBe(2.5); // 3 − 0.5
      expect(await lib.init()).toEqual({ simd: true }); // init() afterwards keeps the loaded instance
      expect(wasm.generation).toBe(1);
      expect(await lib.init({ simd: false })).toEqual({ simd: false }); // and still switches builds
      expect(lib.mse(Float32Array.of(1), Float32Array.of(4))).toBe(9);
    },
  );

  test('node entry: where SIMD does not validate, the first call loads the scalar build', async () => {
    refuseSimd();
    try {
      const lib = await node();
      expect(lib.mse(Float32Array.of(1, 2), Float32Array.of(3, 2))).toBe(2);
      expect(await lib.init()).toEqual({ simd: false });
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe('node entry', () => {
  test('init() picks the SIMD build here (Node 20 validates wasm SIMD), and is idempotent', async () => {
    const lib = await node();
    expect(lib.simdSupported()).toBe(true);
    expect(await lib.init()).toEqual({ simd: true });
    const a = lib.alloc(2);
    expect(await lib.init()).toEqual({ simd: true });
    expect(a.array.length).toBe(2); // the same instance: WasmArrays survive a repeated init()
    expect(await Promise.all([lib.init(), lib.init()])).toEqual([{ simd: true }, { simd: true }]);
  });

  test('init({ simd: false }) forces the scalar build; switching builds invalidates older WasmArrays', async () => {
    const lib = await node();
    await lib.init();
    const a = lib.alloc(3);
    expect(await lib.init({ simd: false })).toEqual({ simd: false });
    expect(() => a.array).toThrow(/replaced/);
    expect(lib.mse(Float32Array.of(1, 2), Float32Array.of(3, 2))).toBe(2);
  });

  test('init({ module }) and initSync(bytes | module) take either build', async () => {
    const lib = await node();
    for (const build of BUILDS) {
      const module = new WebAssembly.Module(build.bytes);
      expect(await lib.init({ module })).toEqual({ simd: build.simd });
      expect(lib.mse(Float64Array.of(0), Float64Array.of(3))).toBe(9);
      expect(lib.initSync(build.bytes)).toEqual({ simd: build.simd });
      expect(lib.initSync(build.bytes.buffer.slice(build.bytes.byteOffset, build.bytes.byteOffset + build.bytes.byteLength))).toEqual({
        simd: build.simd,
      });
      expect(lib.initSync(module)).toEqual({ simd: build.simd });
      expect(lib.mae(Float32Array.of(0, 0), Float32Array.of(-1, 3))).toBe(2);
    }
  });

  test('misuse of init and initSync is a SimdlossError', async () => {
    const lib = await node();
    await expect(lib.init({ module: new Uint8Array(4) as unknown as WebAssembly.Module })).rejects.toThrow(
      /opts.module must be a WebAssembly.Module; got Uint8Array/,
    );
    await expect(lib.init({ simd: 'yes' as unknown as boolean })).rejects.toThrow(/opts.simd must be true or false/);
    await expect(lib.init(7 as never)).rejects.toThrow(lib.SimdlossError);
    expect(() => lib.initSync('bytes' as never)).toThrow(
      /expected the bytes of a simdloss .wasm file or a WebAssembly.Module; got 'bytes'/,
    );
    const other = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    expect(() => lib.initSync(other)).toThrow(/not a simdloss build/);
  });

  test('a runtime without SIMD gets the scalar build, and an explicit simd: true is refused there', async () => {
    refuseSimd();
    try {
      const lib = await node();
      expect(lib.simdSupported()).toBe(false);
      expect(await lib.init()).toEqual({ simd: false });
      await expect(lib.init({ simd: true })).rejects.toThrow(/does not support WebAssembly SIMD/);
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe('default entry (browsers and bundlers)', () => {
  test('fetches the build beside the package, streaming when the server says application/wasm', async () => {
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: URL) => {
      fetched.push(url.pathname.split('/').pop()!);
      const type = fetched.length === 1 ? 'application/wasm' : 'application/octet-stream';
      return new Response(readFileSync(url), { headers: { 'content-type': type } });
    });
    const lib = await import('../../src/index.js');
    expect(await lib.init()).toEqual({ simd: true });
    expect(lib.mse(Float32Array.of(1), Float32Array.of(4))).toBe(9);
    expect(await lib.init({ simd: false })).toEqual({ simd: false });
    expect(lib.mse(Float32Array.of(1), Float32Array.of(4))).toBe(9);
    expect(fetched).toEqual(['simdloss-simd.wasm', 'simdloss-scalar.wasm']);
  });

  /** Which compile path init() took for the scalar build served with `type`, with or without compileStreaming. */
  async function compiledBy(type: string, streaming = true): Promise<{ streamed: number; compiled: number; simd: boolean }> {
    vi.stubGlobal('fetch', async (url: URL) => new Response(readFileSync(url), { headers: { 'content-type': type } }));
    const compileStreaming = WebAssembly.compileStreaming;
    const streamed = vi.spyOn(WebAssembly, 'compileStreaming');
    const compiled = vi.spyOn(WebAssembly, 'compile');
    if (!streaming) Object.defineProperty(WebAssembly, 'compileStreaming', { value: undefined, configurable: true, writable: true });
    try {
      const lib = await import('../../src/index.js');
      const { simd } = await lib.init({ simd: false });
      expect(lib.mse(Float32Array.of(1), Float32Array.of(4))).toBe(9);
      return { streamed: streamed.mock.calls.length, compiled: compiled.mock.calls.length, simd };
    } finally {
      Object.defineProperty(WebAssembly, 'compileStreaming', { value: compileStreaming, configurable: true, writable: true });
      vi.restoreAllMocks();
      vi.resetModules(); // the next call loads the scalar build afresh
    }
  }

  test('application/wasm is compiled while it streams; any other type, or no compileStreaming, from the whole bytes', async () => {
    // (Node's compileStreaming calls WebAssembly.compile itself once it has the bytes)
    expect(await compiledBy('application/wasm')).toMatchObject({ streamed: 1, simd: false });
    expect(await compiledBy('application/octet-stream')).toEqual({ streamed: 0, compiled: 1, simd: false });
    // compileStreaming refuses a response whose type is not application/wasm: the bytes are compiled instead
    expect(await compiledBy('x-application/wasm')).toEqual({ streamed: 0, compiled: 1, simd: false });
    expect(await compiledBy('application/wasm', false)).toEqual({ streamed: 0, compiled: 1, simd: false });
  });

  test('a failed fetch rejects with the URL and status', async () => {
    vi.stubGlobal('fetch', async () => new Response('missing', { status: 404 }));
    const lib = await import('../../src/index.js');
    await expect(lib.init()).rejects.toThrow(/simdloss-simd\.wasm failed with HTTP 404/);
  });
});

describe('workerd / edge-light entry', () => {
  test('instantiates the imported precompiled modules, never compiling bytes', async () => {
    const lib = await import('../../src/workerd.js'); // vitest.config.ts turns the .wasm imports into Modules, as workerd does
    const compile = vi.spyOn(WebAssembly, 'compile');
    const Module = WebAssembly.Module;
    let constructed = 0;
    WebAssembly.Module = new Proxy(Module, {
      construct: (target, args) => {
        constructed++;
        return Reflect.construct(target, args);
      },
    });
    try {
      expect(await lib.init()).toEqual({ simd: true });
      expect(await lib.init({ simd: false })).toEqual({ simd: false });
      expect(lib.huber(Float64Array.of(0), Float64Array.of(3))).toBe(2.5);
      expect(compile).not.toHaveBeenCalled();
      expect(constructed).toBe(0);
    } finally {
      WebAssembly.Module = Module;
    }
    vi.restoreAllMocks();
  });
});

describe('package entry points', () => {
  /** Every module reachable from an entry, following relative imports. */
  function graph(entry: string, seen = new Set<string>()): Set<string> {
    if (seen.has(entry)) return seen;
    seen.add(entry);
    const source = readFileSync(entry, 'utf8');
    for (const [, spec] of source.matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'/g)) {
      if (!spec!.startsWith('.') || !spec!.endsWith('.js')) continue;
      const source = new URL(spec!.replace(/\.js$/, '.ts'), `file://${entry}`).pathname;
      // the inline payload is generated at build time: only its declarations are in src/
      graph(existsSync(source) ? source : source.replace(/\.ts$/, '.d.ts'), seen);
    }
    return seen;
  }

  test('the default, workerd and inline entries import nothing from node:, the node entry is the only one that does', () => {
    const importsNode = (file: string) => /from\s+'node:/.test(readFileSync(file, 'utf8'));
    for (const entry of ['index', 'workerd', 'inline']) {
      const files = [...graph(new URL(`../../src/${entry}.ts`, import.meta.url).pathname)];
      expect(files.length).toBeGreaterThan(5);
      expect(files.filter(importsNode), entry).toEqual([]);
    }
    expect(importsNode(new URL('../../src/node.ts', import.meta.url).pathname)).toBe(true);
  });

  test('package.json maps each runtime condition to its entry, and each built entry exists', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.type).toBe('module');
    const root = pkg.exports['.'];
    expect(Object.keys(root)).toEqual(['workerd', 'edge-light', 'node', 'types', 'default']);
    expect(root.workerd).toEqual({ types: './dist/workerd.d.ts', default: './dist/workerd.js' });
    expect(root['edge-light']).toEqual(root.workerd);
    expect(root.node).toEqual({
      import: { types: './dist/node.d.ts', default: './dist/node.js' },
      require: { types: './dist/cjs/node.d.ts', default: './dist/node.cjs' },
    });
    expect(root.default).toBe('./dist/index.js');
    expect(pkg.exports['./inline']).toEqual({
      import: { types: './dist/inline.d.ts', default: './dist/inline.js' },
      require: { types: './dist/cjs/inline.d.ts', default: './dist/inline.cjs' },
    });
    // CommonJS resolution without `exports` (TypeScript's node10) gets the CommonJS build too
    expect([pkg.main, pkg.types]).toEqual(['./dist/node.cjs', './dist/cjs/node.d.ts']);
    const files = [
      root.types,
      root.default,
      root.workerd,
      root.node.import,
      root.node.require,
      pkg.exports['./inline'].import,
      pkg.exports['./inline'].require,
    ].flatMap((f) => (typeof f === 'string' ? [f] : Object.values(f as Record<string, string>)));
    for (const file of [...files, './dist/cjs/package.json', './wasm/simdloss-simd.wasm', './wasm/simdloss-scalar.wasm']) {
      expect(() => readFileSync(new URL(file, new URL('../../package.json', import.meta.url))), file).not.toThrow();
    }
  });

  test('the entries that load on first use are marked as having side effects, so that bundlers keep that code', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.sideEffects).toEqual(['./dist/node.js', './dist/node.cjs', './dist/inline.js', './dist/inline.cjs']);
  });

  test('npm pack builds first (prepack), so a clean checkout packs dist/ and wasm/', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.scripts.prepack).toBe('npm run build:wasm && npm run build:ts');
    expect(pkg.files).toEqual(['dist', 'wasm', 'CHANGELOG.md']);
  });
});
