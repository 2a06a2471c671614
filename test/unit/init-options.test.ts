// init's and initSync's refusals, whole messages and argument names, and what a refused call
// leaves behind: the build that was running keeps running.
import { afterEach, expect, test, vi } from 'vitest';
import { initWith, type Source } from '../../src/core/init.js';
import { wasm } from '../../src/core/wasm.js';
import { init, initSync, mse, SimdlossError } from '../../src/node.js';
import { BUILDS } from '../helpers.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The SimdlossError a rejected promise carries: its whole message and .argument. */
async function rejection(run: () => Promise<unknown>): Promise<{ message: string; argument: string | undefined }> {
  try {
    await run();
  } catch (e) {
    if (!(e instanceof SimdlossError)) throw e;
    return { message: e.message, argument: e.argument };
  }
  return expect.fail('no rejection');
}

/** The SimdlossError `run` throws: its whole message and .argument. */
function thrown(run: () => unknown): { message: string; argument: string | undefined } {
  try {
    run();
  } catch (e) {
    if (!(e instanceof SimdlossError)) throw e;
    return { message: e.message, argument: e.argument };
  }
  return expect.fail('no error thrown');
}

test('opts: an object, or left out', async () => {
  expect(await rejection(() => init(null as never))).toEqual({ message: 'init: opts must be an object; got null', argument: 'opts' });
  expect(await rejection(() => init(7 as never))).toEqual({ message: 'init: opts must be an object; got 7', argument: 'opts' });
  expect(await rejection(() => init('simd' as never))).toEqual({ message: "init: opts must be an object; got 'simd'", argument: 'opts' });
  expect(await init(undefined)).toEqual({ simd: true });
  expect(await init({})).toEqual({ simd: true });
});

test('opts.module: a WebAssembly.Module; opts.simd: true or false', async () => {
  expect(await rejection(() => init({ module: BUILDS[0].bytes as never }))).toEqual({
    message: 'init: opts.module must be a WebAssembly.Module; got Buffer',
    argument: 'opts.module',
  });
  expect(await rejection(() => init({ simd: 1 as never }))).toEqual({
    message: 'init: opts.simd must be true or false; got 1',
    argument: 'opts.simd',
  });
  expect(await rejection(() => init({ simd: null as never }))).toEqual({
    message: 'init: opts.simd must be true or false; got null',
    argument: 'opts.simd',
  });
});

test('simd: true where the runtime has no SIMD is refused, and the running build stays', async () => {
  expect(await init({ simd: false })).toEqual({ simd: false });
  vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
  expect(await rejection(() => init({ simd: true }))).toEqual({
    message: 'init: opts.simd is true but this runtime does not support WebAssembly SIMD',
    argument: 'opts.simd',
  });
  // no SIMD: init() with no options picks the scalar build, already running
  expect(await init()).toEqual({ simd: false });
  expect(mse(Float64Array.of(0), Float64Array.of(3))).toBe(9);
});

test('initSync: bytes (a view or an ArrayBuffer) or a module, nothing else', async () => {
  const must = 'initSync: expected the bytes of a simdloss .wasm file or a WebAssembly.Module; got';
  expect(thrown(() => initSync('bytes' as never))).toEqual({ message: `${must} 'bytes'`, argument: 'bytesOrModule' });
  expect(thrown(() => initSync(null as never))).toEqual({ message: `${must} null`, argument: 'bytesOrModule' });
  expect(thrown(() => initSync([0, 97, 115, 109] as never))).toEqual({ message: `${must} Array`, argument: 'bytesOrModule' });
  for (const build of BUILDS) {
    const bytes = new Uint8Array(build.bytes);
    expect(initSync(bytes)).toEqual({ simd: build.simd });
    expect(initSync(bytes.buffer)).toEqual({ simd: build.simd });
    expect(mse(Float32Array.of(1), Float32Array.of(-1))).toBe(4);
    // A DataView over the bytes at an offset: V8 compiles only ArrayBuffers and typed arrays
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(initSync(new DataView(padded.buffer, 3, bytes.length))).toEqual({ simd: build.simd });
    expect(mse(Float32Array.of(2), Float32Array.of(-1))).toBe(9);
  }
});

