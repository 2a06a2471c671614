/** Loading: every entry point hands its way of getting the module to `initWith`. */
import { SimdlossError, show } from './errors.js';
import { firstUse, instantiate, instantiateSync, wasm } from './wasm.js';

/** Options of `init()`. */
export interface InitOptions {
  /** false forces the scalar build; true insists on SIMD; unset picks SIMD where the runtime validates it. */
  /** @defaultValue whether this runtime validates wasm SIMD ({@link simdSupported}) */
  simd?: boolean;
  /** A precompiled simdloss module (either build), for runtimes that refuse to compile bytes (Cloudflare Workers). */
  module?: WebAssembly.Module;
}

/** What `init()` and {@link initSync} report. */
export interface InitInfo {
  /** Which build is running. */
  simd: boolean;
}

// The smallest module that uses a v128 (i8x16.splat + i8x16.popcnt): validates only where wasm SIMD does.
const SIMD_PROBE = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00, // magic, version
  0x01,
  0x05,
  0x01,
  0x60,
  0x00,
  0x01,
  0x7b, //       type: () -> v128
  0x03,
  0x02,
  0x01,
  0x00, //                         one function of that type
  0x0a,
  0x0a,
  0x01,
  0x08,
  0x00,
  0x41,
  0x00,
  0xfd,
  0x0f,
  0xfd,
  0x62,
  0x0b, // i32.const 0; i8x16.splat; i8x16.popcnt
]);

/** Whether this runtime validates WebAssembly SIMD (128-bit), i.e. whether `init()` picks the SIMD build. */
export function simdSupported(): boolean {
  return WebAssembly.validate(SIMD_PROBE);
}

/** Where the bytes or module of a build come from, per runtime. */
export type Source = (simd: boolean) => Promise<WebAssembly.Module | BufferSource>;

let pending: Promise<InitInfo> | undefined;
let pendingSimd: boolean | undefined;

export function initWith(opts: InitOptions | undefined, source: Source): Promise<InitInfo> {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) {
    return Promise.reject(new SimdlossError(`init: opts must be an object; got ${show(opts)}`, 'opts'));
  }
  if (opts?.module !== undefined) {
    if (!(opts.module instanceof WebAssembly.Module)) {
      return Promise.reject(new SimdlossError(`init: opts.module must be a WebAssembly.Module; got ${show(opts.module)}`, 'opts.module'));
    }
    pending = undefined;
    return instantiate(opts.module).then(info);
  }
  if (opts?.simd !== undefined && typeof opts.simd !== 'boolean') {
    return Promise.reject(new SimdlossError(`init: opts.simd must be true or false; got ${show(opts.simd)}`, 'opts.simd'));
  }
  const simd = opts?.simd ?? simdSupported();
  if (simd && !simdSupported()) {
    return Promise.reject(new SimdlossError('init: opts.simd is true but this runtime does not support WebAssembly SIMD', 'opts.simd'));
  }
  if (wasm.exports !== undefined && wasm.simd === simd && pending === undefined) return Promise.resolve(info());
  if (pending !== undefined && pendingSimd === simd) return pending;
  pendingSimd = simd;
  const started = source(simd)
    .then((bytesOrModule) => instantiate(bytesOrModule instanceof WebAssembly.Module ? bytesOrModule : compile(bytesOrModule)))
    .then(info)
    .finally(() => {
      if (pending === started) pending = undefined;
    });
  pending = started;
  return started;
}

/**
 * Synchronous initialisation from the bytes or the compiled module of either build.
 *
 * @example
 * ```ts
 * import { init, initSync, mse } from 'simdloss';
 *
 * await init();                      // browsers, edge runtimes: the SIMD build where supported
 * await init({ simd: false });       // the scalar build (simd: true rejects where SIMD is missing)
 * await init({ module });            // a precompiled WebAssembly.Module of either build
 *
 * // Synchronously, from the bytes (or module) of simdloss/wasm/simdloss-simd.wasm or -scalar.wasm:
 * initSync(bytes);                   // { simd: true }
 * mse(Float32Array.of(1, 2), Float32Array.of(1, 4));   // 2
 * ```
 */
export function initSync(bytesOrModule: BufferSource | WebAssembly.Module): InitInfo {
  if (bytesOrModule instanceof WebAssembly.Module) {
    instantiateSync(bytesOrModule);
  } else if (ArrayBuffer.isView(bytesOrModule) || bytesOrModule instanceof ArrayBuffer) {
    instantiateSync(compile(bytesOrModule));
  } else {
    throw new SimdlossError(
      `initSync: expected the bytes of a simdloss .wasm file or a WebAssembly.Module; got ${show(bytesOrModule)}`,
      'bytesOrModule',
    );
  }
  pending = undefined;
  return info();
}

/** The module of a build's bytes. A DataView is passed as the bytes it views: V8 compiles only ArrayBuffers and typed arrays. */
function compile(bytes: BufferSource): WebAssembly.Module {
  return new WebAssembly.Module(
    bytes instanceof DataView ? new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength) : bytes,
  );
}

function info(): InitInfo {
  return { simd: wasm.simd };
}

/** The file name of a build, as shipped in the package's wasm/ folder. */
export function wasmFile(simd: boolean): string {
  return simd ? 'simdloss-simd.wasm' : 'simdloss-scalar.wasm';
}

/** Lets the first loss, alloc or memory() call load a build synchronously when init() was not awaited. */
export function loadOnFirstUse(bytes: (simd: boolean) => BufferSource): void {
  firstUse.load = () => {
    initSync(bytes(simdSupported()));
  };
}
