export interface SmokeResult {
  simdSupported: boolean | undefined;
  /** Function exports with grad and withGrad. */
  exported: string[];
  /** Registry entries the smoke ran (both builds, both dtypes). */
  covered: string[];
  checks: number;
  failures: string[];
  /** `${name}/${build}/${dtype}` → losses and gradient as strings (bit-exact comparison across runtimes). */
  values: Record<string, string[]>;
}

export function smoke(lib: unknown, how?: { init?: (simd: boolean) => Promise<unknown> }): Promise<SmokeResult>;
