// Test fixture: a GET on any API path whose answer is read as a watch stream would be, one JSON
// event per line as it arrives, for tests of exactly which paths and query strings are watches.
import * as https from 'node:https';
import type { TestCluster } from './cluster';

export interface RawWatchEvent {
  type: string;
  object: { kind?: string; apiVersion?: string; metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> } };
}

export interface RawWatch {
  /** Status code and content type of the answer, once it has arrived. */
  readonly response: Promise<{ code: number; contentType: string }>;
  /** Newline-terminated JSON events received so far (a plain answer's body is in `ended`). */
  readonly events: RawWatchEvent[];
  /** The whole body, once the server has ended it. */
  readonly ended: Promise<string>;
  close(): void;
}

export function rawWatch(c: TestCluster, path: string): RawWatch {
  const url = new URL(c.core.api.url);
  const events: RawWatchEvent[] = [];
  let body = '';
  let resolveResponse!: (r: { code: number; contentType: string }) => void;
  let rejectResponse!: (e: Error) => void;
  const response = new Promise<{ code: number; contentType: string }>((res, rej) => { resolveResponse = res; rejectResponse = rej; });
  let resolveEnded!: (s: string) => void;
  const ended = new Promise<string>((res) => { resolveEnded = res; });
  const req = https.request({
    host: url.hostname, port: url.port, method: 'GET', path, ca: c.core.caCertPem, agent: false,
    headers: { Authorization: `Bearer ${c.core.auth.adminToken}`, Accept: 'application/json' },
  }, (res) => {
    resolveResponse({ code: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? '') });
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      body += chunk;
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line.trim()) events.push(JSON.parse(line) as RawWatchEvent);
      }
    });
    res.on('end', () => resolveEnded(body));
    res.on('close', () => resolveEnded(body));
  });
  req.on('error', (e) => { rejectResponse(e); resolveEnded(body); });
  req.end();
  return { response, events, ended, close: () => req.destroy() };
}
