// A real HTTPS admission webhook for tests (on loopback unless told a host): its own CA and certificate made with
// openssl (for 127.0.0.1 and the DNS names given, e.g. a Service's `<name>.<namespace>.svc`), one handler per path
// answering AdmissionReviews, and every review it got. Stopped by the test.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';

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
  caPem: string;
  url(p: string): string;
  reviews: ReviewRequest[];
  stop(): Promise<void>;
}

/** A CA and a server certificate for 127.0.0.1 and `dnsNames`, as PEM. */
export function makeCertificates(dnsNames: string[]): { caCertPem: string; serverCertPem: string; serverKeyPem: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-webhook-'));
  try {
    const f = (n: string) => path.join(dir, n);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    execFileSync('openssl', ['req', '-x509', ...ec, '-keyout', f('ca.key'), '-out', f('ca.crt'), '-subj', '/CN=flotilla-webhook-test-ca', '-days', '1'], { stdio: 'ignore' });
    execFileSync('openssl', ['req', ...ec, '-keyout', f('tls.key'), '-out', f('tls.csr'), '-subj', '/CN=flotilla-webhook-test'], { stdio: 'ignore' });
    const san = ['IP:127.0.0.1', ...dnsNames.map((d) => `DNS:${d}`)].join(',');
    fs.writeFileSync(f('ext.cnf'), `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
    execFileSync('openssl', ['x509', '-req', '-in', f('tls.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('tls.crt'),
      '-days', '1', '-extfile', f('ext.cnf')], { stdio: 'ignore' });
    return { caCertPem: fs.readFileSync(f('ca.crt'), 'utf8'), serverCertPem: fs.readFileSync(f('tls.crt'), 'utf8'), serverKeyPem: fs.readFileSync(f('tls.key'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function startWebhookServer(
  handlers: Record<string, (r: ReviewRequest) => WebhookAnswer>, opts: { host?: string; dnsNames?: string[] } = {},
): Promise<WebhookServer> {
  const pki = makeCertificates(opts.dnsNames ?? []);
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
  await new Promise<void>((resolve) => server.listen(0, opts.host ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port, reviews,
    caBundle: Buffer.from(pki.caCertPem).toString('base64'), caPem: pki.caCertPem,
    url: (p) => `https://127.0.0.1:${port}${p}`,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
