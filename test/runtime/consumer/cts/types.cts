// A TypeScript file compiled to CommonJS (module node16): `import` becomes require(), so the
// package's `require` declarations must type-check here.
import { alloc, type InitInfo, init, initSync, mse, SimdlossError, type WasmArray } from 'simdloss';
import { mse as inlineMse } from 'simdloss/inline';

const loss: number = mse(Float32Array.of(1, 2), Float32Array.of(2, 2));
const perExample: Float64Array = inlineMse(Float64Array.of(1), Float64Array.of(2), { reduction: 'none' });
const g: WasmArray<'f32'> = alloc(2, 'f32');
const names: string[] = [mse.lossName, ...mse.options.map((o) => o.name)];
const err: Error = new SimdlossError('x', 'pred');
const ready: Promise<InitInfo> = init({ simd: false });
export = [loss, perExample, g, names, err, ready, initSync];
