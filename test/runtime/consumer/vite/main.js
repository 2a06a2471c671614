// Vite sees `new URL('../wasm/….wasm', import.meta.url)` in the default entry and emits both files.
import * as lib from 'simdloss';
import { smoke } from '../smoke.js';
import { cases } from '../smoke-cases.js';

window.result = smoke(lib, { cases });
