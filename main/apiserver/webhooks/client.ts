// Posting an AdmissionReview to a webhook over HTTPS: clientConfig.url (its caBundle, else the host's trust) or
// clientConfig.service (https://<name>.<namespace>.svc:<port><path>, reached through the ServiceDialer), with the
// webhook's timeout. Failures are worded as Go's HTTP client words them (`Post "URL?timeout=10s": ...`).
import type { IncomingMessage } from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import type { WebhookClientConfig } from '../../api/types';
import type { ServiceDialer } from './types';
import { goDialError } from '../go-dial-error';

/** The URL a webhook is posted to, with the `?timeout=` the API server's client adds. */
export function webhookUrl(cc: WebhookClientConfig, timeoutSeconds: number): string {
  let base: string;
  if (cc.url) base = cc.url;
  else {
    const s = cc.service!;
    const path = s.path ?? '';
    base = `https://${s.name}.${s.namespace}.svc:${s.port ?? 443}${path.startsWith('/') || path === '' ? path : `/${path}`}`;
  }
  return `${base}${base.includes('?') ? '&' : '?'}timeout=${timeoutSeconds}s`;
}

/** The dial's failure for `url` in Go's words. */
function goError(e: unknown, url: URL): string {
  const host = `${url.hostname.replace(/^\[|\]$/g, '')}:${url.port || '443'}`;
  const hostPort = host.includes(':') && url.hostname.startsWith('[') ? `[${url.hostname.slice(1, -1)}]:${url.port || '443'}` : host;
  return goDialError(e, hostPort, url.hostname);
}

export interface PostOptions {
  config: WebhookClientConfig;
  timeoutSeconds: number;
  body: unknown;
  dialService?: ServiceDialer;
}

/** The webhook's answer parsed, or an Error `Post "URL": cause`. */
export async function postReview(o: PostOptions): Promise<unknown> {
  const target = webhookUrl(o.config, o.timeoutSeconds);
  const url = new URL(target);
  const ca = o.config.caBundle ? Buffer.from(o.config.caBundle, 'base64').toString('utf8') : undefined;
  const payload = Buffer.from(JSON.stringify(o.body));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), o.timeoutSeconds * 1000);
  try {
    const socket = o.config.service ? await dialServiceTls(o, url, ca) : undefined;
    return await new Promise<unknown>((resolve, reject) => {
      let answer: IncomingMessage | undefined;
      const req = https.request(url, {
        method: 'POST', ca, signal: controller.signal, agent: socket ? undefined : false,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': payload.length },
        ...(socket ? { createConnection: () => socket } : {}),
      }, (res) => {
        answer = res;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code < 200 || code > 299) {
            reject(new Error(`the server responded with the status code ${code} but did not return more information`));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch (e) {
            reject(new Error(`decoding the response: ${(e as Error).message}`));
          }
        });
      });
      // The connection closing once the answer is whole (through a pod's tunnel, as an error) is no failure: its end is on its way.
      req.on('error', (e) => { if (!answer?.complete) reject(e); });
      req.end(payload);
    });
  } catch (e) {
    if (controller.signal.aborted) throw new Error(`Post "${target}": context deadline exceeded`);
    if (e instanceof Error && e.message.startsWith('decoding the response')) throw e;
    throw new Error(`Post "${target}": ${goError(e, url)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A TLS connection over the tunnel to one of the Service's endpoints, verified for `<name>.<namespace>.svc`. */
async function dialServiceTls(o: PostOptions, url: URL, ca: string | undefined): Promise<tls.TLSSocket> {
  const s = o.config.service!;
  if (!o.dialService) throw new Error(`service "${s.namespace}/${s.name}" is not reachable: no nodes`);
  const stream = await o.dialService(s.namespace, s.name, s.port ?? 443);
  return tls.connect({ socket: stream, ca, servername: url.hostname });
}
