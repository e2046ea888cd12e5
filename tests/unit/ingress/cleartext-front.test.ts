// The front of a cleartext HTTP port (HTTP/2 prior knowledge to gRPC, the rest to HTTP/1.1): the HTTP/1.1 server
// behind it keeps Node's request timeouts though it never listens itself — a client that never finishes its headers
// is answered 408 and cut, as by a listening server.
import * as http from 'node:http';
import * as net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { GrpcProxy } from '../../../main/ingress/gateway/grpc';
import { planGateways } from '../../../main/ingress/gateway/attach';

const proxy = new GrpcProxy({
  plan: () => planGateways({ classes: [], gateways: [], routes: [], grants: [],
    namespace: () => undefined, service: () => undefined, secret: () => undefined }),
  grants: () => ({ grants: [], serviceExists: () => false }),
  pick: () => ({ problem: 'none' }), dial: () => Promise.reject(new Error('no pods')), log: () => undefined,
});
const http1 = http.createServer({ connectionsCheckingInterval: 50, headersTimeout: 200, requestTimeout: 300 }, (_req, res) => res.end('ok'));
const front = proxy.front(http1);

afterAll(() => { front.close(); proxy.close(); });

describe('the cleartext front', () => {
  it('serves HTTP/1.1 and times out a client that never finishes its headers', async () => {
    const port = await new Promise<number>((resolve) => front.listen(0, '127.0.0.1', () => resolve((front.address() as net.AddressInfo).port)));
    const ok = await new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
        let b = '';
        res.on('data', (d: Buffer) => (b += d.toString())).on('end', () => resolve(b));
      }).on('error', reject);
    });
    expect(ok).toBe('ok');
    const answer = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => s.write('GET / HTTP/1.1\r\nHost: slow\r\n'));
      let got = '';
      s.on('data', (d: Buffer) => (got += d.toString()));
      s.on('close', () => resolve(got));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
  });
});
