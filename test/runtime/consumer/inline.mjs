// simdloss/inline: both builds inside the JS, so a bundle of this file runs on its own.
import * as lib from 'simdloss/inline';
import { smoke } from './smoke.js';
import { cases } from './smoke-cases.js';

console.log(JSON.stringify(await smoke(lib, { cases })));
