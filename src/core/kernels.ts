/** The kernel cache: each export looked up once per instance, again after every (re)initialisation. */
import { type Kernel, wasm } from './wasm.js';

/** The float32 and float64 kernels exported as `${prefix}_f32` and `${prefix}_f64`. */
export class KernelPair {
  readonly prefix: string;
  /** The instance generation the kernels below were looked up in (the elementwise call path reads these directly). */
  generation = -1;
  f32: Kernel | undefined;
  f64: Kernel | undefined;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  /** The kernel for float32 (`f32` true) or float64 arguments, of the live instance. */
  of(f32: boolean): Kernel {
    // Stryker disable next-line ConditionalExpression: refreshing on every call finds the same exports, only slower
    if (this.generation !== wasm.generation) this.refresh();
    return (f32 ? this.f32 : this.f64)!;
  }

  /** Looks the kernels up again in the live instance. Apart from of(), so that a small of() is inlined into the call paths. */
  refresh(): void {
    this.generation = wasm.generation;
    this.f32 = wasm.exports![`${this.prefix}_f32`] as Kernel;
    this.f64 = wasm.exports![`${this.prefix}_f64`] as Kernel;
  }
}
