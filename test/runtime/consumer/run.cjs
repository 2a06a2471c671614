// CommonJS consumers: require() resolves through the package's `node` + `require` conditions.
const lib = require('simdloss');

let entry = 'bundled'; // a bundle has no package left to resolve
try {
  entry = require.resolve('simdloss');
} catch {}

Promise.all([import('./smoke.js'), import('./smoke-cases.js')])
  .then(([{ smoke }, { cases }]) => smoke(lib, { cases }))
  .then((result) => console.log(JSON.stringify({ entry, ...result })));
