import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../main/api/types';
import { normalizeSysctlName, sysctlNamespace } from '../../../main/api/sysctl';
import { admitSysctls, sandboxSysctls } from '../../../vm-images/agent/pods/sysctls';

const pod = (sysctls: Array<{ name: string; value: string }>, extra: Record<string, unknown> = {}): Pod =>
  ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }], securityContext: { sysctls }, ...extra } });

describe('sysctl names', () => {
  it('normalizes slashes as the kubelet does and knows each namespace', () => {
    expect(normalizeSysctlName('net/ipv4/ip_local_port_range')).toBe('net.ipv4.ip_local_port_range');
    expect(normalizeSysctlName('net/ipv4/conf/eno2.100/rp_filter')).toBe('net.ipv4.conf.eno2/100.rp_filter');
    expect(normalizeSysctlName('net.ipv4.tcp_syncookies')).toBe('net.ipv4.tcp_syncookies');
    expect(sysctlNamespace('kernel.sem')).toBe('ipc');
    expect(sysctlNamespace('kernel.shm_rmid_forced')).toBe('ipc');
    expect(sysctlNamespace('fs.mqueue.msg_max')).toBe('ipc');
    expect(sysctlNamespace('net/core/somaxconn')).toBe('net');
    expect(sysctlNamespace('vm.swappiness')).toBeUndefined();
  });
});

describe('the kubelet\'s sysctl admission', () => {
  it('admits the safe sysctls, in either spelling', () => {
    expect(admitSysctls(pod([{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }, { name: 'net/ipv4/tcp_keepalive_time', value: '60' }]))).toBeUndefined();
    expect(admitSysctls(pod([]))).toBeUndefined();
  });
  it('refuses any other, and a safe one in a namespace the pod shares with the node', () => {
    expect(admitSysctls(pod([{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'net.core.somaxconn', value: '1024' }])))
      .toEqual({ reason: 'SysctlForbidden', message: 'forbidden sysctl: "net.core.somaxconn" not allowlisted' });
    expect(admitSysctls(pod([{ name: 'kernel.shm_rmid_forced', value: '1' }], { hostIPC: true })))
      .toEqual({ reason: 'SysctlForbidden', message: 'forbidden sysctl: "kernel.shm_rmid_forced" not allowed with host ipc enabled' });
    expect(admitSysctls(pod([{ name: 'net.ipv4.ping_group_range', value: '0 0' }], { hostNetwork: true })))
      .toEqual({ reason: 'SysctlForbidden', message: 'forbidden sysctl: "net.ipv4.ping_group_range" not allowed with host net enabled' });
  });
  it('gives the sandbox the names in their dotted form, with the values', () => {
    expect(sandboxSysctls(pod([{ name: 'net/ipv4/tcp_fin_timeout', value: '30' }]))).toEqual({ 'net.ipv4.tcp_fin_timeout': '30' });
    expect(sandboxSysctls(pod([]))).toBeUndefined();
  });
});
