// A connection that goes in the middle of an answer (the control plane killed while it writes one) is a failed call,
// never a result: the client must not hand `undefined` to its caller as the object it wrote (seen after a control plane
// SIGKILL with the agent on HTTP/2: its pod status and events were taken as written, a pod stayed ContainerCreating).
// Against a TLS server on loopback that speaks both HTTP/2 and HTTP/1.1 and cuts its answers on purpose.
import * as http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCaAndServerCert } from '../../../main/apiserver/pki';
import { HttpClient } from '../../../main/client/http';
import { isUnreachable } from '../../../main/client/reachability';
import { R } from '../../../main/client/refs';

type Answer = (stream: { status: (code: number) => void; write: (s: string) => void; end: (s?: string) => void; cut: () => void }) => void;

let server: http2.Http2SecureServer;
let caCertPem = '';
let port = 0;
let answer: Answer = (a) => a.end('{}');

beforeAll(async () => {
  const pki = await makeCaAndServerCert({ ips: ['127.0.0.1'], dns: [] });
  caCertPem = pki.caCertPem;
  server = http2.createSecureServer({ cert: pki.certPem, key: pki.keyPem, allowHTTP1: true }, (req, res) => {
    req.resume();
    req.on('end', () => answer({
      status: (code) => { res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': 400 }); },
      write: (s) => res.write(s),
      end: (s) => { if (s === undefined) res.end(); else res.end(s); },
      // The connection goes, as when the server's process dies: the socket under HTTP/1.1, the whole session under HTTP/2.
      cut: () => {
        const stream = req.stream as http2.ServerHttp2Stream | undefined; // undefined under HTTP/1.1 (allowHTTP1)
        if (stream) stream.session?.destroy();
        else req.socket.destroy();
      },
    }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => { await new Promise<void>((r) => server?.close(() => r())); });

describe.each([
  { protocol: 'HTTP/1.1', http2: false },
  { protocol: 'HTTP/2', http2: true },
])('an answer cut short ($protocol)', ({ http2: h2 }) => {
  const client = (): HttpClient => new HttpClient({ server: `https://127.0.0.1:${port}`, token: 't', caCertPem, http2: h2, requestTimeoutMs: 5000 });

  it('fails the call as a dropped connection when the connection goes after the status and half the body', async () => {
    answer = (a) => {
      a.status(200);
      a.write('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"half"');
      setTimeout(a.cut, 50);
    };
    const c = client();
    try {
      const err = await c.create(R.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'half', namespace: 'default' } }).then(
        (v) => { throw new Error(`resolved with ${JSON.stringify(v)}`); }, (e: unknown) => e);
      expect(isUnreachable(err)).toBe(true);
    } finally {
      c.close();
    }
  });

  it.each([
    { what: 'no body at all', body: undefined, error: /GET \/api\/v1\/namespaces\/default\/configmaps\/x: HTTP 200 with an empty body/ },
    { what: 'a body that is not JSON', body: '<html>a proxy page</html>', error: /HTTP 200 with a body that is not a JSON object: <html>a proxy page/ },
  ])('fails the call when a 200 comes with $what', async ({ body, error }) => {
    answer = (a) => a.end(body);
    const c = client();
    try {
      await expect(c.get(R.configmaps, 'x', 'default')).rejects.toThrow(error);
    } finally {
      c.close();
    }
  });

  it('still returns what a whole answer carries', async () => {
    answer = (a) => a.end('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}');
    const c = client();
    try {
      expect((await c.get(R.configmaps, 'x', 'default')).metadata?.name).toBe('x');
    } finally {
      c.close();
    }
  });
});
