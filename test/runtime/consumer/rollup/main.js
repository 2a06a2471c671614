// Rollup emits both .wasm files through an import.meta.url asset plugin.
import * as lib from 'simdloss';
import { smoke } from '../smoke.js';
import { cases } from '../smoke-cases.js';

window.result = smoke(lib, { cases });