test('a module that is not a simdloss build is refused, and the running build stays', async () => {
  expect(await init({ simd: true })).toEqual({ simd: true });
  const empty = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  expect(thrown(() => initSync(empty))).toEqual({
    message: 'simdloss: this WebAssembly module is not a simdloss build',
    argument: undefined,
  });
  expect(mse(Float64Array.of(0), Float64Array.of(2))).toBe(4);
  // a memory but no heapBase, and a heapBase function but no memory: each refused as well
  const memoryOnly = new WebAssembly.Module(
    new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 5, 3, 1, 0, 1, 7, 10, 1, 6, 109, 101, 109, 111, 114, 121, 2, 0]),
  );
  expect(WebAssembly.Module.exports(memoryOnly)).toEqual([{ name: 'memory', kind: 'memory' }]);
  const heapBaseOnly = new WebAssembly.Module(
    new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 7, 12, 1, 8, 104, 101, 97, 112, 66, 97, 115, 101, 0, 0, 10, 6, 1, 4,
      0, 65, 0, 11,
    ]),
  );
  expect(WebAssembly.Module.exports(heapBaseOnly)).toEqual([{ name: 'heapBase', kind: 'function' }]);
  for (const m of [memoryOnly, heapBaseOnly]) {
    expect(thrown(() => initSync(m))).toEqual({
      message: 'simdloss: this WebAssembly module is not a simdloss build',
      argument: undefined,
    });
  }
  expect(mse(Float64Array.of(0), Float64Array.of(2))).toBe(4);
});

test('two init calls for different builds at once: each resolves to its own, the last one stays', async () => {
  const [simd, scalar] = await Promise.all([init({ simd: true }), init({ simd: false })]);
  expect(simd).toEqual({ simd: true });
  expect(scalar).toEqual({ simd: false });
  expect(await init({ simd: false })).toEqual({ simd: false });
  const [a, b] = await Promise.all([init({ simd: true }), init({ simd: true })]);
  expect(a).toEqual({ simd: true });
  expect(b).toEqual({ simd: true });
});

test('the running build asked for while another is loading: the one asked for last is the one that runs', async () => {
  expect(await init({ simd: true })).toEqual({ simd: true });
  const scalar = init({ simd: false });
  const simd = init({ simd: true });
  expect(await Promise.all([scalar, simd])).toEqual([{ simd: false }, { simd: true }]);
  expect(wasm.simd).toBe(true);
});

test('a build whose memory cannot grow to hold the scratch area is refused, and the running build stays', async () => {
  expect(await init({ simd: false })).toEqual({ simd: false });
  // A new instance starts with 4 pages, fewer than its static data and the scratch area take: it must grow.
  const grow = vi.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementation(() => {
    throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
  });
  expect(thrown(() => initSync(BUILDS[0].bytes))).toEqual({ message: 'simdloss: could not reserve the scratch area', argument: undefined });
  expect(grow).toHaveBeenCalled();
  grow.mockRestore();
  expect(wasm.simd).toBe(false);
  expect(mse(Float64Array.of(0), Float64Array.of(2))).toBe(4);
});

test('a load that failed is tried again by the next init() for that build', async () => {
  expect(await init({ simd: false })).toEqual({ simd: false });
  let loads = 0;
  const source: Source = async (simd) => {
    loads++;
    if (loads === 1) throw new Error('the network is down');
    return BUILDS.find((b) => b.simd === simd)!.bytes;
  };
  await expect(initWith({ simd: true }, source)).rejects.toThrow('the network is down');
  expect(await initWith({ simd: true }, source)).toEqual({ simd: true });
  expect(loads).toBe(2);
});

test('a load that finishes while another build is loading leaves that load pending: a third init() shares it', async () => {
  expect(await init({ simd: false })).toEqual({ simd: false });
  const waiting: Array<() => void> = [];
  let loads = 0;
  const source: Source = (simd) => {
    loads++;
    return new Promise((resolve) => waiting.push(() => resolve(BUILDS.find((b) => b.simd === simd)!.bytes)));
  };
  const simd = initWith({ simd: true }, source);
  const scalar = initWith({ simd: false }, source);
  waiting[0]!();
  expect(await simd).toEqual({ simd: true });
  const again = initWith({ simd: false }, source);
  expect(again).toBe(scalar);
  waiting[1]!();
  expect(await again).toEqual({ simd: false });
  expect(loads).toBe(2);
  expect(wasm.simd).toBe(false);
});
