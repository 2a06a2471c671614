// simdloss/tfjs in Node as an ES module, with @tensorflow/tfjs (which re-exports the tfjs-core the
// bridge imports, and registers the gradients) on its cpu backend.
import * as tf from '@tensorflow/tfjs';
import * as lib from 'simdloss';
import * as bridge from 'simdloss/tfjs';
import { tfjsSmoke } from './tfjs-smoke.js';

await tf.setBackend('cpu');
const entry = import.meta.resolve?.('simdloss/tfjs') ?? 'unknown';
console.log(JSON.stringify({ entry, ...(await tfjsSmoke(tf, lib, bridge)) }));
