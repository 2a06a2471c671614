// No init(): in Node, Deno and Bun the first call loads the wasm from the package.
import { mse } from 'simdloss';

console.log(mse(Float32Array.of(85, 72, 90, 60), Float32Array.of(80, 75, 88, 65)));
