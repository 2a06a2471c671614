// Node, Deno and Bun: the bare import resolves through the package's `node` export condition.
import * as lib from 'simdloss';
import { cases } from './smoke-cases.js';
import { smoke } from './smoke.js';

console.log(JSON.stringify(await smoke(lib, { cases })));
