// The protobuf decoder on hand-encoded bodies and on bodies real kubectl sent: the envelope, nested
// messages, maps, IntOrString, times, pointer zeros, unknown fields skipped, and clear errors for what it
// cannot read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, ProtobufDecodeError } from '../../../main/apiserver/protobuf/decode';
import { MESSAGES } from '../../../main/apiserver/protobuf/schema';

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
    expect(() => decodeKubernetesProtobuf(envelope('networking.k8s.io/v1', 'NetworkPolicy', []))).toThrow(/NetworkPolicy \(networking.k8s.io\/v1\) are not supported by this server; send JSON/);
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
});
