import { describe, expect, it } from 'vitest';
import type { ProxyModel, ServiceModel } from '../../../vm-images/agent/proxy/model';
import {
  base32Prefix, endpointChainName, externalChainName, isServiceChain, probability, serviceChainName, servicePortName,
} from '../../../vm-images/agent/proxy/names';
import { buildRestoreText, buildRules, renderRestore } from '../../../vm-images/agent/proxy/rules';

function svc(over: Partial<ServiceModel> = {}): ServiceModel {
  return {
    namespace: 'default', name: 'web', clusterIP: '10.96.0.10',
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    sessionAffinity: 'None', affinityTimeoutSeconds: 10800,
    endpoints: [
      { ip: '10.244.1.12', ports: { http: 8080 }, ready: true },
      { ip: '10.244.1.10', ports: { http: 8080 }, ready: true },
      { ip: '10.244.2.11', ports: { http: 8080 }, ready: true },
    ],
    ...over,
  };
}

function model(services: ServiceModel[]): ProxyModel {
  return { services, nodeIPs: ['10.251.0.2'], clusterCIDR: '10.244.0.0/16' };
}

describe('chain names', () => {
  it('match the names real kube-proxy gives well-known services', () => {
    expect(serviceChainName('default/kubernetes:https', 'TCP')).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(serviceChainName('kube-system/kube-dns:dns', 'udp')).toBe('KUBE-SVC-TCOU7JCQXEZGVUNU');
  });

  it('base32 is RFC 4648 (standard alphabet)', () => {
    expect(base32Prefix(Buffer.from('foobar'), 10)).toBe('MZXW6YTBOI');
    expect(base32Prefix(Buffer.from('f'), 2)).toBe('MY');
  });

  it('derive KUBE-SEP from service port, protocol and endpoint; KUBE-EXT shares the KUBE-SVC hash', () => {
    const spn = servicePortName('default', 'web', 'http');
    expect(spn).toBe('default/web:http');
    expect(servicePortName('default', 'web', '')).toBe('default/web');
    const sep = endpointChainName(spn, 'TCP', '10.244.1.10:8080');
    expect(sep).toMatch(/^KUBE-SEP-[A-Z2-7]{16}$/);
    expect(sep.length).toBeLessThanOrEqual(28);
    expect(endpointChainName(spn, 'tcp', '10.244.1.10:8080')).toBe(sep);
    expect(endpointChainName(spn, 'tcp', '10.244.1.10:8081')).not.toBe(sep);
    expect(externalChainName(spn, 'tcp').slice(9)).toBe(serviceChainName(spn, 'tcp').slice(9));
    expect(isServiceChain(sep)).toBe(true);
    expect(isServiceChain('KUBE-SERVICES')).toBe(false);
  });
});

describe('probabilities', () => {
  it('are 1/n with ten decimals, like "%0.10f"', () => {
    expect(probability(2)).toBe('0.5000000000');
    expect(probability(3)).toBe('0.3333333333');
    expect(probability(6)).toBe('0.1666666667');
    expect(probability(1000)).toBe('0.0010000000');
  });

  it('split n endpoints as 1/n, 1/(n-1), …, the last rule unconditional, endpoints sorted', () => {
    const rules = buildRules(model([svc()]));
    const svcChain = serviceChainName('default/web:http', 'tcp');
    const chain = rules.services.get('default/web')!.find((c) => c.name === svcChain)!;
    const jumps = chain.rules.filter((r) => r.includes('-j KUBE-SEP-'));
    expect(jumps).toHaveLength(3);
    expect(jumps[0]).toContain('"default/web:http -> 10.244.1.10:8080" -m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-');
    expect(jumps[1]).toContain('"default/web:http -> 10.244.1.12:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-');
    expect(jumps[2]).not.toContain('statistic');
    expect(jumps[2]).toContain('10.244.2.11:8080');
  });
});

