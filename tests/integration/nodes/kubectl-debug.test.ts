// kubectl debug and kubectl attach on a real sandbox node (containerd, runc, the real agent bundle):
// an ephemeral container joins a running pod in its target container's PID namespace, runs, is reported
// in status.ephemeralContainerStatuses and has readable logs; `kubectl debug -i` attaches to it (pods/attach);
// `kubectl debug node/NAME` creates its protobuf-encoded host-namespace pod with the node's / at /host.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import { R } from '../../../main/client/refs';
import type { KObject } from '../../../main/api/types';
import { waitFor } from '../../helpers/cluster';
import { interactiveKubectl, type Interactive } from '../../helpers/interactive';
import { skipWithoutAgent, sandboxCluster } from './support';

const HELLO = 'docker.io/flotilla/hello:1';
const COUNTER = 'docker.io/flotilla/counter:1';
type P = Pod & KObject;

describe.skipIf(skipWithoutAgent)('kubectl debug and attach on a sandbox node', () => {
  const { c, ok } = sandboxCluster(3);
  let node = '';

  const pod = (name: string): Promise<P> => c.client.get<P>(R.pods, name, 'default');
  const ephemeralStatus = (p: P, name: string): ContainerStatus | undefined => p.status?.ephemeralContainerStatuses?.find((s) => s.name === name);

  const interactive = (args: string[], tty = false): Interactive => interactiveKubectl(c, args, tty);

  beforeAll(async () => {
    node = await waitFor(async () => {
      const nodes = (await c.client.list<KObject>(R.nodes)).items;
      const ready = nodes.find((n) => ((n.status as { conditions?: Array<{ type: string; status: string }> }).conditions ?? []).some((x) => x.type === 'Ready' && x.status === 'True'));
      return ready?.metadata?.name;
    }, 'a Ready sandbox node', 120_000, 500);
    await ok(['run', 'target', `--image=${HELLO}`, '--restart=Never', '--overrides', JSON.stringify({ spec: { containers: [{ name: 'app', image: HELLO }] } })]);
    await waitFor(async () => (await pod('target')).status?.containerStatuses?.[0]?.state?.running, 'target running', 90_000, 200);
  }, 240_000);

  it('kubectl debug --target runs an ephemeral container in the target\'s PID namespace; status and logs', async () => {
    const out = await ok(['debug', 'target', `--image=${COUNTER}`, '--target=app', '-c', 'dbg', '--', 'sh', '-c', 'echo hi from debug; ps -o pid,args']);
    expect(out).toContain('Targeting container "app"');
    const p = await waitFor(async () => {
      const x = await pod('target');
      return ephemeralStatus(x, 'dbg')?.state?.terminated ? x : undefined;
    }, 'the ephemeral container to finish', 60_000, 200);
    const st = ephemeralStatus(p, 'dbg')!;
    expect(st).toMatchObject({ name: 'dbg', image: COUNTER, ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } });
    expect(st.containerID).toMatch(/^containerd:\/\//);
    // The pod itself is untouched: still Running and Ready.
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    const log = await ok(['logs', 'target', '-c', 'dbg']);
    expect(log).toContain('hi from debug');
    // PID 1 of the target's namespace is the hello server's shell, seen from the debug container.
    expect(log).toMatch(/^\s*1 \/bin\/sh \/serve\.sh/m);
    const jsonpath = await ok(['get', 'pod', 'target', '-o', 'jsonpath={.status.ephemeralContainerStatuses[0].name}']);
    expect(jsonpath).toBe('dbg');
  });

  it('kubectl debug -i attaches to the ephemeral container (pods/attach), stdin included', async () => {
    const k = interactive(['debug', '-i', 'target', `--image=${COUNTER}`, '--target=app', '-c', 'dbg2', '--', 'sh']);
    try {
      await k.until(/If you don't see a command prompt/, 'kubectl to attach');
      k.write('echo attached-$((40+2))\n');
      await k.until(/attached-42/, 'the command\'s output through the attach');
      k.write('exit 0\n');
      k.end();
      expect(await k.exited).toBe(0);
    } finally {
      k.kill();
    }
    const p = await waitFor(async () => {
      const x = await pod('target');
      return ephemeralStatus(x, 'dbg2')?.state?.terminated ? x : undefined;
    }, 'dbg2 to finish', 60_000, 200);
    expect(ephemeralStatus(p, 'dbg2')?.state?.terminated?.exitCode).toBe(0);
  });

  it('kubectl debug -it on a terminal: a shell in the target\'s PID namespace', async () => {
    // kubectl -t needs its stdin to be a terminal: script(1) gives it one.
    const k = interactive(['debug', '-it', 'target', `--image=${COUNTER}`, '--target=app', '-c', 'dbg3', '--', 'sh'], true);
    try {
      await k.until(/If you don't see a command prompt/, 'kubectl to attach');
      k.write('echo tty-$((6*7)) $(cat /proc/1/cmdline | tr "\\0" " ")\r');
      await k.until(/tty-42 \/bin\/sh \/serve\.sh/, 'the command\'s output through the terminal');
      k.write('exit\r');
      expect(await k.exited).toBe(0);
    } finally {
      k.kill();
    }
    const p = await waitFor(async () => {
      const x = await pod('target');
      return ephemeralStatus(x, 'dbg3')?.state?.terminated ? x : undefined;
    }, 'dbg3 to finish', 60_000, 200);
    expect((p.spec?.ephemeralContainers ?? []).find((e) => e.name === 'dbg3')).toMatchObject({ stdin: true, tty: true, targetContainerName: 'app' });
  });

  it('kubectl attach -i to a pod\'s stdin container', async () => {
    await ok(['run', 'reader', `--image=${COUNTER}`, '--restart=Never', '-i=false', '--overrides', JSON.stringify({
      spec: { containers: [{ name: 'r', image: COUNTER, stdin: true, stdinOnce: true, command: ['sh', '-c', 'while read l; do echo got:$l; done; echo bye'] }] },
    })]);
    await waitFor(async () => (await pod('reader')).status?.containerStatuses?.[0]?.state?.running, 'reader running', 60_000, 200);
    const out = await ok(['attach', '-i', 'reader', '-c', 'r'], 'one\ntwo\n', 60_000);
    expect(out).toContain('got:one');
    expect(out).toContain('got:two');
    await waitFor(async () => (await pod('reader')).status?.containerStatuses?.[0]?.state?.terminated, 'reader to end when its stdin closed (stdinOnce)', 30_000, 200);
    expect(await ok(['logs', 'reader'])).toContain('bye');
  });

  it('kubectl debug node/NAME: the protobuf Pod is created, runs in the host namespaces with the node\'s / at /host', async () => {
    const out = await ok(['debug', `node/${node}`, `--image=${COUNTER}`, '--', 'sh', '-c', 'ls /host; echo pid1=$(cat /proc/1/comm)']);
    const name = /Creating debugging pod (\S+) with container debugger on node/.exec(out)?.[1] ?? '';
    expect(name).toMatch(/^node-debugger-/);
    const p = await waitFor(async () => {
      const x = await pod(name);
      return x.status?.phase === 'Succeeded' || x.status?.phase === 'Failed' ? x : undefined;
    }, 'the node debugging pod to finish', 90_000, 200);
    expect(p.spec).toMatchObject({ nodeName: node, hostPID: true, hostNetwork: true, hostIPC: true });
    // kubectl's host-root volume, beside the service-account token volume admission adds to every pod.
    const volumeNames = (p.spec?.volumes ?? []).map((v) => v.name);
    expect(volumeNames).toHaveLength(2);
    expect(volumeNames).toContain('host-root');
    expect(volumeNames.some((n) => n.startsWith('kube-api-access-'))).toBe(true);
    expect(p.spec?.volumes?.find((v) => v.name === 'host-root')?.hostPath).toEqual({ path: '/' });
    expect(p.status?.phase).toBe('Succeeded');
    const log = await ok(['logs', name]);
    expect(log).toMatch(/^etc$/m);
    expect(log).toMatch(/^usr$/m);
    // hostPID: the debug container sees the node's processes, not a PID 1 of its own.
    expect(log).not.toContain('pid1=sh');
  });

  it('kubectl debug -i node/NAME attaches to the node debugging pod\'s shell', async () => {
    const k = interactive(['debug', '-i', `node/${node}`, `--image=${COUNTER}`, '--', 'sh']);
    try {
      await k.until(/If you don't see a command prompt/, 'kubectl to attach');
      k.write('echo node-$((2+3)) host-etc=$(test -d /host/etc && echo yes)\n');
      await k.until(/node-5 host-etc=yes/, 'the command\'s output through the attach');
      k.write('exit 0\n');
      k.end();
      expect(await k.exited).toBe(0);
    } finally {
      k.kill();
    }
  });
});
