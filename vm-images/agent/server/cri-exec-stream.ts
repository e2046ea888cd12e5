// The client side of containerd's CRI streaming server for exec (the kubelet's remotecommand protocol
// v4.channel.k8s.io over SPDY/3.1): POST <url> with Upgrade: SPDY/3.1, then one SPDY stream per channel.
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { SpdySession, type SpdyStream } from '../../../main/protocol/spdy/session';
import { SPDY_EXEC_PROTOCOL, execStreamTypes, type ExecChannels } from '../../../main/protocol/exec-channels';

export interface ExecStreams {
  session: SpdySession;
  /** Carries the final Status JSON (v4: also on success). */
  error: SpdyStream;
  stdin?: SpdyStream;
  stdout?: SpdyStream;
  stderr?: SpdyStream;
  resize?: SpdyStream;
}

function upgrade(url: string): Promise<{ socket: Socket; head: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { Connection: 'Upgrade', Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': SPDY_EXEC_PROTOCOL, 'Content-Length': '0' },
    });
    req.on('upgrade', (res, socket, head) => {
      const negotiated = res.headers['x-stream-protocol-version'];
      if (negotiated !== undefined && negotiated !== SPDY_EXEC_PROTOCOL) {
        socket.destroy();
        reject(new Error(`runtime streaming server chose protocol ${String(negotiated)}`));
        return;
      }
      resolve({ socket, head });
    });
    req.on('response', (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => reject(new Error(`runtime streaming server refused the upgrade (${res.statusCode}): ${Buffer.concat(parts).toString().trim()}`)));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Connects to the URL CRI Exec returned and opens the streams the exec request asked for. */
export async function connectExecStreams(url: string, ch: ExecChannels): Promise<ExecStreams> {
  const { socket, head } = await upgrade(url);
  const session = new SpdySession(socket, 'client', head);
  session.on('error', () => undefined);
  try {
    // The order client-go uses: error, stdin, stdout, stderr, resize. Nothing is written on the read-only
    // ones (not even a FIN): the command may finish and the runtime close the connection at any moment now.
    const streams: ExecStreams = { session, error: await session.openStream({ streamtype: 'error' }) };
    for (const t of execStreamTypes(ch)) if (t !== 'error') streams[t] = await session.openStream({ streamtype: t });
    return streams;
  } catch (e) {
    session.close();
    throw e;
  }
}
