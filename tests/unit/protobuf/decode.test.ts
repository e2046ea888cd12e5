// The protobuf decoder on hand-encoded bodies: the envelope, nested messages, maps, IntOrString,
// pointer zeros, and clear errors for what it cannot read.
import { describe, expect, it } from 'vitest';
import { decodeKubernetesProtobuf, ProtobufDecodeError } from '../../../main/apiserver/protobuf/decode';

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
    expect(() => decodeKubernetesProtobuf(envelope('batch/v1', 'Job', []))).toThrow(/Job \(batch\/v1\) are not supported by this server; send JSON/);
    expect(() => decodeKubernetesProtobuf(envelope('v1', 'ConfigMap', [...str(9, 'surprise')]))).toThrow(/protobuf field 9 is not supported/);
    const truncated = envelope('v1', 'ConfigMap', str(1, 'x')).slice(0, -1);
    expect(() => decodeKubernetesProtobuf(truncated)).toThrow(/malformed protobuf body/);
  });
});
