// A real HTTPS CRD conversion webhook for tests, on loopback unless told a host, with its own CA (webhook-server.ts's
// certificates, for 127.0.0.1 and the DNS names given, e.g. a Service's `<name>.<namespace>.svc`): it
// answers apiextensions.k8s.io/v1 ConversionReviews with what the test's `convert` makes of each object, or
// misbehaves as `mode` says; every review it got is kept. Stopped by the test.
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { makeCertificates } from './webhook-server';

export interface ConversionRequest {
  uid: string;
  desiredAPIVersion: string;
  objects: Array<Record<string, unknown>>;
}

/** ok: converts; fail: result Failure; wrong-uid; rename: changes each object's name; stale-version: answers in the old version. */
export type ConversionMode = 'ok' | 'fail' | 'wrong-uid' | 'rename' | 'stale-version';

export interface ConversionWebhook {
  port: number;
  caBundle: string;
  url(p: string): string;
  reviews: ConversionRequest[];
  mode: ConversionMode;
  stop(): Promise<void>;
}

export async function startConversionWebhook(
  convert: (obj: Record<string, unknown>, desired: string) => Record<string, unknown>, opts: { host?: string; dnsNames?: string[] } = {},
): Promise<ConversionWebhook> {
  const pki = makeCertificates(opts.dnsNames ?? []);
  const sockets = new Set<Socket>();
  const hook: ConversionWebhook = {
    port: 0, caBundle: Buffer.from(pki.caCertPem).toString('base64'), reviews: [], mode: 'ok', url: () => '', stop: async () => undefined,
  };
  const server = https.createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { apiVersion: string; request: ConversionRequest };
      const r = review.request;
      hook.reviews.push(r);
      const answer = (response: Record<string, unknown>) =>
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ apiVersion: review.apiVersion, kind: 'ConversionReview', response }));
      const converted = r.objects.map((o) => convert(structuredClone(o), r.desiredAPIVersion));
      switch (hook.mode) {
        case 'fail':
          answer({ uid: r.uid, result: { status: 'Failure', message: 'widgets cannot be converted today' } });
          return;
        case 'wrong-uid':
          answer({ uid: 'not-the-request', convertedObjects: converted, result: { status: 'Success' } });
          return;
        case 'rename':
          answer({ uid: r.uid, convertedObjects: converted.map((o) => ({ ...o, metadata: { ...(o.metadata as object), name: 'another' } })), result: { status: 'Success' } });
          return;
        case 'stale-version':
          answer({ uid: r.uid, convertedObjects: r.objects, result: { status: 'Success' } });
          return;
        default:
          answer({ uid: r.uid, convertedObjects: converted, result: { status: 'Success' } });
      }
    });
  });
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, opts.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  hook.port = port;
  hook.url = (p: string) => `https://127.0.0.1:${port}${p}`;
  hook.stop = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    server.close(() => resolve());
  });
  return hook;
}
