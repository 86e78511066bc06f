// Shared by the real-browser tests (test/browser/*.test.ts): the Chromium
// launch, the skip rule, a static file server and a page watcher.
//
// Chromium: $CHROMIUM_PATH when set, else Debian's /usr/bin/chromium.
// Skip rule: without it the browser tests skip, unless CI is set, in which
// case they fail (CI must install Debian's chromium).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
/** The repository root. */
export const root = resolve(here, '..', '..');
type Env = Record<string, string | undefined>;
/** The browser the tests drive: $CHROMIUM_PATH overrides Debian's path. */
export const chromiumPath = (env: Env = process.env): string => env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const isCi = (env: Env) => env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
export const ci = isCi(process.env);

/**
 * Why the browser tests of this file should skip, or undefined when they can
 * run. Throws when they cannot run but CI is set, and when dist/ is missing.
 * Call it in beforeAll.
 */
export function browserSkipReason(what = 'the real-browser test', env: Env = process.env): string | undefined {
  const path = chromiumPath(env);
  if (!existsSync(path)) {
    const WHICH = env.CHROMIUM_PATH ? `$CHROMIUM_PATH (${path})` : `${path} (set CHROMIUM_PATH to use another Chromium)`;
    if (isCi(env)) {
      throw new Error(`${WHICH} not found, and CI is set: CI must install Debian's chromium (apt-get install -y chromium) for ${what}`);
    }
    const reason = `${WHICH} not found (apt-get install -y chromium); ${what} is skipped outside CI`;
    console.warn(`test/browser: ${reason}`);
    return reason;
  }
  if (!existsSync(join(root, 'dist', 'src', 'index.js'))) {
    throw new Error('dist/src/index.js not found: run npm run build first (the pages import the built package)');
  }
  return undefined;
}

/** Headless Debian Chromium through playwright-core. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.safetensors': 'application/octet-stream',
};

export interface StaticServer {
  server: Server;
  /** http://127.0.0.1:PORT */
  origin: string;
  close(): Promise<void>;
}

/**
 * A static server over `dir` on 127.0.0.1 at a free port. `mounts` serve
 * further directories under URL prefixes, e.g. { '/data': 'examples/data' }
 * (a prefix wins over `dir`; the longest matching prefix is used). `headers`
 * go on every response (COOP/COEP make a page cross-origin isolated).
 */
export async function serveStatic(dir: string, mounts: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<StaticServer> {
  const base = resolve(dir);
  const prefixes = Object.entries(mounts)
    .map(([prefix, d]) => ['/' + prefix.replace(/^\/+|\/+$/g, ''), resolve(d)] as const)
    .sort((a, b) => b[0].length - a[0].length);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.writeHead(405).end();
          return;
        }
        const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
        let top = base;
        let rest = pathname;
        for (const [prefix, d] of prefixes) {
          if (pathname === prefix || pathname.startsWith(prefix + '/')) {
            top = d;
            rest = pathname.slice(prefix.length) || '/';
            break;
          }
        }
        let file = resolve(top, '.' + rest);
        if (file !== top && !file.startsWith(top + sep)) {
          res.writeHead(403).end();
          return;
        }
        if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
        const body = await readFile(file).catch(() => null);
        if (body === null) {
          res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${pathname}`);
          return;
        }
        res.writeHead(200, {
          'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'content-length': body.length,
          'cache-control': 'no-store',
          ...headers,
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/**
 * Records what goes wrong on a page into `problems`: console errors, uncaught
 * page errors (also in workers), failed requests and HTTP statuses >= 400.
 */
export function watchPage(page: Page, problems: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.stack ?? e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('worker', (w) => {
    w.on('console', (m) => {
      if (m.type() === 'error') problems.push(`worker console.error: ${m.text()}`);
    });
  });
}

interface ResultGlobals {
  __result?: unknown;
  __error?: string;
}

/**
 * Opens `url` and waits until the page sets window.__result or
 * window.__error (the convention of the pages under test/browser/); returns
 * __result or throws with __error and what watchPage saw.
 */
export async function pageResult<T>(page: Page, url: string, problems: string[], timeout = 20_000): Promise<T> {
  await page.goto(url, { timeout: 15_000 });
  try {
    await page.waitForFunction(
      () => {
        const g = globalThis as unknown as ResultGlobals;
        return g.__result !== undefined || g.__error !== undefined;
      },
      undefined,
      { timeout, polling: 100 },
    );
  } catch (e) {
    throw new Error(`${url}: the page never reported a result (${(e as Error).message.split('\n')[0]}); seen: ${problems.join(' | ') || 'nothing'}`);
  }
  const { result, error } = await page.evaluate(() => {
    const g = globalThis as unknown as ResultGlobals;
    return { result: g.__result, error: g.__error };
  });
  if (error !== undefined || result === undefined) {
    throw new Error(`${url}: the page failed: ${error}\nseen: ${problems.join(' | ') || 'nothing'}`);
  }
  return result as T;
}
