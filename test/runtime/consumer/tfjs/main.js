// simdloss/tfjs in a browser: one esbuild bundle with TensorFlow.js's core and cpu backend; the
// wasm comes through the package's ./wasm/* export, as in the esbuild page.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the union package @tensorflow/tfjs does)
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import * as lib from 'simdloss';
import * as bridge from 'simdloss/tfjs';
import simdUrl from 'simdloss/wasm/simdloss-simd.wasm';
import { tfjsSmoke } from '../tfjs-smoke.js';

window.result = (async () => {
  await lib.init({ module: await WebAssembly.compileStreaming(fetch(simdUrl)) });
  await tf.setBackend('cpu');
  return tfjsSmoke(tf, lib, bridge);
})();
