// run.mjs without top-level await, so that it also bundles to CommonJS (how many Lambda and CLI
// builds turn ES module sources into one .cjs file).
import * as lib from 'simdloss';
import { smoke } from './smoke.js';
import { cases } from './smoke-cases.js';

smoke(lib, { cases }).then((result) => console.log(JSON.stringify(result)));
