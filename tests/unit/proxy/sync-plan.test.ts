import { describe, expect, it } from 'vitest';
import type { ProxyModel, ServiceModel } from '../../../vm-images/agent/proxy/model';
import { serviceChainName } from '../../../vm-images/agent/proxy/names';
import { commitCount } from '../../../vm-images/agent/proxy/restore-text';
import { buildRules } from '../../../vm-images/agent/proxy/rules';
import { emptyWritten, planSync, type SyncPlan, type WrittenState } from '../../../vm-images/agent/proxy/sync-plan';

function svc(i: number, over: Partial<ServiceModel> = {}): ServiceModel {
  return {
    namespace: 'default', name: `s${i}`, clusterIP: `10.96.0.${i}`,
    ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30000 + i }],
    sessionAffinity: 'None', affinityTimeoutSeconds: 10800,
    endpoints: [1, 2].map((j) => ({ ip: `10.244.${i}.${j}`, ports: { http: 8080 }, ready: true })),
    ...over,
  };
}

const model = (services: ServiceModel[]): ProxyModel => ({ services, nodeIPs: ['10.251.0.2'], clusterCIDR: '10.244.0.0/16' });
const MAX = 128;

function full(services: ServiceModel[], savedNatChains = new Set<string>(), maxChainsPerCommit = MAX): SyncPlan {
  return planSync({ rules: buildRules(model(services)), written: emptyWritten(), full: true, savedNatChains, maxChainsPerCommit });
}

function incremental(services: ServiceModel[], written: WrittenState): SyncPlan {
  return planSync({ rules: buildRules(model(services)), written, full: false, maxChainsPerCommit: MAX });
}

/** `table/chain` for every chain declared in a restore text (one list per COMMIT). */
function declaredPerCommit(text: string): string[][] {
  const commits: string[][] = [];
  let table = '';
  let current: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1);
    else if (line.startsWith(':')) current.push(`${table}/${line.slice(1).split(' ')[0]}`);
    else if (line === 'COMMIT') { commits.push(current); current = []; }
  }
  return commits;
}

const declared = (text: string): string[] => declaredPerCommit(text).flat();

describe('planSync, incremental', () => {
  const base = [1, 2, 3].map((i) => svc(i));
  const first = full(base);

  it('an endpoint change rewrites that service only, never the top-level chains', () => {
    const moved = svc(2, { endpoints: [{ ip: '10.244.2.1', ports: { http: 8080 }, ready: true }, { ip: '10.244.2.9', ports: { http: 8080 }, ready: true }] });
    const plan = incremental([svc(1), moved, svc(3)], first.written);
    expect(plan.changedServices).toEqual(['default/s2']);
    const names = declared(plan.restoreInput);
    expect(names).toContain(`nat/${serviceChainName('default/s2:http', 'tcp')}`);
    expect(names.filter((n) => !/^nat\/KUBE-(SVC|SEP|EXT)-/.test(n))).toEqual([]);
    expect(plan.deletedChains).toHaveLength(1);
    expect(plan.restoreInput).toContain('--to-destination 10.244.2.9:8080');
  });

  it('a clusterIP or port change rewrites nat KUBE-SERVICES; a nodePort change KUBE-NODEPORTS alone', () => {
    for (const changed of [svc(2, { clusterIP: '10.96.7.7' }), svc(2, { ports: [{ name: 'http', port: 8000, protocol: 'TCP', nodePort: 30002 }] })]) {
      const names = declared(incremental([svc(1), changed, svc(3)], first.written).restoreInput);
      expect(names).toContain('nat/KUBE-SERVICES');
      expect(names).not.toContain('nat/KUBE-NODEPORTS');
    }
    const names = declared(incremental([svc(1), svc(2, { ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 31111 }] }), svc(3)], first.written).restoreInput);
    expect(names).toContain('nat/KUBE-NODEPORTS');
    expect(names).not.toContain('nat/KUBE-SERVICES');
  });

  it('losing every endpoint moves the service from nat KUBE-SERVICES to a filter REJECT and deletes its chains', () => {
    const plan = incremental([svc(1), svc(2, { endpoints: [] }), svc(3)], first.written);
    expect(declared(plan.restoreInput)).toEqual(expect.arrayContaining(['nat/KUBE-SERVICES', 'nat/KUBE-NODEPORTS', 'filter/KUBE-SERVICES', 'filter/KUBE-EXTERNAL-SERVICES']));
    expect(plan.deletedChains).toHaveLength(4); // KUBE-SVC, KUBE-EXT, two KUBE-SEP
    expect(plan.restoreInput).toMatch(/-A KUBE-SERVICES .*default\/s2:http has no endpoints.*-j REJECT/);
  });

  it('writes nothing when nothing changed', () => {
    const plan = incremental(base, first.written);
    expect(plan.restoreInput).toBe('');
    expect(plan.changedServices).toEqual([]);
  });
});

