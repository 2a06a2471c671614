// The audit build (assembly/audit.ts): the vector math's exports, with no runtime, for the accuracy
// tests, the golden digest and the math bench.
import { readFileSync } from 'node:fs';

export interface Audit {
  memory: WebAssembly.Memory;
  evaluate(fn: number, dtype: number, x: number, y: number, n: number): void;
  heapBase(): number;
}

/** A fresh instance of build/audit-<build>.wasm (npm run build:audit). */
export function loadAudit(build: 'simd' | 'scalar'): Audit {
  const bytes = readFileSync(new URL(`../build/audit-${build}.wasm`, import.meta.url));
  return new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    env: {
      abort() {
        throw new Error('abort');
      },
    },
  }).exports as unknown as Audit;
}
