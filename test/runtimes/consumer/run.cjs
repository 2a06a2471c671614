// CommonJS consumers: require() resolves through the package's `node` + `require` conditions.
const lib = require('simdloss');

import('./smoke.js')
  .then(({ smoke }) => smoke(lib))
  .then((result) => console.log(JSON.stringify({ entry: require.resolve('simdloss'), ...result })));
