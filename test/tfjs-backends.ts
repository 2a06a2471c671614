// TensorFlow.js backends for the bridge's tests: cpu and wasm, started once, without the banner
// tfjs prints in Node (a recommendation of the native tfjs-node addon).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export const BACKENDS = ['cpu', 'wasm'] as const;
export type Backend = (typeof BACKENDS)[number];

export async function useBackend(name: Backend): Promise<void> {
  if (tf.getBackend() === name) return;
  const { log, warn } = console;
  console.log = console.warn = () => {};
  try {
    if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend '${name}' did not start`);
    await tf.ready();
    // the cpu backend prints it when its first tensor is written
    tf.dispose(tf.scalar(0));
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

export { tf };
