// NetworkPolicy rule computation: selectors, namespaces, ipBlock with except, ports (named, endPort),
// policyTypes and default deny → the filter chains the agent would write.
import { describe, expect, it } from 'vitest';
import type { NetworkPolicy, Pod } from '../../../main/api/types';
import { computeNetpolRules, NETPOL_CHAIN } from '../../../vm-images/agent/netpol/rules';

const pod = (ns: string, name: string, ip: string, labels: Record<string, string>, node = 'n1', ports: Array<{ name: string; containerPort: number }> = []): Pod => ({
  metadata: { namespace: ns, name, labels },
  spec: { nodeName: node, containers: [{ name: 'c', image: 'x', ports }] },
  status: { phase: 'Running', podIP: ip },
});
const np = (ns: string, name: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({ metadata: { namespace: ns, name }, spec });

const web = pod('default', 'web', '10.244.0.5', { app: 'web' }, 'n1', [{ name: 'http', containerPort: 8080 }]);
const client = pod('default', 'client', '10.244.1.7', { role: 'client' }, 'n2');
const other = pod('other', 'o', '10.244.1.9', { role: 'client' }, 'n2');
const namespaces = new Map<string, Record<string, string>>([['default', {}], ['other', { team: 'a' }]]);

function rules(policies: NetworkPolicy[], pods = [web, client, other]): { top: string[]; all: string[] } {
  const { chains } = computeNetpolRules({ policies, pods, namespaces, nodeName: 'n1' });
  return { top: chains.find((c) => c.name === NETPOL_CHAIN)?.rules ?? [], all: chains.flatMap((c) => c.rules) };
}

describe('NetworkPolicy rules', () => {
  it('leaves pods no policy selects alone, but lets replies through', () => {
    const r = rules([np('default', 'p', { podSelector: { matchLabels: { app: 'db' } } })]);
    expect(r.top).toEqual([`-A ${NETPOL_CHAIN} -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN`]);
  });

  it('default deny: the selected local pod gets an ingress chain that drops everything', () => {
    const r = rules([np('default', 'deny', { podSelector: {} })]);
    expect(r.top).toHaveLength(2);
    const jump = r.top[1] ?? '';
    expect(jump).toMatch(/^-A FLOTILLA-NETPOL -d 10\.244\.0\.5\/32 -j FLOTILLA-NPI-[A-Z2-7]{12}$/);
    const chain = jump.split(' -j ')[1] ?? '';
    expect(r.all.filter((l) => l.startsWith(`-A ${chain} `))).toEqual([
      `-A ${chain} -j MARK --set-xmark 0x0/0x10000`, `-A ${chain} -m mark --mark 0x10000/0x10000 -j RETURN`, `-A ${chain} -j DROP`,
    ]);
  });

  it('podSelector, namespaceSelector, both, with numeric and named ports', () => {
    const r = rules([np('default', 'p', {
      podSelector: { matchLabels: { app: 'web' } },
      ingress: [
        { from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ protocol: 'TCP', port: 'http' }] },
        { from: [{ namespaceSelector: { matchLabels: { team: 'a' } } }], ports: [{ protocol: 'UDP', port: 53, endPort: 60 }] },
        { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { role: 'nobody' } } }] },
      ],
    })]);
    const marks = r.all.filter((l) => l.includes('--set-xmark 0x10000/0x10000'));
    expect(marks).toHaveLength(2);
    expect(marks[0]).toContain('-s 10.244.1.7/32 -p tcp -m tcp --dport 8080 -j MARK');
    expect(marks[1]).toContain('-s 10.244.1.9/32 -p udp -m udp --dport 53:60 -j MARK');
  });

  it('ipBlock with except goes through a helper chain; egress policies get an egress chain', () => {
    const r = rules([np('default', 'e', {
      podSelector: {}, policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ protocol: 'TCP', port: 443 }] }],
    })]);
    expect(r.top[1]).toMatch(/^-A FLOTILLA-NETPOL -s 10\.244\.0\.5\/32 -j FLOTILLA-NPE-/);
    const toHelper = r.all.find((l) => l.includes('-d 10.0.0.0/8')) ?? '';
    expect(toHelper).toMatch(/-d 10\.0\.0\.0\/8 -p tcp -m tcp --dport 443 -j FLOTILLA-NPB-[A-Z2-7]{12}$/);
    const helper = toHelper.split(' -j ')[1] ?? '';
    expect(r.all.filter((l) => l.startsWith(`-A ${helper} `))).toEqual([`-A ${helper} -d 10.1.0.0/16 -j RETURN`, `-A ${helper} -j MARK --set-xmark 0x10000/0x10000`]);
  });

  it('an empty rule allows everything; a named port that does not resolve allows nothing', () => {
    const all = rules([np('default', 'a', { podSelector: {}, ingress: [{}] })]);
    expect(all.all.some((l) => /-A FLOTILLA-NPI-\S+ -j MARK --set-xmark 0x10000\/0x10000$/.test(l))).toBe(true);
    const none = rules([np('default', 'n', { podSelector: {}, ingress: [{ ports: [{ port: 'nope' }] }] })]);
    expect(none.all.filter((l) => l.includes('--set-xmark 0x10000/0x10000'))).toEqual([]);
  });

  it('a named egress port means that port on each destination pod naming it (no peers: every pod; ipBlock: its pods)', () => {
    const peer = pod('other', 'named', '10.244.1.20', {}, 'n2', [{ name: 'http', containerPort: 9090 }]);
    const r = rules([np('default', 'e', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }, { protocol: 'UDP', port: 53 }] }] })],
      [web, client, peer]);
    const marks = r.all.filter((l) => l.includes('--set-xmark 0x10000/0x10000'));
    expect(marks.map((l) => l.replace(/^-A \S+ /, ''))).toEqual([
      '-p udp -m udp --dport 53 -j MARK --set-xmark 0x10000/0x10000',
      '-d 10.244.0.5/32 -p tcp -m tcp --dport 8080 -j MARK --set-xmark 0x10000/0x10000',
      '-d 10.244.1.20/32 -p tcp -m tcp --dport 9090 -j MARK --set-xmark 0x10000/0x10000',
    ]);
    const block = rules([np('default', 'e', {
      podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.244.1.0/24', except: ['10.244.1.7/32'] } }], ports: [{ port: 'http' }] }],
    })], [web, client, peer, pod('default', 'x', '10.244.1.30', {}, 'n2', [{ name: 'http', containerPort: 7070 }])]);
    // Only the pods inside the block and outside its except that name the port; no rule for the range itself.
    expect(block.all.filter((l) => l.includes('--set-xmark 0x10000/0x10000')).map((l) => l.replace(/^-A \S+ /, ''))).toEqual([
      '-d 10.244.1.20/32 -p tcp -m tcp --dport 9090 -j MARK --set-xmark 0x10000/0x10000',
      '-d 10.244.1.30/32 -p tcp -m tcp --dport 7070 -j MARK --set-xmark 0x10000/0x10000',
    ]);
  });
});
