// A real HTTPS admission webhook on loopback for tests: its own CA (made by the API server's PKI code in a temp
// dir), one handler per path answering AdmissionReviews, and every review it got. Stopped by the test.
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { ensurePki } from '../../main/apiserver/pki';

export interface ReviewRequest {
  uid: string;
  operation: string;
  name?: string;
  namespace?: string;
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subResource?: string;
  dryRun?: boolean;
  userInfo: { username?: string; groups?: string[] };
  object?: { metadata?: { name?: string; labels?: Record<string, string> } } | null;
  oldObject?: unknown;
  options?: { kind?: string } | null;
}

/** What a handler answers (uid is filled in); `hang` never answers. */
export type WebhookAnswer = { allowed: boolean; status?: { code?: number; message?: string; reason?: string }; patch?: unknown[]; warnings?: string[] } | 'hang';

export interface WebhookServer {
  port: number;
  /** The CA bundle (base64 PEM) for clientConfig.caBundle. */
  caBundle: string;
  url(p: string): string;
  reviews: ReviewRequest[];
  stop(): Promise<void>;
}

export async function startWebhookServer(handlers: Record<string, (r: ReviewRequest) => WebhookAnswer>): Promise<WebhookServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-webhook-'));
  const pki = await ensurePki(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  const reviews: ReviewRequest[] = [];
  const sockets = new Set<Socket>();
  const server = https.createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: ReviewRequest };
      reviews.push(review.request);
      const handler = handlers[(req.url ?? '').split('?')[0]];
      if (!handler) { res.writeHead(404).end(); return; }
      const answer = handler(review.request);
      if (answer === 'hang') return;
      const { patch, ...rest } = answer;
      const response = { uid: review.request.uid, ...rest, ...(patch ? { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') } : {}) };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
    });
  });
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port, reviews,
    caBundle: Buffer.from(pki.caCertPem).toString('base64'),
    url: (p) => `https://127.0.0.1:${port}${p}`,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