describe('rules', () => {
  it('capture the ClusterIP in KUBE-SERVICES and end with the NodePorts jump', () => {
    const r = buildRules(model([svc()]));
    const top = r.top.find((c) => c.table === 'nat' && c.name === 'KUBE-SERVICES')!;
    expect(top.rules[0]).toBe(`-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j ${serviceChainName('default/web:http', 'tcp')}`);
    expect(top.rules.at(-1)).toMatch(/-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS$/);
  });

  it('masquerade off-cluster sources to the ClusterIP and hairpin traffic in KUBE-SEP', () => {
    const chains = buildRules(model([svc()])).services.get('default/web')!;
    const svcChain = chains.find((c) => c.name.startsWith('KUBE-SVC-'))!;
    expect(svcChain.rules[0]).toContain('-d 10.96.0.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ');
    const sep = chains.find((c) => c.name === endpointChainName('default/web:http', 'tcp', '10.244.1.10:8080'))!;
    expect(sep.rules).toEqual([
      `-A ${sep.name} -m comment --comment "default/web:http" -s 10.244.1.10/32 -j KUBE-MARK-MASQ`,
      `-A ${sep.name} -m comment --comment "default/web:http" -m tcp -p tcp -j DNAT --to-destination 10.244.1.10:8080`,
    ]);
  });

  it('route NodePorts through KUBE-EXT (masquerade) to KUBE-SVC', () => {
    const s = svc();
    s.ports[0].nodePort = 30080;
    const r = buildRules(model([s]));
    const ext = externalChainName('default/web:http', 'tcp');
    expect(r.top.find((c) => c.name === 'KUBE-NODEPORTS')!.rules).toEqual([
      `-A KUBE-NODEPORTS -m comment --comment "default/web:http" -m tcp -p tcp --dport 30080 -j ${ext}`,
    ]);
    expect(r.services.get('default/web')!.find((c) => c.name === ext)!.rules).toEqual([
      `-A ${ext} -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ`,
      `-A ${ext} -j ${serviceChainName('default/web:http', 'tcp')}`,
    ]);
  });

  it('ClientIP affinity: recent --rcheck in KUBE-SVC before the split, --set in KUBE-SEP', () => {
    const chains = buildRules(model([svc({ sessionAffinity: 'ClientIP', affinityTimeoutSeconds: 600 })])).services.get('default/web')!;
    const svcRules = chains.find((c) => c.name.startsWith('KUBE-SVC-'))!.rules;
    const seps = chains.filter((c) => c.name.startsWith('KUBE-SEP-'));
    expect(svcRules.slice(1, 4).map((r) => r.match(/--name (\S+) --rcheck --seconds 600 --reap -j (\S+)$/)?.slice(1))).toEqual(
      seps.map((c) => [c.name, c.name]));
    for (const c of seps) expect(c.rules[1]).toContain(`-m recent --name ${c.name} --set -m tcp -p tcp -j DNAT`);
  });

  it('REJECT in the filter table when no endpoint is ready, and no nat chains', () => {
    const s = svc({ endpoints: [{ ip: '10.244.1.10', ports: { http: 8080 }, ready: false }] });
    s.ports[0].nodePort = 30080;
    const r = buildRules(model([s]));
    expect(r.services.get('default/web')).toEqual([]);
    expect(r.top.find((c) => c.table === 'filter' && c.name === 'KUBE-SERVICES')!.rules).toEqual([
      '-A KUBE-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d 10.96.0.10 --dport 80 -j REJECT',
    ]);
    expect(r.top.find((c) => c.name === 'KUBE-EXTERNAL-SERVICES')!.rules).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT',
    ]);
    expect(r.top.find((c) => c.table === 'nat' && c.name === 'KUBE-SERVICES')!.rules).toHaveLength(1);
  });

  it('use each endpoint’s own target port per service port, and skip endpoints lacking it', () => {
    const s = svc({
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }],
      endpoints: [
        { ip: '10.244.1.10', ports: { http: 8080, dns: 5353 }, ready: true },
        { ip: '10.244.1.11', ports: { http: 9090 }, ready: true },
      ],
    });
    const text = buildRestoreText(model([s]));
    expect(text).toContain('--to-destination 10.244.1.10:8080');
    expect(text).toContain('--to-destination 10.244.1.11:9090');
    expect(text).toContain('-m udp -p udp -j DNAT --to-destination 10.244.1.10:5353');
    expect(text).not.toContain('10.244.1.11:5353');
  });

  it('drop per-endpoint comments in large clusters (over 1000 endpoints)', () => {
    const many = Array.from({ length: 400 }, (_, i) => svc({ name: `s${i}`, clusterIP: `10.96.${i >> 8}.${i & 255}` }));
    const r = buildRules(model(many));
    const sep = r.services.get('default/s0')!.find((c) => c.name.startsWith('KUBE-SEP-'))!;
    expect(sep.rules[0]).not.toContain('comment');
    expect(buildRules(model([svc()])).services.get('default/web')!.find((c) => c.name.startsWith('KUBE-SEP-'))!.rules[0]).toContain('comment');
  });

  it('render restore text: declarations, then rules, then deletions, per table', () => {
    const text = renderRestore(
      [{ table: 'nat', name: 'KUBE-SVC-X', rules: ['-A KUBE-SVC-X -j KUBE-SEP-Y'] }, { table: 'filter', name: 'KUBE-SERVICES', rules: [] }],
      [{ table: 'nat', name: 'KUBE-SEP-OLD' }],
    );
    expect(text).toBe([
      '*filter', ':KUBE-SERVICES - [0:0]', 'COMMIT',
      '*nat', ':KUBE-SVC-X - [0:0]', ':KUBE-SEP-OLD - [0:0]', '-A KUBE-SVC-X -j KUBE-SEP-Y', '-X KUBE-SEP-OLD', 'COMMIT', '',
    ].join('\n'));
    expect(renderRestore([], [])).toBe('');
  });

  it('full text holds masquerade plumbing and skips headless services', () => {
    const text = buildRestoreText(model([svc(), svc({ name: 'headless', clusterIP: 'None' })]));
    expect(text).toContain('-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000');
    expect(text).toContain('-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN');
    expect(text).toContain('-j MASQUERADE --random-fully');
    expect(text).not.toContain('headless');
  });
});
