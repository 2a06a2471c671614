// CommonJS consumers: require() resolves through the package's `node` + `require` conditions.
const lib = require('simdloss');

let entry = 'bundled'; // a bundle has no package left to resolve
try {
  entry = require.resolve('simdloss');
} catch {}

import('./smoke.js')
  .then(({ smoke }) => smoke(lib))
  .then((result) => console.log(JSON.stringify({ entry, ...result })));
