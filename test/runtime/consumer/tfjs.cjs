// simdloss/tfjs in Node through require(): the CommonJS build, with @tensorflow/tfjs on its cpu backend.
const tf = require('@tensorflow/tfjs');
const lib = require('simdloss');
const bridge = require('simdloss/tfjs');

const entry = require.resolve('simdloss/tfjs');
tf.setBackend('cpu')
  .then(() => import('./tfjs-smoke.js'))
  .then(({ tfjsSmoke }) => tfjsSmoke(tf, lib, bridge))
  .then((result) => console.log(JSON.stringify({ entry, ...result })));
