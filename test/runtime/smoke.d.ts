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

/** A registry entry as data: what the smoke needs to draw its arguments (the loss is the export of that name). */
export type SmokeCase = Record<string, unknown> & { name: string; kind: string };

export function smoke(lib: unknown, how: { cases: readonly SmokeCase[]; init?: (simd: boolean) => Promise<unknown> }): Promise<SmokeResult>;
