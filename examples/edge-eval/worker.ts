// A Cloudflare Worker that scores shards of predictions, and the Durable Object that merges them.
//
//   POST /shards/<id>   body { labels: number[], scores: number[] }: the worker updates every
//                       accumulator of metrics.ts with the shard and sends their states to the
//                       Durable Object, which stores them under the shard's id — a retried shard
//                       replaces its own state instead of counting twice.
//   GET  /metrics       the running metrics: the stored states merged (in any order: the counts
//                       are exact) and reported — macro/micro/per-class F1, ECE, MCE, the matrix.
//
// Run locally with miniflare (test/runtime/edge-eval.test.ts bundles it with esbuild, the .wasm
// files as CompiledWasm modules, and binds EVALUATOR to the Evaluator class).
import { init } from '../../src/workerd.js';
import { batchOf, report, score } from './metrics.js';

/** The parts of the Workers runtime this example uses (no type package needed). */
interface DurableObjectStub {
  fetch(url: string, init?: RequestInit): Promise<Response>;
}
interface Env {
  EVALUATOR: { idFromName(name: string): unknown; get(id: unknown): DurableObjectStub };
}
interface DurableObjectState {
  storage: {
    put(key: string, value: unknown): Promise<void>;
    list(options: { prefix: string }): Promise<Map<string, Record<string, unknown>>>;
  };
}

let ready: Promise<unknown> | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    ready ??= init();
    await ready;
    const url = new URL(request.url);
    const evaluator = env.EVALUATOR.get(env.EVALUATOR.idFromName('evaluation'));
    const shard = /^\/shards\/([\w-]+)$/.exec(url.pathname);
    if (shard !== null && request.method === 'POST') {
      const { labels, scores } = (await request.json()) as { labels: number[]; scores: number[] };
      const states = score(batchOf(Int32Array.from(labels), Float32Array.from(scores)));
      return evaluator.fetch(`https://evaluator/states/${shard[1]}`, { method: 'PUT', body: JSON.stringify(states) });
    }
    if (url.pathname === '/metrics') return evaluator.fetch('https://evaluator/metrics');
    return new Response('not found', { status: 404 });
  },
};

/** Keeps each shard's accumulator states by shard id; merges them on every read. */
export class Evaluator {
  private readonly state: DurableObjectState;

  constructor(state: DurableObjectState) {
    this.state = state;
  }

  async fetch(request: Request): Promise<Response> {
    ready ??= init();
    await ready;
    const url = new URL(request.url);
    const put = /^\/states\/([\w-]+)$/.exec(url.pathname);
    if (put !== null && request.method === 'PUT') {
      await this.state.storage.put(`shard:${put[1]}`, await request.json());
      return Response.json({ stored: put[1] });
    }
    if (url.pathname === '/metrics') {
      const shards = await this.state.storage.list({ prefix: 'shard:' });
      return Response.json(report([...shards.values()]));
    }
    return new Response('not found', { status: 404 });
  }
}
