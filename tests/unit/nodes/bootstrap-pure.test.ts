// Pure parts of the node layer: AgentConfig from a machine, service commands, sshd config, sandbox names.
import { describe, expect, it } from 'vitest';
import { agentConfigFor } from '../../../main/nodes/bootstrap';
import { isRunningCmd, startCmd, stopCmd, SUPERVISE_SCRIPT } from '../../../main/nodes/node-services';
import { sshdConfig } from '../../../main/nodes/providers/sandbox/sshd';
import { vethName } from '../../../main/nodes/providers/sandbox/node-state';
import { forwardChain } from '../../../main/nodes/providers/sandbox/host';
import { DEFAULT_SANDBOX_CONFIG } from '../../../main/nodes/providers/sandbox/config';
import type { MachineInfo } from '../../../main/nodes/types';

const machine: MachineInfo = { name: 'node-1', provider: 'sandbox', state: 'Running', internalIP: '10.251.0.2', cgroupParent: '/flotilla-node-1', services: 'supervise', cniBridge: 'flotilc2', nodeBinary: '/usr/bin/node' };

describe('agent config', () => {
  it('points the agent at the tunnelled API server and the node-local paths', () => {
    const c = agentConfigFor({ machine, agentBundle: 'a.js', imageTarballs: ['/d/images/pause.tar'], token: 'tok', caCertPem: 'CA', serverToken: 'st', progress: () => undefined });
    expect(c).toMatchObject({
      nodeName: 'node-1', apiServer: 'https://127.0.0.1:6443', token: 'tok', nodeIP: '10.251.0.2', listenAddress: '127.0.0.1:10250', serverToken: 'st',
      containerdSocket: '/run/containerd/containerd.sock', cgroupParent: '/flotilla-node-1', bridgeName: 'flotilc2', clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16',
      imageTarballs: ['/var/lib/flotilla/images/pause.tar'], nodeLabels: { 'flotilla.dev/provider': 'sandbox' },
    });
  });
});

describe('node services', () => {
  it('supervise: starts detached once (flock), checks by pidfile, stops with TERM', () => {
    const s = startCmd('supervise', { name: 'agent', argv: ['/usr/bin/node', '/var/lib/flotilla/agent.js', '--config', '/etc/flotilla/agent.json'] });
    expect(s).toContain('setsid -f /bin/sh');
    expect(s).toContain('\'/var/lib/flotilla/bin/supervise\' \'agent\' \'/usr/bin/node\'');
    expect(isRunningCmd('supervise', 'agent')).toContain('/var/lib/flotilla/run/agent.pid');
    expect(stopCmd('supervise', 'agent')).toContain('kill -TERM');
    expect(SUPERVISE_SCRIPT).toContain('flock -n 9 || exit 0');
    // The environment is the supervisor's, so each restart of the service has it too.
    const withEnv = startCmd('supervise', { name: 'agent', argv: ['/usr/bin/node'], env: { MALLOC_MMAP_THRESHOLD_: '131072' } });
    expect(withEnv).toContain('env MALLOC_MMAP_THRESHOLD_=\'131072\' setsid -f /bin/sh');
    // Run for real in supervise-script.test.ts.
  });

  it('systemd: writes a unit with Restart=always and enables it', () => {
    const s = startCmd('systemd', { name: 'containerd', argv: ['containerd', '--config', '/etc/flotilla/containerd.toml'] });
    expect(s).toContain('/etc/systemd/system/flotilla-containerd.service');
    expect(s).toContain('Restart=always');
    // Restarted for ever (no start limit), waiting 1 s doubling to 30 s while it keeps failing.
    expect(s).toContain('StartLimitIntervalSec=0');
    expect(s).toContain('RestartSteps=5');
    expect(s).toContain('RestartMaxDelaySec=30');
    expect(s).toContain('systemctl enable --now flotilla-containerd');
    const withEnv = startCmd('systemd', { name: 'agent', argv: ['/usr/bin/node'], env: { MALLOC_MMAP_THRESHOLD_: '131072' } });
    expect(withEnv).toMatch(/Environment=PATH=\S+\nEnvironment=MALLOC_MMAP_THRESHOLD_=131072\nExecStart=\/usr\/bin\/node\n/);
  });
});

describe('sandbox naming and sshd', () => {
  it('sshd listens on the node IP, allows forwarding, honours client-specified bind addresses', () => {
    const c = sshdConfig('10.251.0.2');
    expect(c).toContain('ListenAddress 10.251.0.2:22');
    expect(c).toContain('AllowTcpForwarding yes');
    expect(c).toContain('GatewayPorts clientspecified');
    expect(c).toContain('StrictModes yes');
    expect(c).toContain('PasswordAuthentication no');
  });

  it('host-side names carry the prefix and fit the kernel limits', () => {
    const v = vethName(DEFAULT_SANDBOX_CONFIG, 'a-very-long-node-name-indeed');
    expect(v.startsWith('flotilla')).toBe(true);
    expect(v.length).toBeLessThanOrEqual(15);
    expect(vethName(DEFAULT_SANDBOX_CONFIG, 'node-1')).not.toBe(vethName(DEFAULT_SANDBOX_CONFIG, 'node-2'));
    expect(forwardChain(DEFAULT_SANDBOX_CONFIG).startsWith('FLOTILLA-')).toBe(true);
  });
});
