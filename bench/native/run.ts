/**
 * npm run bench:native [-- N]: the native yardstick beside the bench. Builds bench/native/kernels.c with the
 * system gcc (bench/native/build.sh: -O3 -msse4.2 -mno-avx) and prints its median el/ns for mse, mae, huber
 * and smoothL1 (withGrad, mean, float32) at N = 1e5, to be read against
 * `npm run bench -- --only mse,mae,huber,smoothL1 --sizes 1e5` run just before or after (ratios from
 * adjacent runs: absolute speeds drift on a shared machine).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

if (spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error('bench:native: no gcc on this machine (the native yardstick needs the system gcc); nothing run.');
  process.exit(1);
}
execFileSync('sh', [join(here, 'build.sh')], { stdio: 'inherit' });
execFileSync(join(root, 'build', 'native', 'kernels'), process.argv.slice(2), { stdio: 'inherit' });
