// Kubernetes' remote command protocol for exec/attach (k8s.io/apimachinery/pkg/util/remotecommand), as
// both sides speak it: kubectl ↔ API server ↔ agent over WebSocket (v5/v4.channel.k8s.io, one byte of
// channel number before each message), and kubectl ↔ API server, agent ↔ containerd over SPDY
// (v4.channel.k8s.io, one SPDY stream per channel, named by its `streamtype` header).

/** WebSocket subprotocols, preferred first (StreamProtocolV5Name, StreamProtocolV4Name). */
export const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
/** The one SPDY exec protocol spoken: v4 (the Status JSON on the error stream, also on success). */
export const SPDY_EXEC_PROTOCOL = 'v4.channel.k8s.io';

/** Channel numbers in WebSocket messages; `close` (v5 only) is followed by the channel it half-closes. */
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

/** Which streams an exec/attach asked for (stderr is folded into stdout with a TTY). */
export interface ExecChannels { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }

export type ExecStreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

/** The SPDY streams an exec with these channels has, in the order client-go opens them. */
export function execStreamTypes(ch: ExecChannels): ExecStreamType[] {
  const t: ExecStreamType[] = ['error'];
  if (ch.stdin) t.push('stdin');
  if (ch.stdout) t.push('stdout');
  if (ch.stderr && !ch.tty) t.push('stderr');
  if (ch.tty) t.push('resize');
  return t;
}

/** One WebSocket message: the channel byte, then the payload. */
export function channelMessage(channel: number, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from([channel]), data]);
}
