// The README's commands keep working (the demo has its own file, test/runtime/demo.test.ts): the benchmark
// runs end to end (every variant is checked against the plain loop before it is timed).
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import * as lib from '../../src/node.js';
import { elementwiseOf } from '../registry.js';

const root = new URL('../..', import.meta.url).pathname;
// (the bench's smoke run, every section at a few ms a task, takes ~2 min on a loaded 2-core machine,
// 4.4 min at a load average of 33 with the TensorFlow.js training steps, whose cpu softmax step alone is ~0.5 s)
const TIMEOUT = 480_000;
const tsx = (...args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', ...args], { cwd: root, encoding: 'utf8', timeout: TIMEOUT, stdio: 'pipe' });

test(
  'npm run bench runs every loss and variant (a short smoke run)',
  () => {
    const out = tsx(
      'bench/run.ts',
      '--sizes',
      '16,100',
      '--time',
      '20',
      '--tfjs-sizes',
      '1e3',
      '--rank-sizes',
      '1e4',
      '--inbatch',
      '64x16',
    );
    expect(out).toMatch(/^rocAuc summary: 10000 speed simdloss\/plain [\d.]+, simdloss\/objects [\d.]+, binned update [\d.]+ el\/ns$/m);
    expect(out).toMatch(/^infoNCE summary: 64×16 simdloss\/plain [\d.]+, simdloss\/tfjs wasm [\d.]+/m);
    expect(out).toMatch(/^similarity pass 64 × 64 × 16: [\d.]+ GFLOP\/s; .* [\d.]+% of peak$/m);
    for (const { name: loss } of elementwiseOf(lib)) expect(out).toContain(`${loss} summary:`);
    for (const k of [
      'mse',
      'binaryCrossEntropy',
      'binaryCrossEntropyWithLogits',
      'softmaxCrossEntropy C=10',
      'softmaxCrossEntropy C=1000',
    ]) {
      expect(out).toMatch(new RegExp(`^${k} +1e3 +[\\d.]+ +[\\d.]+ +[\\d.]+ +[\\d.]+×`, 'm'));
    }
    for (const fn of ['exp', 'log', 'log1p', 'softplus', 'sigmoid'])
      expect(out).toMatch(new RegExp(`^${fn} +f32 +[\\d.]+ +[\\d.]+ +[\\d.]+`, 'm'));
    for (const loss of ['contrastive', 'triplet', 'cosineEmbedding']) expect(out).toContain(`${loss} summary: 1000×128`);
    for (const loss of ['dice', 'tversky', 'cosineSimilarity']) {
      expect(out).toMatch(new RegExp(`^${loss} summary: \\d+×\\d+ speed simdloss/plain [\\d.]+, zero-copy/plain [\\d.]+`, 'm'));
      expect(out).toMatch(
        new RegExp(
          `^${loss} new-array floor: plain JS − \\(plain JS, out\\) -?[\\d.]+ µs, simdloss − \\(simdloss, out\\) -?[\\d.]+ µs; ` +
            `the floor is -?\\d+ % of the plain loop's [\\d.]+ µs, so a call returning a new array ` +
            `can be at most ~(?:[\\d.e+-]+|-?Infinity)× faster than it \\(~(?:[\\d.e+-]+|-?Infinity)× with zero copy's time added\\)$`,
          'm',
        ),
      );
      expect(out).toMatch(
        new RegExp(
          `^${loss} gradient-write floor: out.fill\\(0\\) over its [\\d.e]+ values [\\d.]+ µs, \\d+ % of the plain loop into out ` +
            `\\([\\d.]+ µs\\), so a call into out can be at most ~(?:[\\d.e+-]+|Infinity)× faster than it$`,
          'm',
        ),
      );
    }
    for (const variant of ['simdloss', 'simdloss, out', 'zero-copy', 'scalar build', 'plain JS', 'plain JS, out']) {
      expect(out).toContain(`  ${variant}  `);
    }
    expect(out).toMatch(/^fixed cost of a call: /m);
    for (const table of ['mse', 'binaryCrossEntropyWithLogits', 'sparseSoftmaxCrossEntropy, 10 classes'])
      expect(out).toContain(`\n${table}: withGrad into a reused out`);
    expect(out).toMatch(/^synthetic, batch 64 .* +[\d.]+ ms +[\d.]+ ms +[\d.]+×$/m);
    for (const model of ['softmax head, batch 256, 1000 classes', 'logistic, batch 4096'])
      for (const backend of ['cpu', 'wasm'])
        expect(out).toMatch(new RegExp(`^${model} +${backend} +[\\d.]+ +[\\d.]+ +[\\d.]+ +[\\d.]+×$`, 'm'));
    for (const variant of ['scores: simdloss', 'scores: zero-copy', 'labels: simdloss'])
      expect(out).toMatch(new RegExp(`^confusionMatrix, N = 1e6[^]*^ {2}${variant} +[\\d.]+ ms +[\\d.]+×$`, 'm'));
  },
  TIMEOUT,
);

test('npm run ulp audits every function (one chunk of 2²⁰ inputs in 4096 here) within its bound', () => {
  const out = tsx('tools/ulp.ts', '--every', '4096');
  for (const fn of ['exp', 'log', 'log1p', 'softplus', 'sigmoid']) expect(out).toMatch(new RegExp(`^${fn} +simd +[\\d.]+ +[12] `, 'm'));
  expect(out).not.toContain('FAILED');
});

test('npm run sharded merges worker states into the one-shot value (a small run)', () => {
  const out = tsx('examples/sharded-eval.ts', '--examples', '1e5', '--workers', '2', '--shards', '5');
  const merged = Number(/merged \(2 workers, 5 shards\)\s+(\S+)/.exec(out)?.[1]);
  const oneShot = Number(/one-shot huber\(y, p\)\s+(\S+)/.exec(out)?.[1]);
  expect(oneShot).toBeGreaterThan(0);
  expect(Math.abs(merged - oneShot)).toBeLessThanOrEqual(1e-12 * oneShot);
  expect(out).toMatch(/examples merged\s+100000\n/);
  expect(out).toMatch(/speed-up\s+[\d.]+x/);
});
