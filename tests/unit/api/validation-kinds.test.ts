import { describe, expect, it } from 'vitest';
import { applyDefaults } from '../../../main/api/defaults';
import { validateObject, validateUpdate } from '../../../main/api/validation';
import type { Cause } from '../../../main/api/validation/cause';
import type { KObject } from '../../../main/api/types';
import { CONFIG_KEY_MSG, LABEL_MSG, PORT_RANGE } from './k8s-messages';

const pick = (causes: Cause[]): Array<[string, string]> => causes.map((x) => [x.field, x.message]);
function make(kind: string, body: Record<string, unknown>, metadata: KObject['metadata'] = { name: 'x', namespace: 'default' }): KObject {
  const o: KObject = { kind, metadata, ...body };
  applyDefaults(kind, o);
  return o;
}

describe('Service', () => {
  const svc = (spec: Record<string, unknown>): KObject => make('Service', { spec });
  it('valid services', () => {
    expect(validateObject('Service', svc({ selector: { app: 'a' }, ports: [{ port: 80, targetPort: 8080 }] }))).toEqual([]);
    expect(validateObject('Service', svc({ clusterIP: 'None', selector: { app: 'a' } }))).toEqual([]);
    expect(validateObject('Service', svc({ type: 'ExternalName', externalName: 'example.com' }))).toEqual([]);
    expect(validateObject('Service', svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([]);
  });
  it.each<[string, Record<string, unknown>, Array<[string, string]>]>([
    ['no ports', { selector: { app: 'a' } }, [['spec.ports', 'Required value']]],
    ['port 0', { ports: [{ port: 0, targetPort: 80 }] }, [['spec.ports[0].port', `Invalid value: 0: ${PORT_RANGE}`]]],
    ['port too big', { ports: [{ port: 65536 }] }, [
      ['spec.ports[0].port', `Invalid value: 65536: ${PORT_RANGE}`],
      ['spec.ports[0].targetPort', `Invalid value: 65536: ${PORT_RANGE}`],
    ]],
    ['multi-port needs names', { ports: [{ port: 80 }, { port: 443 }] }, [['spec.ports[0].name', 'Required value'], ['spec.ports[1].name', 'Required value']]],
    ['duplicate port names', { ports: [{ name: 'a', port: 80 }, { name: 'a', port: 443 }] }, [['spec.ports[1].name', 'Duplicate value: "a"']]],
    ['bad port name', { ports: [{ name: 'Web', port: 80 }] }, [['spec.ports[0].name', `Invalid value: "Web": ${LABEL_MSG}`]]],
    ['duplicate port+protocol', { ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }, [
      ['spec.ports[1]', 'Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'],
    ]],
    ['bad targetPort name', { ports: [{ port: 80, targetPort: 'HTTP_x' }] }, [
      ['spec.ports[0].targetPort', 'Invalid value: "HTTP_x": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
    ]],
    ['bad type', { type: 'Internal', ports: [{ port: 80 }] }, [['spec.type', 'Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']]],
    ['bad protocol', { ports: [{ port: 80, protocol: 'tcp' }] }, [['spec.ports[0].protocol', 'Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"']]],
    ['nodePort on ClusterIP', { ports: [{ port: 80, nodePort: 30001 }] }, [['spec.ports[0].nodePort', "Forbidden: may not be used when `type` is 'ClusterIP'"]]],
    ['bad affinity', { sessionAffinity: 'Sticky', ports: [{ port: 80 }] }, [['spec.sessionAffinity', 'Unsupported value: "Sticky": supported values: "ClientIP", "None"']]],
    ['bad clusterIP', { clusterIP: '10.96.0.300', ports: [{ port: 80 }] }, [['spec.clusterIPs[0]', 'Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']]],
    ['selector label', { selector: { app: 'a b' }, ports: [{ port: 80 }] }, [['spec.selector', expect.stringContaining('Invalid value: "a b": a valid label')]]],
    ['ExternalName without name', { type: 'ExternalName' }, [['spec.externalName', 'Required value']]],
  ])('%s', (_n, spec, want) => {
    expect(pick(validateObject('Service', svc(spec)))).toEqual(want);
  });

  it('clusterIP may not change once set', () => {
    const old = svc({ clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80 }] });
    const moved = svc({ clusterIP: '10.96.0.11', ports: [{ port: 80 }] });
    expect(validateUpdate('Service', moved, old)).toEqual([{
      reason: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: 'Invalid value: []string{"10.96.0.11"}: may not change once set',
    }]);
    expect(validateUpdate('Service', svc({ clusterIP: '10.96.0.10', ports: [{ port: 81 }] }), old)).toEqual([]);
    expect(validateUpdate('Service', svc({ ports: [{ port: 81 }] }), old)).toEqual([]);
    expect(validateUpdate('Service', svc({ clusterIP: '10.96.0.5', ports: [{ port: 80 }] }), svc({ ports: [{ port: 80 }] }))).toEqual([]);
    expect(validateUpdate('Service', svc({ type: 'ExternalName', externalName: 'a.b' }), old)).toEqual([]);
  });
});

describe('ConfigMap', () => {
  it('keys and size', () => {
    expect(validateObject('ConfigMap', make('ConfigMap', { data: { 'app.conf': 'x', KEY_1: 'y', 'a-b': '' } }))).toEqual([]);
    expect(pick(validateObject('ConfigMap', make('ConfigMap', { data: { 'a/b': 'x', '..x': 'y' } })))).toEqual([
      ['data[a/b]', `Invalid value: "a/b": ${CONFIG_KEY_MSG}`],
      ['data[..x]', 'Invalid value: "..x": must not start with \'..\''],
    ]);
    expect(pick(validateObject('ConfigMap', make('ConfigMap', { data: { a: 'x' }, binaryData: { a: 'eA==' } })))).toEqual([
      ['data[a]', 'Invalid value: "a": duplicate of key present in binaryData'],
    ]);
    expect(validateObject('ConfigMap', make('ConfigMap', { data: { a: 'x'.repeat(1024 * 1024) } }))).toEqual([]);
    expect(validateObject('ConfigMap', make('ConfigMap', { data: { a: 'x'.repeat(1024 * 1024), b: 'y' } }))).toEqual([
      { reason: 'FieldValueTooLong', field: '', message: 'Too long: may not be more than 1048576 bytes' },
    ]);
  });
  it('immutable configmaps', () => {
    const old = make('ConfigMap', { data: { a: '1' }, immutable: true });
    expect(validateUpdate('ConfigMap', make('ConfigMap', { data: { a: '1' }, immutable: true }, { name: 'x', namespace: 'default', labels: { l: 'v' } }), old)).toEqual([]);
    expect(pick(validateUpdate('ConfigMap', make('ConfigMap', { data: { a: '2' }, immutable: true }), old))).toEqual([
      ['data', 'Forbidden: field is immutable when `immutable` is set'],
    ]);
    expect(pick(validateUpdate('ConfigMap', make('ConfigMap', { data: { a: '1' } }), old))).toEqual([
      ['immutable', 'Forbidden: field is immutable when `immutable` is set'],
    ]);
    expect(validateUpdate('ConfigMap', make('ConfigMap', { data: { a: '2' } }), make('ConfigMap', { data: { a: '1' } }))).toEqual([]);
  });
});

describe('Secret', () => {
  it('keys, size and type-specific keys', () => {
    expect(validateObject('Secret', make('Secret', { data: { 'tls.crt': 'eA==' }, stringData: { pw: 'x' } }))).toEqual([]);
    expect(pick(validateObject('Secret', make('Secret', { stringData: { 'a b': 'x' } })))).toEqual([['data[a b]', `Invalid value: "a b": ${CONFIG_KEY_MSG}`]]);
    expect(pick(validateObject('Secret', make('Secret', { type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } })))).toEqual([['data[tls.key]', 'Required value']]);
    expect(pick(validateObject('Secret', make('Secret', { type: 'kubernetes.io/basic-auth', data: {} })))).toEqual([
      ['data[username]', 'Required value'], ['data[password]', 'Required value'],
    ]);
    const big = 'A'.repeat(Math.ceil((1024 * 1024 + 3) / 3) * 4);
    expect(pick(validateObject('Secret', make('Secret', { data: { a: big } })))).toEqual([['data', 'Too long: may not be more than 1048576 bytes']]);
  });
  it('type is immutable; immutable secrets keep their data', () => {
    const old = make('Secret', { data: { a: 'eA==' } });
    expect(pick(validateUpdate('Secret', make('Secret', { type: 'kubernetes.io/tls', data: { a: 'eA==' } }), old))).toEqual([
      ['type', 'Invalid value: "kubernetes.io/tls": field is immutable'],
    ]);
    const frozen = make('Secret', { data: { a: 'eA==' }, immutable: true });
    expect(pick(validateUpdate('Secret', make('Secret', { data: { a: 'eQ==' }, immutable: true }), frozen))).toEqual([
      ['data', 'Forbidden: field is immutable when `immutable` is set'],
    ]);
  });
});

