import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createShellRequestHandler, registerShellScheme, resolveShellAsset, SHELL_CSP } from '../../../main/shell/shellProtocol';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cordon-shell-'));
  await mkdir(path.join(root, 'assets'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>x</title>');
  await writeFile(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(path.dirname(root), 'secret.html'), 'secret');
});

describe('cordon:// protocol', () => {
  it('serves bundled files with the strict CSP and nosniff', async () => {
    const handle = createShellRequestHandler(root);
    const response = await handle(new Request('cordon://app/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(SHELL_CSP);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<title>x</title>');
    const script = await handle(new Request('cordon://app/assets/app.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('CSP allows no inline script, no eval, no network and no framing', () => {
    expect(SHELL_CSP).toContain("default-src 'none'");
    expect(SHELL_CSP).toContain("script-src 'self'");
    expect(SHELL_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(SHELL_CSP).toContain("connect-src 'none'");
    expect(SHELL_CSP).toContain("frame-ancestors 'none'");
  });

  it('refuses path traversal, other hosts, other schemes and unknown types', async () => {
    for (const url of [
      'cordon://app/../secret.html',
      'cordon://app/%2e%2e/secret.html',
      'cordon://app/..%2fsecret.html',
      'cordon://app/assets/..%5c..%5csecret.html',
      'cordon://app/index.html%00.js',
      'cordon://other/index.html',
      'file:///etc/passwd',
      'cordon://app/assets/app.exe',
    ]) {
      const asset = resolveShellAsset(root, url);
      if (asset !== null) expect(asset.file.startsWith(root + path.sep), url).toBe(true);
      const response = await createShellRequestHandler(root)(new Request(url.replace('file:', 'cordon:')));
      expect(await response.text(), url).not.toBe('secret');
    }
    expect(resolveShellAsset(root, 'cordon://app/..%2fsecret.html')).toBeNull();
    expect(resolveShellAsset(root, 'cordon://other/index.html')).toBeNull();
    expect(resolveShellAsset(root, 'cordon://app/assets/app.exe')).toBeNull();
  });

  it('answers 404 for missing files and non-GET methods', async () => {
    const handle = createShellRequestHandler(root);
    expect((await handle(new Request('cordon://app/missing.js'))).status).toBe(404);
    expect((await handle(new Request('cordon://app/index.html', { method: 'POST', body: 'x' }))).status).toBe(404);
  });

  it('registers cordon:// as a standard, secure scheme without fetch or CORS', () => {
    let schemes: unknown;
    registerShellScheme({ registerSchemesAsPrivileged: (s) => (schemes = s) });
    expect(schemes).toEqual([{ scheme: 'cordon', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } }]);
  });
});
