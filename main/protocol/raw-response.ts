// A whole HTTP/1.1 response written on a socket no http.ServerResponse owns (an upgrade refused, a request Node's
// parser refused), then the connection closed. Shared by the API server, the ingress proxy and the node agent.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** `reason`: the status line's phrase (HTTP's own for the code unless given); `headers`: any before Content-Type. */
export function endWithResponse(
  socket: Duplex, status: number, type: string, body: string, opts: { reason?: string; headers?: Record<string, string> } = {},
): void {
  const reason = opts.reason ?? STATUS_CODES[status] ?? '';
  const extra = Object.entries(opts.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${extra}Content-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
