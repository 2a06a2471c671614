// The browsers the suites drive, and the one line that says what to do when one is missing
// (instead of a launcher's stack trace). SIMDLOSS_CHROMIUM / SIMDLOSS_FIREFOX point elsewhere.
import { existsSync } from 'node:fs';

export const CHROMIUM = { pkg: 'chromium', path: process.env.SIMDLOSS_CHROMIUM ?? '/usr/bin/chromium' };
export const FIREFOX = { pkg: 'firefox-esr', path: process.env.SIMDLOSS_FIREFOX ?? '/usr/bin/firefox-esr' };

/** The browser's path if it is there; else throws an Error of one line (no stack) naming the fix. */
export function browser({ pkg, path }: { pkg: string; path: string }): string {
  if (existsSync(path)) return path;
  const error = new Error(
    `${pkg} not found at ${path}: install it with \`apt-get install ${pkg}\` as root (\`npm test\` does so itself when it runs as root on Debian)`,
  );
  error.stack = `Error: ${error.message}`;
  throw error;
}
