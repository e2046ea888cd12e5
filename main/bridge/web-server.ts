// Web mode: the built renderer and the bridge WebSocket over HTTP on 127.0.0.1, guarded by a token
// in the URL like Jupyter (http://127.0.0.1:7080/?token=…). The first load with the token sets a
// cookie (per port), so reloads and the WebSocket work without it.
import * as http from 'node:http';
import * as path from 'node:path';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Core } from '../core';
import { bridgeDepsOf } from './handlers';
import type { BridgeDeps } from './handlers';
import { createWsBridge } from './ws';
import { resolveStatic, sendFile } from './static-files';
import { CSP } from './csp';
import { uiToken } from './ui-token';
import { bundleRoot } from '../nodes/assets';

export interface UiServer {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export interface UiServerOptions {
  port: number;
  staticDir: string;
  host?: string;
  /** Defaults to a fresh random token (startUiServer: the data dir's token, kept across restarts). */
  token?: string;
}

export const BRIDGE_PATH = '/bridge';

/** Where `electron-vite build` puts the renderer, relative to this source tree or the bundle. */
export function defaultStaticDir(): string {
  const env = process.env.FLOTILLA_UI_DIR;
  if (env) return path.resolve(env);
  return path.join(bundleRoot(), 'renderer');
}

function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(req: http.IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

const FORBIDDEN_PAGE = `<!doctype html><meta charset="utf-8"><title>Flotilla</title>
<body style="font:15px system-ui;margin:15vh auto;max-width:34em;line-height:1.5">
<h1 style="font-weight:600">Flotilla needs its token</h1>
<p>Open the UI with the URL that <code>flotilla serve</code> printed, for example
<code>http://127.0.0.1:7080/?token=…</code>. The token keeps other local programs and web pages out of your cluster.</p></body>`;

export async function startUiServer(core: Core, opts: UiServerOptions): Promise<UiServer> {
  return startUiServerWith(bridgeDepsOf(core), { ...opts, token: opts.token ?? uiToken(core.dataDir) });
}

export async function startUiServerWith(deps: BridgeDeps, opts: UiServerOptions): Promise<UiServer> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const host = opts.host ?? '127.0.0.1';
  const bridge = createWsBridge(deps);
  let cookieName = 'flotilla_token';

  const authorized = (req: http.IncomingMessage, url: URL) => sameToken(url.searchParams.get('token') ?? undefined, token) || sameToken(cookieValue(req, cookieName), token);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('ok');
      return;
    }
    if (!authorized(req, url)) {
      res.writeHead(403, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CSP }).end(FORBIDDEN_PAGE);
      return;
    }
    const file = resolveStatic(opts.staticDir, url.pathname) ?? (path.extname(url.pathname) ? undefined : resolveStatic(opts.staticDir, '/'));
    if (!file) {
      const built = fs.existsSync(path.join(opts.staticDir, 'index.html'));
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end(built ? 'not found' : `the UI is not built: ${opts.staticDir} has no index.html (run \`npm run build\`)`);
      return;
    }
    const headers: Record<string, string> = { 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };
    if (url.searchParams.has('token')) headers['Set-Cookie'] = `${cookieName}=${token}; Path=/; HttpOnly; SameSite=Strict`;
    sendFile(res, file, headers);
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    const originOk = !origin || origin === `http://${req.headers.host}`;
    if (url.pathname !== BRIDGE_PATH || !originOk || !authorized(req, url)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    bridge.upgrade(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  cookieName = `flotilla_token_${port}`;
  const url = `http://${host}:${port}/?token=${token}`;
  return {
    url,
    token,
    async stop() {
      await bridge.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
