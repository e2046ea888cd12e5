// The protobuf decoder on hand-encoded bodies and on bodies real kubectl sent: the envelope, nested
// messages, maps, IntOrString, times, pointer zeros, unknown fields skipped, and clear errors for what it
// cannot read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, ProtobufDecodeError } from '../../../main/apiserver/protobuf/decode';
import { MESSAGES, ROOTS } from '../../../main/apiserver/protobuf/schema';
import { apiVersionOf, CONVERTED_RESOURCES, RESOURCES } from '../../../main/api/resources';

const FIXTURES = path.join(__dirname, '../../fixtures/protobuf');

// A tiny protobuf writer for the tests.
function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}
const tag = (no: number, wt: number) => varint((no << 3) | wt);
const str = (no: number, s: string) => { const b = [...Buffer.from(s)]; return [...tag(no, 2), ...varint(b.length), ...b]; };
const msg = (no: number, body: number[]) => [...tag(no, 2), ...varint(body.length), ...body];
const int = (no: number, n: number) => [...tag(no, 0), ...varint(n)];
const envelope = (apiVersion: string, kind: string, raw: number[]) =>
  Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...msg(1, [...str(1, apiVersion), ...str(2, kind)]), ...msg(2, raw)]);

describe('kubernetes protobuf decoding', () => {
  it('decodes a ConfigMap with labels and data', () => {
    const meta = [...str(1, 'cm'), ...str(3, 'default'), ...str(2, ''), ...msg(11, [...str(1, 'app'), ...str(2, 'x')])];
    const body = [...msg(1, meta), ...msg(2, [...str(1, 'k'), ...str(2, 'v')]), ...msg(2, [...str(1, 'k2'), ...str(2, '')])];
    expect(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', body))).toEqual({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'default', labels: { app: 'x' } }, data: { k: 'v', k2: '' },
    });
  });

  it('keeps pointer zeros, drops value zeros, decodes IntOrString and repeated messages', () => {
    const container = [...str(1, 'web'), ...str(2, 'img'), ...msg(6, [...int(3, 8080), ...str(4, 'TCP')]), ...int(16, 0)];
    const podSpec = [...msg(2, container), ...int(12, 0)];
    const spec = [...int(1, 0), ...msg(3, [...msg(2, podSpec)]), ...msg(4, [...str(1, 'RollingUpdate'), ...msg(2, [...msg(1, [...int(1, 1), ...str(3, '25%')])])])];
    const d = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', [...msg(1, str(1, 'd')), ...msg(2, spec)]));
    expect(d.spec).toEqual({
      replicas: 0,
      template: { spec: { containers: [{ name: 'web', image: 'img', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } },
    });
  });

  it('rejects what it cannot read, clearly', () => {
    expect(() => decodeKubernetesProtobuf(Uint8Array.from([1, 2, 3, 4, 5]))).toThrow(ProtobufDecodeError);
    expect(() => decodeKubernetesProtobuf(envelope('argoproj.io/v1alpha1', 'Application', []))).toThrow(/Application \(argoproj.io\/v1alpha1\) are not supported by this server; send JSON/);
    const truncated = envelope('v1', 'ConfigMap', str(1, 'x')).slice(0, -1);
    expect(() => decodeKubernetesProtobuf(truncated)).toThrow(/malformed protobuf body/);
  });

  it('skips fields it does not know (a newer release), as the generated Go unmarshaller does', () => {
    expect(decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', [...msg(1, str(1, 'cm')), ...str(99, 'from the future')]))).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
  });

  it('decodes the Pod kubectl debug node/NAME sends (legacy profile: host namespaces, the host\'s / at /host)', () => {
    const pod = decodeKubernetesProtobuf(fs.readFileSync(path.join(FIXTURES, 'kubectl-debug-node-pod.pb')));
    expect(pod).toEqual({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'node-debugger-node-1-9wrr9' },
      spec: {
        volumes: [{ name: 'host-root', hostPath: { path: '/' } }],
        containers: [{
          name: 'debugger', image: 'docker.io/flotilla/hello:1', command: ['sh', '-c', 'echo hi'], resources: {},
          volumeMounts: [{ name: 'host-root', mountPath: '/host' }], terminationMessagePolicy: 'File',
        }],
        restartPolicy: 'Never', nodeName: 'node-1', hostNetwork: true, hostPID: true, hostIPC: true, tolerations: [{ operator: 'Exists' }],
      },
      status: {},
    });
  });

  it('decodes kubectl debug node --profile=sysadmin -it (privileged, stdin, tty, env)', () => {
    const pod = decodeKubernetesProtobuf(fs.readFileSync(path.join(FIXTURES, 'kubectl-debug-node-sysadmin-pod.pb'))) as { spec: { containers: Array<Record<string, unknown>> } };
    expect(pod.spec.containers[0]).toMatchObject({ command: ['sh'], env: [{ name: 'A', value: '1' }], securityContext: { privileged: true }, stdin: true, tty: true });
  });

  it('has every field of the real generated.proto: ephemeral containers, volumes, security contexts, times', () => {
    expect(MESSAGES['core/v1.PodSpec']['34']).toEqual(['ephemeralContainers', 'm:core/v1.EphemeralContainer[]']);
    expect(MESSAGES['core/v1.EphemeralContainer']).toEqual({ 1: ['^ephemeralContainerCommon', 'm:core/v1.EphemeralContainerCommon'], 2: ['targetContainerName', 's'] });
    expect(MESSAGES['core/v1.VolumeSource']['1']).toEqual(['hostPath', 'm:core/v1.HostPathVolumeSource*']);
    expect(MESSAGES['core/v1.Probe']['1'][0]).toBe('^handler');
    const eph = [...str(1, 'debugger'), ...str(2, 'busybox'), ...int(16, 1)];
    const spec = [...msg(2, str(1, 'app')), ...msg(34, [...msg(1, eph), ...str(2, 'app')]), ...msg(14, int(2, 1000))];
    const time = (no: number, secs: number, nanos: number) => msg(no, [...int(1, secs), ...int(2, nanos)]);
    const meta = [...str(1, 'p'), ...time(8, 1700000000, 0), ...msg(12, [...str(1, 'k'), ...str(2, 'v')])];
    const d = decodeKubernetesProtobuf(envelope('v1', 'Pod', [...msg(1, meta), ...msg(2, spec)])) as { metadata: unknown; spec: Record<string, unknown> };
    expect(d.metadata).toEqual({ name: 'p', creationTimestamp: '2023-11-14T22:13:20Z', annotations: { k: 'v' } });
    expect(d.spec.ephemeralContainers).toEqual([{ name: 'debugger', image: 'busybox', stdin: true, targetContainerName: 'app' }]);
    expect(d.spec.securityContext).toEqual({ runAsUser: 1000 });
    const ev = decodeKubernetesProtobuf(envelope('v1', 'Event', [...msg(1, str(1, 'e')), ...time(10, 1700000000, 123456789)]));
    expect(ev.eventTime).toBe('2023-11-14T22:13:20.123456Z');
  });

  it('has a root for every built-in kind a client can write, subresources\' kinds included (kube-apiserver takes protobuf for all of them)', () => {
    // CustomResourceDefinitions are the exception: JSONSchemaProps' JSON, OrBool and OrArray messages have JSON forms of
    // their own that the table does not describe (client-go's apiextensions clientset sends JSON).
    // Connect subresources (exec, attach, port-forward, proxy) take no body; a status write is its kind's.
    const CONNECT = new Set(['status', 'exec', 'attach', 'portforward', 'proxy']);
    const writable = (verbs: string[]) => verbs.some((v) => v === 'create' || v === 'update');
    const wanted = new Set<string>();
    for (const r of [...RESOURCES, ...CONVERTED_RESOURCES]) {
      if (r.custom || r.crd || r.group === 'apiextensions.k8s.io') continue;
      if (writable(r.verbs)) wanted.add(`${apiVersionOf(r)}/${r.kind}`);
      for (const s of r.subresources) if (writable(s.verbs) && !CONNECT.has(s.name)) wanted.add(`${apiVersionOf(s)}/${s.kind}`);
    }
    expect(wanted.size).toBeGreaterThan(50);
    expect([...wanted].filter((k) => !ROOTS[k])).toEqual([]);
  });

  it('decodes a StatefulSet: claim templates, update strategy, the claim retention policy', () => {
    // Field numbers from k8s.io/api apps/v1 and core/v1 generated.proto (v0.32.9).
    const selector = msg(2, msg(1, [...str(1, 'app'), ...str(2, 'db')]));
    const template = msg(3, [...msg(1, msg(11, [...str(1, 'app'), ...str(2, 'db')])), ...msg(2, msg(2, [...str(1, 'db'), ...str(2, 'postgres:16')]))]);
    const claim = msg(4, [...msg(1, str(1, 'data')), ...msg(2, [...str(1, 'ReadWriteOnce'), ...msg(2, msg(2, [...str(1, 'storage'), ...msg(2, str(1, '1Gi'))]))])]);
    const strategy = msg(7, [...str(1, 'RollingUpdate'), ...msg(2, [...int(1, 0), ...msg(2, [...int(1, 0), ...int(2, 2)])])]);
    const spec = [...int(1, 3), ...selector, ...template, ...claim, ...str(5, 'db'), ...str(6, 'Parallel'), ...strategy, ...msg(10, [...str(1, 'Delete'), ...str(2, 'Retain')])];
    expect(decodeKubernetesProtobuf(envelope('apps/v1', 'StatefulSet', [...msg(1, str(1, 'db')), ...msg(2, spec)]))).toEqual({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
      spec: {
        replicas: 3, selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
        serviceName: 'db', podManagementPolicy: 'Parallel',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 2 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
      },
    });
  });

  it('decodes a NetworkPolicy (named and numbered ports, an ipBlock) and an events.k8s.io/v1 Event (MicroTime, series)', () => {
    const ports = [...msg(1, [...str(1, 'TCP'), ...msg(2, [...int(1, 1), ...str(3, 'http')])]), ...msg(1, [...msg(2, [...int(1, 0), ...int(2, 5432)]), ...int(3, 5440)])];
    const from = msg(2, msg(3, [...str(1, '10.0.0.0/8'), ...str(2, '10.1.0.0/16')]));
    const np = decodeKubernetesProtobuf(envelope('networking.k8s.io/v1', 'NetworkPolicy', [...msg(1, str(1, 'np')), ...msg(2, [...msg(1, []), ...msg(2, [...ports, ...from]), ...str(4, 'Ingress')])]));
    expect(np.spec).toEqual({
      podSelector: {}, policyTypes: ['Ingress'],
      ingress: [{ ports: [{ protocol: 'TCP', port: 'http' }, { port: 5432, endPort: 5440 }], from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }],
    });
    const micro = (no: number, secs: number, nanos: number) => msg(no, [...int(1, secs), ...int(2, nanos)]);
    const regarding = msg(8, [...str(1, 'Pod'), ...str(2, 'default'), ...str(3, 'web-0')]);
    const ev = decodeKubernetesProtobuf(envelope('events.k8s.io/v1', 'Event', [
      ...msg(1, str(2, 'web-0.')), ...micro(2, 1700000000, 5000), ...msg(3, [...int(1, 2), ...micro(2, 1700000060, 0)]),
      ...str(4, 'my-scheduler'), ...str(5, 'my-scheduler-1'), ...str(6, 'Scheduling'), ...str(7, 'Scheduled'), ...regarding, ...str(10, 'placed'), ...str(11, 'Normal'),
    ]));
    expect(ev).toMatchObject({
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { generateName: 'web-0.' }, eventTime: '2023-11-14T22:13:20.000005Z',
      series: { count: 2, lastObservedTime: '2023-11-14T22:14:20.000000Z' }, reportingController: 'my-scheduler', reportingInstance: 'my-scheduler-1',
      action: 'Scheduling', reason: 'Scheduled', regarding: { kind: 'Pod', namespace: 'default', name: 'web-0' }, note: 'placed', type: 'Normal',
    });
    const scale = decodeKubernetesProtobuf(envelope('autoscaling/v1', 'Scale', [...msg(1, [...str(1, 'web'), ...str(3, 'default')]), ...msg(2, int(1, 0))]));
    // replicas is a plain int32 (omitempty): zero is not written, in JSON as in protobuf, and reads as 0.
    expect(scale).toEqual({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default' }, spec: {} });
  });
});
