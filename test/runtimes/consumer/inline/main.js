// simdloss/inline in a browser bundle: no .wasm file to serve.
import * as lib from 'simdloss/inline';
import { cases } from '../smoke-cases.js';
import { smoke } from '../smoke.js';

window.result = smoke(lib, { cases });