describe('planSync, full', () => {
  it('up to maxChainsPerCommit chains: one transaction per table, fixed chains, top chains and extra lines included', () => {
    const plan = planSync({
      rules: buildRules(model([svc(1), svc(2)])), written: emptyWritten(), full: true, savedNatChains: new Set(['KUBE-SEP-OLD']),
      extra: [{ table: 'nat', line: '-I PREROUTING 1 -j KUBE-SERVICES' }], maxChainsPerCommit: MAX,
    });
    expect(commitCount(plan.restoreInput)).toBe(2);
    expect(declared(plan.restoreInput)).toEqual(expect.arrayContaining(['nat/KUBE-MARK-MASQ', 'nat/KUBE-SERVICES', 'filter/KUBE-FORWARD']));
    expect(plan.deletedChains).toEqual(['KUBE-SEP-OLD']);
    expect(plan.restoreInput).toContain('-I PREROUTING 1 -j KUBE-SERVICES\n-X KUBE-SEP-OLD\nCOMMIT');
  });

  it('splits a large write: new chains first in bounded commits, all that traffic sees in the last', () => {
    const services = Array.from({ length: 40 }, (_, i) => svc(i + 1));
    const plan = planSync({
      rules: buildRules(model(services)), written: emptyWritten(), full: true, savedNatChains: new Set(['KUBE-SEP-OLD']),
      extra: [{ table: 'nat', line: '-I PREROUTING 1 -j KUBE-SERVICES' }], maxChainsPerCommit: 10,
    });
    const commits = declaredPerCommit(plan.restoreInput);
    expect(commits.length).toBeGreaterThan(10);
    // The fixed chains (constant, referenced only by the jumps) come first: filter's, then nat's.
    expect(commits[0]).toEqual(['filter/KUBE-FORWARD', 'filter/KUBE-FIREWALL']);
    expect(commits[1]).toContain('nat/KUBE-MARK-MASQ');
    const last = commits.at(-1)!;
    expect(last).toEqual(['nat/KUBE-SERVICES', 'nat/KUBE-NODEPORTS', 'nat/KUBE-SEP-OLD']);
    expect(plan.restoreInput.endsWith('-I PREROUTING 1 -j KUBE-SERVICES\n-X KUBE-SEP-OLD\nCOMMIT\n')).toBe(true);
    // filter's top chains are one commit of their own, right before nat's last one.
    expect(commits.at(-2)).toEqual(['filter/KUBE-SERVICES', 'filter/KUBE-EXTERNAL-SERVICES']);
    for (const c of commits.slice(2, -2)) expect(c.length).toBeLessThanOrEqual(10);
    // Every chain declared once, and the whole equals the unsplit write.
    const all = declared(plan.restoreInput);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(declared(full(services, new Set(['KUBE-SEP-OLD']), 100_000).restoreInput)));
    // A chain is only jumped to once it exists: declared in the same commit or an earlier one.
    const seen = new Set<string>(['KUBE-SEP-OLD']);
    let table = '';
    for (const line of plan.restoreInput.split('\n')) {
      if (line.startsWith('*')) table = line.slice(1);
      if (line.startsWith(':')) seen.add(`${table}/${line.slice(1).split(' ')[0]}`);
      const target = / -j (KUBE-\S+)/.exec(line)?.[1];
      if (target) expect(seen).toContain(`${table}/${target}`);
    }
  });

  it('a large resync puts services whose existing chains change into the last commit, unchanged ones early', () => {
    const services = Array.from({ length: 40 }, (_, i) => svc(i + 1));
    const first = full(services, new Set(), 10);
    const changed = [...services];
    changed[4] = svc(5, { endpoints: [{ ip: '10.244.5.77', ports: { http: 8080 }, ready: true }] });
    const rules = buildRules(model(changed));
    const existing = new Set([...first.written.services.values()].flatMap((w) => w.chains.map((c) => c.name)));
    const plan = planSync({ rules, written: first.written, full: true, savedNatChains: existing, maxChainsPerCommit: 10 });
    expect(plan.changedServices).toHaveLength(40);
    const last = declaredPerCommit(plan.restoreInput).at(-1)!;
    expect(last).toContain(`nat/${serviceChainName('default/s5:http', 'tcp')}`);
    expect(last).not.toContain(`nat/${serviceChainName('default/s6:http', 'tcp')}`);
    expect(plan.deletedChains).toHaveLength(2); // both old KUBE-SEP of s5
  });
});
