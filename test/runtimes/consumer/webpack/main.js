// webpack 5 sees `new URL('../wasm/….wasm', import.meta.url)` in the default entry and emits both files.
import * as lib from 'simdloss';
import { cases } from '../smoke-cases.js';
import { smoke } from '../smoke.js';

window.result = smoke(lib, { cases });
