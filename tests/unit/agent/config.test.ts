import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { containerdConfig, containerdPaths } from '../../../main/protocol/containerd-config';
import { containerConfig, sandboxConfig } from '../../../vm-images/agent/pods/runtime-config';

describe('containerd config', () => {
  it('carries the settings this machine needs, all paths under the root dir', () => {
    const toml = containerdConfig(containerdPaths('/n1'));
    for (const line of [
      'root = "/n1/root"', 'state = "/n1/state"', 'address = "/n1/containerd.sock"', 'sandbox_image = "docker.io/flotilla/pause:1"',
      'restrict_oom_score_adj = true', 'disable_apparmor = true', 'tolerate_missing_hugetlb_controller = true', 'netns_mounts_under_state_dir = true',
      'SystemdCgroup = false', 'Root = "/n1/runc"', 'bin_dir = "/usr/lib/cni"', 'conf_dir = "/n1/cni/net.d"',
    ]) expect(toml).toContain(line);
  });
});

describe('CRI configs from a Pod', () => {
  const pod: Pod = {
    metadata: { name: 'web', namespace: 'shop', uid: 'u1', labels: { app: 'web' }, annotations: { a: 'b' } },
    spec: { containers: [{ name: 'c', image: 'img:1', command: ['echo', '$(X)'], ports: [{ containerPort: 80, hostPort: 8080 }] }] },
  };
  it('labels the sandbox, sets hostname, logs, cgroup parent and cluster DNS', () => {
    const cfg = sandboxConfig(pod, 2, { logDir: '/logs', cgroupParent: '/flotilla', clusterDNS: ['10.96.0.10'], resolvConf: '' });
    expect(cfg.metadata).toEqual({ name: 'web', namespace: 'shop', uid: 'u1', attempt: 2 });
    expect(cfg.hostname).toBe('web');
    expect(cfg.log_directory).toBe('/logs/shop_web_u1');
    expect(cfg.labels).toMatchObject({ app: 'web', 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'shop', 'io.kubernetes.pod.uid': 'u1' });
    expect(cfg.annotations).toEqual({ a: 'b' });
    expect(cfg.linux?.cgroup_parent).toBe('/flotilla/podu1');
    expect(cfg.dns_config).toEqual({ servers: ['10.96.0.10'], searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: ['ndots:5'] });
    expect(cfg.port_mappings).toEqual([{ protocol: 'TCP', container_port: 80, host_port: 8080, host_ip: '' }]);
    // ClusterFirst on the host network is the node's resolver (here: none configured, the kubelet's localhost fallback).
    const host = sandboxConfig({ ...pod, spec: { ...pod.spec!, hostNetwork: true } }, 0, { logDir: '/logs', clusterDNS: ['10.96.0.10'], resolvConf: '' });
    expect(host.linux?.security_context?.namespace_options?.network).toBe('NODE');
    expect(host.hostname).toBe('');
    expect(host.dns_config).toEqual({ servers: ['127.0.0.1'], searches: ['.'], options: [] });
  });
  it('builds the container config with expanded command and a per-restart log path', () => {
    const cfg = containerConfig(pod, pod.spec!.containers[0], 'app', 3, 'img:1', [{ key: 'X', value: 'hi' }]);
    expect(cfg.command).toEqual(['echo', 'hi']);
    expect(cfg.log_path).toBe('c/3.log');
    expect(cfg.metadata).toEqual({ name: 'c', attempt: 3 });
    expect(cfg.labels).toMatchObject({ 'io.kubernetes.container.name': 'c', 'io.kubernetes.pod.uid': 'u1' });
  });
});
