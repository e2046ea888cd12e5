// Reads from the API server over its HTTPS port with the admin token, for what the in-process
// client does not carry: streamed pod logs, the metrics.k8s.io resources, discovery and Tables.
import * as https from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { BridgeError } from './contract';
import type { ApiCredentials } from '../client/credentials';
import { authHeaders, tlsOptions } from '../client/credentials';

/** Where the API server is and how to call it: this cluster's admin token and CA, or a kubeconfig context's. */
export interface ApiEndpoint extends ApiCredentials {
  /** https://127.0.0.1:<port> */
  url: string;
}

/** The server's Status message when the body is one, else the text itself. */
export function statusError(code: number, text: string): BridgeError {
  try {
    const s = JSON.parse(text) as { kind?: unknown; message?: unknown; reason?: unknown };
    if (s && s.kind === 'Status' && typeof s.message === 'string') {
      return { code, reason: typeof s.reason === 'string' ? s.reason : 'Unknown', message: s.message };
    }
  } catch {
    // not JSON
  }
  return { code, reason: 'Unknown', message: text.trim() || `HTTP ${code}` };
}

export interface OpenStream {
  /** Resolves with the response once headers arrive. */
  response: Promise<IncomingMessage>;
  abort(): void;
}

export function openGet(api: ApiEndpoint, path: string, accept = 'application/json'): OpenStream {
  const u = new URL(api.url);
  const req = https.request({
    host: u.hostname, port: u.port, method: 'GET', path, ...tlsOptions(api),
    headers: { ...authHeaders(api), Accept: accept, 'User-Agent': 'flotilla-ui-bridge' },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
  });
  response.catch(() => undefined);
  req.end();
  return { response, abort: () => req.destroy() };
}

export async function readText(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function getJson<T>(api: ApiEndpoint, path: string, accept?: string): Promise<{ ok: true; value: T } | { ok: false; error: BridgeError }> {
  const res = await openGet(api, path, accept).response;
  const text = await readText(res);
  const code = res.statusCode ?? 0;
  if (code >= 400) return { ok: false, error: statusError(code, text) };
  return { ok: true, value: JSON.parse(text) as T };
}