describe('Namespace and Node', () => {
  it('namespaces', () => {
    expect(validateObject('Namespace', make('Namespace', {}, { name: 'team-a' }))).toEqual([]);
    expect(pick(validateObject('Namespace', make('Namespace', { spec: { finalizers: ['bad fin'] } }, { name: 'team-a' })))[0]?.[0]).toBe('spec.finalizers');
    expect(pick(validateObject('Namespace', make('Namespace', { status: { phase: 'Terminating' } }, { name: 'team-a' })))).toEqual([
      ['status.Phase', 'Invalid value: "Terminating": may only be \'Active\' if `deletionTimestamp` is empty'],
    ]);
  });
  it('nodes', () => {
    const node = (spec: Record<string, unknown>): KObject => make('Node', { spec }, { name: 'n1' });
    expect(validateObject('Node', node({ podCIDR: '10.244.1.0/24', taints: [{ key: 'a', effect: 'NoSchedule' }] }))).toEqual([]);
    expect(pick(validateObject('Node', node({ taints: [{ key: 'a', effect: 'Never' }, { key: 'b' }] })))).toEqual([
      ['spec.taints[0].effect', 'Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'],
      ['spec.taints[1].effect', 'Required value'],
    ]);
    expect(pick(validateObject('Node', node({ taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'a', value: 'x', effect: 'NoSchedule' }] })))).toEqual([
      ['spec.taints[1]', 'Duplicate value: core.Taint{Key:"a", Value:"x", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair'],
    ]);
    expect(pick(validateObject('Node', node({ podCIDRs: ['10.244.1.0/33'] })))).toEqual([
      ['spec.podCIDRs[0]', 'Invalid value: "10.244.1.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
    ]);
    const old = node({ podCIDR: '10.244.1.0/24', providerID: 'sandbox://n1' });
    expect(validateUpdate('Node', node({ podCIDR: '10.244.1.0/24', providerID: 'sandbox://n1', unschedulable: true }), old)).toEqual([]);
    expect(validateUpdate('Node', node({ podCIDR: '10.244.1.0/24' }), node({}))).toEqual([]);
    expect(pick(validateUpdate('Node', node({ podCIDR: '10.244.2.0/24', providerID: 'lima://n1' }), old))).toEqual([
      ['spec.podCIDRs', 'Forbidden: node updates may not change podCIDR except from "" to valid'],
      ['spec.providerID', 'Forbidden: node updates may not change providerID except from "" to valid'],
    ]);
  });
});

