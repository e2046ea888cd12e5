// What a proxy passes on of a message's headers (RFC 9110 §7.6.1): the API server's pods/proxy and the ingress proxy.
import { describe, expect, it } from 'vitest';
import { endToEndHeaders } from '../../../main/protocol/hop-by-hop';

describe('endToEndHeaders', () => {
  it('drops the hop-by-hop headers, those the Connection header names and HTTP/2 pseudo-headers', () => {
    expect(endToEndHeaders({
      ':method': 'GET', ':path': '/', host: 'shop.localhost', accept: 'text/html', connection: 'keep-alive, X-Session-Hint',
      'keep-alive': 'timeout=5', 'x-session-hint': 'a', te: 'trailers', 'transfer-encoding': 'chunked', 'proxy-authorization': 'Basic eA==',
      upgrade: 'websocket', 'set-cookie': ['a=1', 'b=2'],
    })).toEqual({ host: 'shop.localhost', accept: 'text/html', 'set-cookie': ['a=1', 'b=2'] });
  });

  it('drops what the caller names and keeps the hop-by-hop headers an upgrade carries on', () => {
    expect(endToEndHeaders({ authorization: 'Bearer t', connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' },
      new Set(['authorization']), new Set(['connection', 'upgrade'])))
      .toEqual({ connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' });
  });
});
