// The browsers the suites drive, and the one line that says what to do when one is missing
// (instead of a launcher's stack trace).
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.SIMDLOSS_CHROMIUM ?? '/usr/bin/chromium';
export const FIREFOX = process.env.SIMDLOSS_FIREFOX ?? '/usr/bin/firefox-esr';

const PACKAGE: Record<string, string> = { [CHROMIUM]: 'chromium', [FIREFOX]: 'firefox-esr' };

/** The path, if a browser is there; else an Error of one line (no stack) naming the fix. */
export function browser(path: string): string {
  if (existsSync(path)) return path;
  const pkg = PACKAGE[path] ?? 'the browser';
  const error = new Error(`${path} not found: install it with \`apt-get install ${pkg}\` as root (\`npm test\` does so itself when run as root on Debian)`);
  error.stack = `Error: ${error.message}`;
  throw error;
}
