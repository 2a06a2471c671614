// npm run playground — serves the playground on 127.0.0.1: the page, its module (main.ts bundled
// by esbuild at start-up), this repository's built dist/ and wasm/, and uPlot from node_modules.
// Port: --port N or PORT (default 5178; 0 picks a free one).

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
};
/** Only these folders of the repository are served. */
const SERVED = ['dist/', 'wasm/', 'node_modules/uplot/dist/', 'node_modules/@assemblyscript/loader/'];

/** The page imports the library as the package: its source path becomes the bare name the import map resolves. */
const asPackage: Plugin = {
  name: 'simdloss-as-package',
  setup(b) {
    b.onResolve({ filter: /\/src\/index\.js$/ }, () => ({ path: 'simdloss', external: true }));
  },
};

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(here, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    external: ['uplot'],
    plugins: [asPackage],
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export interface Playground {
  url: string;
  close(): Promise<void>;
}

export async function startPlayground(port = 5178): Promise<Playground> {
  const main = await bundle();
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^[/\\]+/, '');
    try {
      if (path === '' || path === 'index.html')
        return void res.writeHead(200, { 'content-type': TYPES['.html']! }).end(await readFile(join(here, 'index.html')));
      if (path === 'main.js') return void res.writeHead(200, { 'content-type': TYPES['.js']!, 'cache-control': 'no-store' }).end(main);
      const file = join(repo, path);
      if (!SERVED.some((dir) => path.startsWith(dir)) || !file.startsWith(repo) || path.includes(`..${sep}`)) throw new Error('not served');
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(await readFile(file));
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: /${path}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = process.argv.indexOf('--port');
  const port = Number(flag > 0 ? process.argv[flag + 1] : (process.env.PORT ?? 5178));
  const { url } = await startPlayground(port);
  console.log(`simdloss playground: ${url}  (Ctrl+C to stop)`);
}
