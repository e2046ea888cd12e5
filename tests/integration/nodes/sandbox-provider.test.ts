// The sandbox provider on real namespaces: create a node, ssh2 in with the pinned host key, run a
// command, start containerd (bootstrap up to containerd) and ask its CRI for Version, from the host
// and inside; a wrong host key is refused; delete → the host is clean.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxProvider } from '../../../main/nodes/providers/sandbox/provider';
import { nodePids } from '../../../main/nodes/providers/sandbox/cgroup';
import { readNodeState } from '../../../main/nodes/providers/sandbox/node-state';
import { connectSsh } from '../../../main/nodes/ssh';
import { generateKeyPair } from '../../../main/nodes/keys';
import { bootstrapNode } from '../../../main/nodes/bootstrap';
import { imageTarballs } from '../../../main/nodes/artifacts';
import { downMachines } from '../../../main/nodes/down';
import { CriClient } from '../../../vm-images/agent/cri/client';
import type { MachineInfo } from '../../../main/nodes/types';
import { leftovers, skipNodes, uniqueSandbox } from './support';
import { waitFor } from '../../helpers/wait';

describe.skipIf(skipNodes)('sandbox provider', () => {
  const cfg = uniqueSandbox(0);
  let dir: string;
  let dataDir: string;
  let p: SandboxProvider;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-nodes-'));
    dataDir = path.join(dir, 'data');
    p = new SandboxProvider({ dataDir, config: cfg });
  });

  afterAll(async () => {
    await downMachines(dataDir);
    const left = leftovers(cfg, dataDir);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(left).toEqual([]);
  });

  it('is available as root on Linux', async () => {
    expect(await p.available()).toMatchObject({ ok: true });
  });

  it('creates a node reachable over ssh2 with the pinned host key, runs containerd inside, and deletes it cleanly', async () => {
    const steps: string[] = [];
    const info: MachineInfo = await p.create({ name: 'pn1', cpus: 1, memoryMiB: 512, diskGiB: 1 }, (m) => steps.push(m));
    expect(steps.length).toBeGreaterThan(0);
    expect(info.internalIP).toMatch(/^10\.251\.\d+\.2$/);
    expect(info.ssh?.hostKey).toMatch(/^ssh-ed25519 /);
    const s = await connectSsh(info.ssh!);
    try {
      const r = await s.exec('hostname; ip -4 -o addr show dev eth0; cat /proc/self/cgroup');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('pn1\n');
      expect(r.stdout).toContain(`${info.internalIP}/24`);
      expect(r.stdout).toContain(`/${cfg.prefix}-pn1`);

      await bootstrapNode(s, {
        machine: info, agentBundle: '/nonexistent', imageTarballs: await imageTarballs(dataDir),
        token: 't', caCertPem: 'ca', serverToken: 'st', startAgent: false, progress: () => undefined,
      });
      const inside = await s.run('PATH=/usr/sbin:/usr/bin:/sbin:/bin ctr --address /run/containerd/containerd.sock version');
      expect(inside).toContain('Server:');
      const cri = new CriClient(p.hostPath('pn1', '/run/containerd/containerd.sock'));
      try {
        expect(await cri.version(5000)).toMatchObject({ runtime_name: 'containerd', runtime_api_version: 'v1' });
      } finally {
        cri.close();
      }
      // containerd lives in the node's cgroup, not as a child of this process.
      const pid = Number((await s.run('cat /var/lib/flotilla/run/containerd.pid')).trim());
      expect(fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8')).toContain(`/${cfg.prefix}-pn1`);

      // Bootstrapping again changes nothing on a healthy node (same supervisor, nothing re-uploaded)…
      const input = { machine: info, agentBundle: '/nonexistent', imageTarballs: await imageTarballs(dataDir), token: 't', caCertPem: 'ca', serverToken: 'st', startAgent: false, progress: () => undefined };
      await bootstrapNode(s, input);
      expect(Number((await s.run('cat /var/lib/flotilla/run/containerd.pid')).trim())).toBe(pid);
      // …and finishes a half-bootstrapped one: a lost config and a dead containerd come back.
      await s.run('rm -f /etc/flotilla/containerd.toml /var/lib/flotilla/images/hello.tar; kill -TERM $(cat /var/lib/flotilla/run/containerd.pid)');
      await bootstrapNode(s, input);
      expect(await s.run('ls /etc/flotilla/containerd.toml /var/lib/flotilla/images/hello.tar')).toContain('hello.tar');
      const pid2 = Number((await s.run('cat /var/lib/flotilla/run/containerd.pid')).trim());
      expect(pid2).not.toBe(pid);
      expect(await s.run('PATH=/usr/sbin:/usr/bin:/sbin:/bin ctr --address /run/containerd/containerd.sock version')).toContain('Server:');
    } finally {
      s.close();
    }

    // Starting a running node whose sshd is slow to answer (here: its SYNs dropped for a while, as a busy host can hold
    // a starting control plane past a short connect timeout) waits for it and leaves the node as it is: a rebuild
    // would kill every pod on it.
    const state = readNodeState(dataDir, 'pn1')!;
    const containerdPid = (): number => Number(fs.readFileSync(p.hostPath('pn1', '/var/lib/flotilla/run/containerd.pid') ?? '', 'utf8').trim());
    const before = containerdPid();
    expect(nodePids(state.cgroup)).toContain(before);
    const rule = ['-p', 'tcp', '--dport', '22', '-j', 'DROP'];
    execFileSync('ip', ['netns', 'exec', state.netns, 'iptables', '-w', '-I', 'INPUT', ...rule]);
    let dropped = true;
    try {
      const started = p.start('pn1');
      const dropCount = (): number => Number(/^\s*(\d+)/m.exec(execFileSync('ip', ['netns', 'exec', state.netns, 'iptables', '-w', '-L', 'INPUT', '-v', '-x', '-n'], { encoding: 'utf8' })
        .split('\n').find((l) => l.includes('DROP') && l.includes('dpt:22')) ?? '')?.[1] ?? 0);
      // Unanswered until the start has tried twice (a connect and its SYN's retransmission).
      await waitFor(() => dropCount() >= 2, 'two SYNs to the node\'s sshd dropped', 10_000, 50);
      execFileSync('ip', ['netns', 'exec', state.netns, 'iptables', '-w', '-D', 'INPUT', ...rule]);
      dropped = false;
      expect((await started).internalIP).toBe(info.internalIP);
    } finally {
      if (dropped) execFileSync('ip', ['netns', 'exec', state.netns, 'iptables', '-w', '-D', 'INPUT', ...rule]);
    }
    // The same containerd, still running in the node's cgroup (a rebuild kills every process there and starts none).
    expect(containerdPid()).toBe(before);
    expect(nodePids(state.cgroup)).toContain(before);

    const wrong = { ...info.ssh!, hostKey: generateKeyPair('other').publicKey };
    await expect(connectSsh(wrong)).rejects.toThrow(/does not match the pinned key/);

    await p.delete('pn1');
    expect(leftovers(cfg, dataDir).filter((l) => !l.startsWith('link ' + cfg.bridge) && !l.startsWith('route') && !l.startsWith('claim '))).toEqual([]); // the data dir's bridge and network stay until down
    expect(fs.existsSync(path.join(dataDir, 'sandbox', 'nodes', 'pn1'))).toBe(false);
  });
});