describe('Event, Lease, Endpoints, EndpointSlice', () => {
  it('events', () => {
    const ev = (body: Record<string, unknown>, ns = 'default'): KObject => make('Event', body, { name: 'p.1', namespace: ns });
    expect(validateObject('Event', ev({ involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, reason: 'Started' }))).toEqual([]);
    expect(validateObject('Event', ev({ involvedObject: { kind: 'Node', name: 'n1' }, reason: 'NodeReady' }))).toEqual([]);
    expect(pick(validateObject('Event', ev({ involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } })))).toEqual([
      ['involvedObject.namespace', 'Invalid value: "other": does not match event.namespace'],
    ]);
    expect(pick(validateObject('Event', ev({ involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' }, eventTime: '2026-01-01T00:00:00.000000Z' })))).toEqual([
      ['reportingController', 'Required value'],
      ['reportingController', 'Invalid value: "": name part must be non-empty'],
      ['reportingController', "Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
      ['reportingInstance', 'Required value'],
      ['action', 'Required value'],
      ['reason', 'Required value'],
    ]);
  });
  it('leases', () => {
    const lease = (spec: Record<string, unknown>): KObject => make('Lease', { spec }, { name: 'n1', namespace: 'kube-node-lease' });
    expect(validateObject('Lease', lease({ holderIdentity: 'n1', leaseDurationSeconds: 40 }))).toEqual([]);
    expect(pick(validateObject('Lease', lease({ leaseDurationSeconds: 0, leaseTransitions: -1 })))).toEqual([
      ['spec.leaseDurationSeconds', 'Invalid value: 0: must be greater than 0'],
      ['spec.leaseTransitions', 'Invalid value: -1: must be greater than or equal to 0'],
    ]);
  });
  it('endpoints', () => {
    const ep = (subsets: unknown[]): KObject => make('Endpoints', { subsets });
    expect(validateObject('Endpoints', ep([{ addresses: [{ ip: '10.244.1.5', nodeName: 'n1' }], ports: [{ port: 80 }] }]))).toEqual([]);
    expect(validateObject('Endpoints', ep([]))).toEqual([]);
    expect(pick(validateObject('Endpoints', ep([{ addresses: [{ ip: 'nope' }], ports: [{ port: 0 }] }, { ports: [{ port: 1 }] }])))).toEqual([
      ['subsets[0].addresses[0].ip', 'Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'],
      ['subsets[0].ports[0].port', `Invalid value: 0: ${PORT_RANGE}`],
      ['subsets[1]', 'Required value: must specify `addresses` or `notReadyAddresses`'],
    ]);
  });
  it('endpoint slices', () => {
    const es = (body: Record<string, unknown>): KObject => make('EndpointSlice', body);
    expect(validateObject('EndpointSlice', es({ addressType: 'IPv4', endpoints: [{ addresses: ['10.244.1.5'] }], ports: [{ name: 'http', port: 80 }] }))).toEqual([]);
    expect(pick(validateObject('EndpointSlice', es({ addressType: 'IPv5', endpoints: [] })))).toEqual([
      ['addressType', 'Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"'],
    ]);
    expect(pick(validateObject('EndpointSlice', es({ addressType: 'IPv4', endpoints: [{ addresses: [] }, { addresses: ['fe80::1'] }] })))).toEqual([
      ['endpoints[0].addresses', 'Required value: must contain at least 1 address'],
      ['endpoints[1].addresses[0]', 'Invalid value: "fe80::1": must be a valid IPv4 address'],
    ]);
  });
});

describe('Machine', () => {
  const machine = (spec: Record<string, unknown>): KObject => make('Machine', { spec }, { name: 'worker-1' });
  it('defaults are valid', () => {
    expect(validateObject('Machine', machine({}))).toEqual([]);
    expect(validateObject('Machine', machine({ provider: 'lima', cpus: 64, memoryMiB: 512, diskGiB: 5 }))).toEqual([]);
  });
  it.each<[Record<string, unknown>, Array<[string, string]>]>([
    [{ provider: 'docker' }, [['spec.provider', 'Unsupported value: "docker": supported values: "sandbox", "lima", "multipass", "qemu"']]],
    [{ cpus: 0 }, [['spec.cpus', 'Invalid value: 0: must be between 1 and 64, inclusive']]],
    [{ cpus: 65 }, [['spec.cpus', 'Invalid value: 65: must be between 1 and 64, inclusive']]],
    [{ memoryMiB: 511 }, [['spec.memoryMiB', 'Invalid value: 511: must be greater than or equal to 512']]],
    [{ diskGiB: 4 }, [['spec.diskGiB', 'Invalid value: 4: must be greater than or equal to 5']]],
    [{ cpus: '2' }, [['spec.cpus', 'Invalid value: "string": spec.cpus in body must be of type integer: "string"']]],
  ])('%j', (spec, want) => {
    expect(pick(validateObject('Machine', machine(spec)))).toEqual(want);
  });
  it('requires a provider when defaulting was skipped', () => {
    expect(pick(validateObject('Machine', { metadata: { name: 'm' }, spec: {} }))).toEqual([['spec.provider', 'Required value']]);
  });
  it('provider is immutable; other fields may change', () => {
    const old = machine({ provider: 'sandbox' });
    expect(validateUpdate('Machine', machine({ provider: 'sandbox', running: false, cpus: 4 }), old)).toEqual([]);
    expect(validateUpdate('Machine', machine({ provider: 'lima' }), old)).toEqual([
      { reason: 'FieldValueInvalid', field: 'spec.provider', message: 'Invalid value: "lima": field is immutable' },
    ]);
  });
});
