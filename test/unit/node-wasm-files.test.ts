// The Node entry reads a build's .wasm file from the package's wasm/ folder, then from beside the
// entry file (where a bundle needs it copied). Only a missing file moves on to the next place; any
// other read error is the caller's to see; when neither place has it, the error names both.
import { afterEach, expect, test, vi } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const IN_PACKAGE = `${root}wasm/simdloss-scalar.wasm`;
const BESIDE = `${root}src/simdloss-scalar.wasm`;
const failure = (code: string, path: string) => Object.assign(new Error(`${code}: open '${path}'`), { code });

/** readFileSync as the test routes it: each path read is recorded, and read from another path or refused. */
const fsRoute = vi.hoisted(() => ({ route: (path: string): string | Error => path, paths: [] as string[] }));
vi.mock('node:fs', async (actual) => {
  const fs = await actual<typeof import('node:fs')>();
  const readFileSync = (path: URL | string) => {
    const p = path instanceof URL ? path.pathname : path;
    fsRoute.paths.push(p);
    const to = fsRoute.route(p);
    if (to instanceof Error) throw to;
    return fs.readFileSync(to);
  };
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

afterEach(() => {
  fsRoute.route = (p) => p;
  vi.resetModules();
});

/** init({ simd: false }) of a fresh Node entry (its first use would load SIMD), and the paths it read. */
async function initScalar(route: (path: string) => string | Error) {
  const lib = await import('../../src/node.js');
  fsRoute.route = route;
  fsRoute.paths = [];
  try {
    return { lib, info: await lib.init({ simd: false }), paths: fsRoute.paths };
  } catch (error) {
    return { lib, error, paths: fsRoute.paths };
  }
}

test('the package wasm/ folder first', async () => {
  const { lib, info, paths } = await initScalar((p) => p);
  expect(info).toEqual({ simd: false });
  expect(paths).toEqual([IN_PACKAGE]);
  expect(lib.mse(Float64Array.of(1), Float64Array.of(4))).toBe(9);
});

test('a file missing from wasm/ is read from beside the entry file', async () => {
  const { lib, info, paths } = await initScalar((p) => (p === IN_PACKAGE ? failure('ENOENT', p) : p === BESIDE ? IN_PACKAGE : p));
  expect(info).toEqual({ simd: false });
  expect(paths).toEqual([IN_PACKAGE, BESIDE]);
  expect(lib.mse(Float64Array.of(1), Float64Array.of(4))).toBe(9);
});

test('a read error other than a missing file is thrown as it is, without looking further', async () => {
  const denied = failure('EACCES', IN_PACKAGE);
  const { error, paths } = await initScalar((p) => (p === IN_PACKAGE ? denied : p === BESIDE ? IN_PACKAGE : p));
  expect(error).toBe(denied);
  expect(paths).toEqual([IN_PACKAGE]);
});

test('neither place has the file: a SimdlossError names the file, both places and what a bundle needs', async () => {
  const { lib, error, paths } = await initScalar((p) => failure('ENOENT', p));
  expect(paths).toEqual([IN_PACKAGE, BESIDE]);
  expect(error).toBeInstanceOf(lib.SimdlossError);
  expect((error as Error).message).toBe(
    `simdloss: simdloss-scalar.wasm not found (looked for ${IN_PACKAGE}, ${BESIDE}); ` +
      'a bundle needs the .wasm files of simdloss/wasm/ copied beside it, or import simdloss/inline instead',
  );
});

test('the SIMD build missing from wasm/ is read from beside the entry file by its own name', async () => {
  const inPackage = `${root}wasm/simdloss-simd.wasm`;
  const beside = `${root}src/simdloss-simd.wasm`;
  const lib = await import('../../src/node.js');
  fsRoute.route = (p) => (p === inPackage ? failure('ENOENT', p) : p === beside ? inPackage : p);
  fsRoute.paths = [];
  expect(await lib.init({ simd: true })).toEqual({ simd: true });
  expect(fsRoute.paths).toEqual([inPackage, beside]);
  expect(lib.mse(Float64Array.of(1), Float64Array.of(4))).toBe(9);
});
