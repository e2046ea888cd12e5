// The UI bridge's shells against a real sandbox node: a shell in a pod's container over pods/exec (the API server's
// WebSocket, v5.channel.k8s.io) with tty, input, resize, output and exit code; /bin/bash missing falls back to /bin/sh;
// a container with no shell says so; output is held back past the window the terminal has not acknowledged; and a
// shell on the node itself over Flotilla's SSH connection is that node's.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../../main/api/types';
import type { BridgeEvents } from '../../../main/bridge/contract';
import { bridgeDepsOf, createBridgeSession, type BridgeSession } from '../../../main/bridge/handlers';
import { HIGH_WATER } from '../../../main/bridge/shells';
import { R } from '../../../main/client/refs';
import { waitFor } from '../../helpers/cluster';
import { skipWithoutAgent, sandboxCluster } from './support';
import { bridgeCalls } from '../../helpers/bridge-calls';

const HELLO = 'docker.io/flotilla/hello:1';
const PAUSE = 'docker.io/flotilla/pause:1';
type P = Pod & KObject;

describe.skipIf(skipWithoutAgent)('bridge shells on a sandbox node', () => {
  const { c, ok } = sandboxCluster(12);
  let session: BridgeSession;
  const output = new Map<string, Buffer[]>();
  const ends = new Map<string, BridgeEvents['shell']['end']>();
  let node = '';

  const { call, ok: value } = bridgeCalls(() => session);
  const text = (id: string): string => Buffer.concat(output.get(id) ?? []).toString('utf8');
  const bytes = (id: string): number => (output.get(id) ?? []).reduce((n, b) => n + b.length, 0);
  const type = (id: string, s: string): Promise<null> => value('shellInput', { sessionId: id, dataBase64: Buffer.from(s).toString('base64') });

  beforeAll(async () => {
    session = createBridgeSession(bridgeDepsOf(c.core), (name, payload) => {
      if (name !== 'shell') return;
      const p = payload as BridgeEvents['shell'];
      const list = output.get(p.sessionId) ?? [];
      list.push(Buffer.from(p.dataBase64, 'base64'));
      output.set(p.sessionId, list);
      if (p.end) ends.set(p.sessionId, p.end);
    });
    node = (await c.client.list<KObject>(R.nodes)).items[0]?.metadata?.name ?? '';
    await ok(['run', 'web', `--image=${HELLO}`, '--restart=Never']);
    await ok(['run', 'bare', `--image=${PAUSE}`, '--restart=Never', '--image-pull-policy=Never']);
    for (const name of ['web', 'bare']) {
      await waitFor(async () => (await c.client.get<P>(R.pods, name, 'default')).status?.containerStatuses?.[0]?.state?.running, `${name} running`, 90_000, 200);
    }
    return () => session.dispose();
  }, 180_000);

  it('a shell in a container: /bin/sh when there is no bash, hostname, resize, exit code', async () => {
    const { sessionId: id, command } = await value('shellStart', { target: { type: 'pod', namespace: 'default', pod: 'web' }, cols: 80, rows: 24 });
    // Once in a CI run (2026-12-06) the missing /bin/bash was taken for a started shell within 154 ms, cause unknown:
    // what that session said and how it ended, should it happen again.
    expect(command, `output ${JSON.stringify(text(id))}, end ${JSON.stringify(ends.get(id))}`).toBe('/bin/sh');
    await type(id, 'hostname\r');
    await waitFor(() => /\r\nweb\r\n/.test(text(id)), 'hostname in the output', 20_000);
    await value('shellResize', { sessionId: id, cols: 132, rows: 40 });
    await type(id, 'stty size\r');
    await waitFor(() => text(id).includes('40 132'), 'the new size inside the container', 20_000);
    await type(id, 'exit 3\r');
    await waitFor(() => ends.get(id), 'the end of the session', 20_000);
    expect(ends.get(id)).toEqual({ exitCode: 3 });
    // A session that has ended takes no more input.
    const after = await call('shellInput', { sessionId: id, dataBase64: '' });
    expect(after.ok ? undefined : after.error.code).toBe(404);
  });

  it('a container without a shell says so; bad requests and missing pods get clear errors', async () => {
    const none = await call('shellStart', { target: { type: 'pod', namespace: 'default', pod: 'bare' }, cols: 80, rows: 24 });
    expect(none).toEqual({ ok: false, error: { code: 404, reason: 'NoShell', message: 'This container has no shell (tried /bin/bash, /bin/sh)' } });
    const missing = await call('shellStart', { target: { type: 'pod', namespace: 'default', pod: 'nope' }, cols: 80, rows: 24 });
    expect(missing).toEqual({ ok: false, error: { code: 404, reason: 'NotFound', message: 'pods "nope" not found' } });
    const badSize = await call('shellStart', { target: { type: 'pod', namespace: 'default', pod: 'web' }, cols: 0, rows: 24 });
    expect(badSize).toEqual({ ok: false, error: { code: 400, reason: 'BadRequest', message: 'cols must be a whole number from 1 to 2000' } });
    const badTarget = await call('shellStart', { target: { type: 'vm' } as never, cols: 80, rows: 24 });
    expect(badTarget.ok ? '' : badTarget.error.message).toBe('target.type must be "pod" or "node"');
  });

  it('holds output back while the terminal has not acknowledged it, and goes on once it has', async () => {
    const { sessionId: id } = await value('shellStart', { target: { type: 'pod', namespace: 'default', pod: 'web' }, cols: 80, rows: 24 });
    const total = 4 * HIGH_WATER;
    await type(id, `head -c ${total} /dev/zero | tr '\\0' x; echo; echo DONE-$((6*7))\r`);
    await waitFor(() => bytes(id) >= HIGH_WATER, 'the first window of output', 30_000);
    // Nothing acknowledged: the output stops near the window (what was in flight still arrives), far from the total.
    let last = -1;
    await waitFor(() => {
      const now = bytes(id);
      const still = now === last;
      last = now;
      return still;
    }, 'the output to stop', 20_000, 500);
    expect(bytes(id)).toBeLessThan(total / 2);
    expect(text(id)).not.toContain('DONE-42');
    await waitFor(async () => {
      await value('shellAck', { sessionId: id, bytes: bytes(id) });
      return text(id).includes('DONE-42');
    }, 'the rest of the output once acknowledged', 60_000, 100);
    expect(text(id).split('x').length - 1).toBeGreaterThanOrEqual(total);
    await value('shellStop', { sessionId: id });
  });

  it('a shell on the node over its SSH connection is that node\'s', async () => {
    const { sessionId: id, command } = await value('shellStart', { target: { type: 'node', node }, cols: 100, rows: 30 });
    expect(command).toBe('ssh');
    await type(id, 'echo "host=$(hostname)"; stty size\r');
    await waitFor(() => text(id).includes(`host=${node}\r\n`), 'the node\'s hostname', 20_000);
    await waitFor(() => text(id).includes('30 100'), 'the terminal size on the node', 20_000);
    await value('shellResize', { sessionId: id, cols: 90, rows: 20 });
    await type(id, 'stty size; exit 0\r');
    await waitFor(() => ends.get(id), 'the end of the node shell', 20_000);
    expect(text(id)).toContain('20 90');
    expect(ends.get(id)).toEqual({ exitCode: 0 });
    const other = await call('shellStart', { target: { type: 'node', node: 'not-a-node' }, cols: 80, rows: 24 });
    expect(other.ok ? '' : other.error.message).toBe('node not-a-node is not one of Flotilla\'s machines: there is no SSH connection to it');
  });
});
