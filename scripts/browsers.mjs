// Provisions the browsers of the runtime matrix before `npm test`: Debian's chromium and
// firefox-esr, installed with apt-get when they are missing and this runs as root. Anything else
// is reported in one line; the browser suites then fail with one line of their own
// (test/browsers.ts), so the rest of the suite still runs.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const browsers = [
  { pkg: 'chromium', path: process.env.SIMDLOSS_CHROMIUM ?? '/usr/bin/chromium' },
  { pkg: 'firefox-esr', path: process.env.SIMDLOSS_FIREFOX ?? '/usr/bin/firefox-esr' },
];
const aptGet = process.env.SIMDLOSS_APT_GET ?? '/usr/bin/apt-get';
const log = join(tmpdir(), 'simdloss-browsers.log');

const missing = browsers.filter((b) => !existsSync(b.path)).map((b) => b.pkg);
if (missing.length > 0) {
  const names = missing.join(' ');
  if (process.getuid?.() !== 0 || !existsSync(aptGet)) {
    console.log(
      `browsers: ${names} missing and cannot be installed here (needs root and apt-get); the browser suites will fail until \`apt-get install ${names}\` is run as root`,
    );
  } else {
    console.log(`browsers: installing ${names} with apt-get (a few minutes; log: ${log})`);
    writeFileSync(log, '');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const step = (args, seconds) => {
      appendFileSync(log, `$ apt-get ${args.join(' ')}\n`);
      const r = spawnSync(aptGet, args, { env, encoding: 'utf8', timeout: seconds * 1000, killSignal: 'SIGKILL', maxBuffer: 256 << 20 });
      appendFileSync(log, `${r.stdout ?? ''}${r.stderr ?? ''}\n`);
      return r.status === 0;
    };
    const ok = step(['update'], 600) && step(['install', '-y', ...missing], 1500);
    const still = browsers.filter((b) => !existsSync(b.path)).map((b) => b.pkg);
    console.log(
      ok && still.length === 0
        ? `browsers: installed ${names}`
        : `browsers: apt-get could not install ${still.join(' ') || names} (see ${log}); the browser suites will fail`,
    );
  }
}
