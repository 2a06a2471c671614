// Node, Deno and Bun: the bare import resolves through the package's `node` export condition.
import * as lib from 'simdloss';
import { smoke } from './smoke.js';
import { cases } from './smoke-cases.js';

console.log(JSON.stringify(await smoke(lib, { cases })));
