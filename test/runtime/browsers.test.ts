// Provisioning the browsers of the test suite: what happens when one is missing.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { browser, CHROMIUM } from '../browsers.js';

const script = fileURLToPath(new URL('../../scripts/browsers.mjs', import.meta.url));

function provision(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('a missing browser', () => {
  test('fails a browser suite with one line that names the package and how to install it', () => {
    let error: Error | undefined;
    try {
      browser({ pkg: 'chromium', path: '/nonexistent/chromium' });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toBe(
      'chromium not found at /nonexistent/chromium: install it with `apt-get install chromium` as root (`npm test` does so itself when it runs as root on Debian)',
    );
    expect(error?.stack?.split('\n')).toHaveLength(1);
  });

  test('is reported by the pretest provisioning in one line when apt-get is not there, without failing the rest of the suite', async () => {
    const { code, stdout, stderr } = await provision({
      SIMDLOSS_CHROMIUM: '/nonexistent/chromium',
      SIMDLOSS_APT_GET: '/nonexistent/apt-get',
    });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toBe(
      'browsers: chromium missing and cannot be installed here (needs root and apt-get); the browser suites will fail until `apt-get install chromium` is run as root\n',
    );
  });

  test('both browsers present: the provisioning says nothing and installs nothing', async () => {
    expect(browser(CHROMIUM)).toBe(CHROMIUM.path);
    const { code, stdout } = await provision({ SIMDLOSS_APT_GET: '/nonexistent/apt-get' });
    expect([code, stdout]).toEqual([0, '']);
  });
});
