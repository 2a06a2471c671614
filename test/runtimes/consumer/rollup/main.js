// Rollup emits both .wasm files through an import.meta.url asset plugin.
import * as lib from 'simdloss';
import { cases } from '../smoke-cases.js';
import { smoke } from '../smoke.js';

window.result = smoke(lib, { cases });
