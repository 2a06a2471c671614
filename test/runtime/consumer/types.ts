// Compiled by tsc against the installed package's declarations (skipLibCheck off), as a
// TypeScript user would: every export is typed, dtypes flow from the inputs to the results.
import { alloc, type InitInfo, init, initSync, memory, mse, SimdlossError, simdSupported, type WasmArray } from 'simdloss';

const info: InitInfo = await init({ simd: simdSupported() });
const y = Float32Array.of(1, 2);
const loss: number = mse(y, Float32Array.of(2, 2));
const perExample: Float64Array = mse(Float64Array.of(1), Float64Array.of(2), { reduction: 'none' });
const { grad }: { grad: Float32Array } = mse.withGrad(y, y);
const g: WasmArray<'f32'> = alloc(2, 'f32');
mse.grad(y, g, { out: g });
const names: string[] = [mse.lossName, ...mse.options.map((o) => o.name)];
const pages: number = memory().buffer.byteLength;
const err: Error = new SimdlossError('x', 'pred');
export const used = [info, loss, perExample, grad, names, pages, err, initSync];
