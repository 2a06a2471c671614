// simdloss/inline in a browser bundle: no .wasm file to serve.
import * as lib from 'simdloss/inline';
import { smoke } from '../smoke.js';
import { cases } from '../smoke-cases.js';

window.result = smoke(lib, { cases });
