import { describe, expect, it } from 'vitest';
import { allocatableOf, capacityOf } from '../../../vm-images/agent/node/capacity';
import { nodeImages } from '../../../vm-images/agent/node/images';
import { goArch, nodeInfo, osImage } from '../../../vm-images/agent/node/node-info';
import { nodeLabels } from '../../../vm-images/agent/node/register';
import { microTime, rfc3339 } from '../../../vm-images/agent/node/time';
import { statusFingerprint } from '../../../vm-images/agent/node/node-status';
import { procCpuNanos, procMemInfo } from '../../../vm-images/agent/stats/host-usage';
import { parseAgentConfig } from '../../../vm-images/agent/config-file';
import { importedRefs } from '../../../vm-images/agent/node/image-import';

describe('node facts', () => {
  it('capacity and allocatable (minus the hard eviction thresholds)', () => {
    const c = { cpus: 2, memoryBytes: 4 * 2 ** 30, storageBytes: 100 * 2 ** 30 };
    expect(capacityOf(c)).toEqual({ cpu: '2', memory: '4194304Ki', pods: '110', 'ephemeral-storage': '104857600Ki' });
    expect(allocatableOf(c)).toEqual({ cpu: '2', memory: '4091904Ki', pods: '110', 'ephemeral-storage': '96636764160' });
  });

  it('nodeInfo from the CRI version: containerd://<version>, kubelet v1.32.0-flotilla', () => {
    const info = nodeInfo({ version: '0.1.0', runtime_name: 'containerd', runtime_version: 'v1.6.20', runtime_api_version: 'v1' });
    expect(info).toMatchObject({ containerRuntimeVersion: 'containerd://1.6.20', kubeletVersion: 'v1.32.0-flotilla', operatingSystem: 'linux', architecture: goArch() });
    expect(goArch('x64')).toBe('amd64');
    expect(goArch('arm64')).toBe('arm64');
    expect(osImage('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')).toBe('Debian GNU/Linux 12 (bookworm)');
  });

  it('labels: hostname, os, arch and the configured ones', () => {
    expect(nodeLabels('n1', { 'flotilla.dev/provider': 'sandbox' })).toMatchObject({
      'kubernetes.io/hostname': 'n1', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': goArch(), 'flotilla.dev/provider': 'sandbox',
    });
  });

  it('images: largest first, digests and tags, untagged dropped', () => {
    const img = (tags: string[], digests: string[], size: string) => ({ id: 'sha256:x', repo_tags: tags, repo_digests: digests, size, username: '', pinned: false });
    expect(nodeImages([img(['a:1'], ['a@sha256:1'], '10'), img([], [], '99'), img(['b:1'], [], '20')])).toEqual([
      { names: ['b:1'], sizeBytes: 20 }, { names: ['a@sha256:1', 'a:1'], sizeBytes: 10 },
    ]);
  });

  it('images of equal size: by image ID, descending (the kubelet\'s ByImageSize), whatever order ListImages gave', () => {
    const img = (id: string, tag: string) => ({ id, repo_tags: [tag], repo_digests: [], size: '10', username: '', pinned: false });
    const want = [{ names: ['c:1'], sizeBytes: 10 }, { names: ['b:1'], sizeBytes: 10 }, { names: ['a:1'], sizeBytes: 10 }];
    expect(nodeImages([img('sha256:a', 'a:1'), img('sha256:c', 'c:1'), img('sha256:b', 'b:1')])).toEqual(want);
    expect(nodeImages([img('sha256:b', 'b:1'), img('sha256:a', 'a:1'), img('sha256:c', 'c:1')])).toEqual(want);
  });

  it('timestamps: Time in seconds, MicroTime with six digits', () => {
    expect(rfc3339(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04:05Z');
    expect(microTime(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02T03:04:05.678000Z');
  });

  it('status fingerprint ignores heartbeats only', () => {
    const a = { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't1', lastTransitionTime: 't0' }] };
    const b = { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't2', lastTransitionTime: 't0' }] };
    const c = { conditions: [{ type: 'Ready', status: 'False', lastHeartbeatTime: 't2', lastTransitionTime: 't2' }] };
    expect(statusFingerprint(a)).toBe(statusFingerprint(b));
    expect(statusFingerprint(a)).not.toBe(statusFingerprint(c));
  });

  it('image references from ctr import output', () => {
    expect(importedRefs('unpacking docker.io/flotilla/hello:1 (sha256:ee)...done\nunpacking docker.io/flotilla/pause:1 (sha256:8c)...done\n'))
      .toEqual(['docker.io/flotilla/hello:1', 'docker.io/flotilla/pause:1']);
  });

  it('/proc parsing', () => {
    expect(procCpuNanos('cpu  100 5 50 1000 20 3 2 1 0 0\ncpu0 1 2 3\n')).toBe((100 + 5 + 50 + 3 + 2 + 1) * 1e7);
    expect(procMemInfo('MemTotal:  1000 kB\nMemFree:  200 kB\nMemAvailable: 600 kB\nInactive(file): 100 kB\n'))
      .toEqual({ totalBytes: 1024000, freeBytes: 204800, availableBytes: 614400, inactiveFileBytes: 102400 });
  });

  it('config parsing narrows unknown JSON and names the bad field', () => {
    const good = {
      nodeName: 'n', apiServer: 'https://127.0.0.1:6443', token: 't', caCertPem: 'pem', nodeIP: '10.0.0.2', listenAddress: '127.0.0.1:10250',
      serverToken: 's', containerdSocket: '/run/c.sock', stateDir: '/s', logDir: '/l', cniConfDir: '/c', cniBinDir: '/b', cniDataDir: '/d',
      bridgeName: 'br', clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16', cgroupParent: '', imageTarballs: [], leaseRenewSeconds: 10,
    };
    expect(parseAgentConfig(JSON.stringify(good)).nodeName).toBe('n');
    expect(() => parseAgentConfig(JSON.stringify({ ...good, token: 1 }))).toThrow('token must be a string');
    expect(() => parseAgentConfig(JSON.stringify({ ...good, imageTarballs: [1] }))).toThrow('imageTarballs');
    expect(() => parseAgentConfig(JSON.stringify({ ...good, leaseRenewSeconds: '10' }))).toThrow('leaseRenewSeconds');
    expect(() => parseAgentConfig('[]')).toThrow('not a JSON object');
    expect(parseAgentConfig(JSON.stringify({ ...good, servingCertPem: 'C', servingKeyPem: 'K' })).servingKeyPem).toBe('K');
    expect(() => parseAgentConfig(JSON.stringify({ ...good, servingCertPem: 'C' }))).toThrow('servingCertPem and servingKeyPem go together');
  });
});
