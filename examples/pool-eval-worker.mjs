// piscina's worker file for examples/pool-eval.ts: it loads the TypeScript task through tsx's API,
// because Node 20 does not carry tsx's loader into worker threads (compiled JavaScript would be
// given to piscina directly).
import { tsImport } from 'tsx/esm/api';

const task = await tsImport('./pool-eval-worker.ts', import.meta.url);
export default task.default;
