// Decodes Kubernetes' protobuf encoding (the "k8s\0" magic, a runtime.Unknown envelope, then the
// object) into the same JSON object the server would have received as application/json. Driven by
// the schema table (schema.ts): fields the table does not know are skipped, as Kubernetes' own
// decoder skips them.
import { ENVELOPE, MESSAGES, ROOTS } from './schema';
import type { MessageSpec } from './schema';
import { readFields, toSigned, WireError } from './wire';
import type { WireField } from './wire';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = [0x6b, 0x38, 0x73, 0x00];

export class ProtobufDecodeError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeKubernetesProtobuf(buf: Uint8Array): Record<string, unknown> {
  if (buf.length < 4 || MAGIC.some((b, i) => buf[i] !== b)) throw new ProtobufDecodeError('the body is not Kubernetes protobuf (missing the "k8s\\x00" prefix)');
  try {
    const envelope = decodeMessage(buf.subarray(4), ENVELOPE, 'Unknown', true);
    const { apiVersion, kind } = envelope as { apiVersion?: string; kind?: string };
    const root = ROOTS[`${apiVersion}/${kind}`];
    if (!root) throw new ProtobufDecodeError(`protobuf bodies of ${kind ?? '?'} (${apiVersion ?? '?'}) are not supported by this server; send JSON instead`);
    const raw = envelope.raw;
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'base64') : new Uint8Array();
    const obj = decodeMessage(bytes, root, kind ?? root, false);
    return { apiVersion, kind, ...obj };
  } catch (e) {
    if (e instanceof WireError) throw new ProtobufDecodeError(`malformed protobuf body: ${e.message}`);
    throw e;
  }
}

function decodeMessage(buf: Uint8Array, name: string, path: string, keepZero: boolean): Record<string, unknown> {
  const spec: MessageSpec | undefined = MESSAGES[name];
  if (!spec) throw new ProtobufDecodeError(`no protobuf schema for ${name}`);
  const out: Record<string, unknown> = {};
  for (const f of readFields(buf)) {
    const fs = spec[f.no];
    if (!fs) continue; // a field from a newer release: skipped, as the generated Go unmarshaller does
    const [json, type] = fs;
    const inline = json.startsWith('^');
    const key = inline ? json.slice(1) : json;
    const repeated = type.endsWith('[]');
    const kept = type.endsWith('*');
    const base = type.replace(/\[\]$/, '').replace(/\*$/, '');
    if (base.startsWith('{')) {
      const entry = decodeMapEntry(f, base.slice(1, -1), `${path}.${key}`);
      const map = (out[key] ??= {}) as Record<string, unknown>;
      map[entry[0]] = entry[1];
      continue;
    }
    const value = decodeValue(f, base, `${path}.${key}`, keepZero || kept);
    if (inline) {
      Object.assign(out, value as Record<string, unknown>);
    } else if (repeated) {
      ((out[key] ??= []) as unknown[]).push(value ?? zeroOf(base));
    } else if (value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

/** What an element of a repeated scalar decodes to when it is the zero value. */
function zeroOf(type: string): unknown {
  if (type === 's') return '';
  if (type === 'i') return 0;
  if (type === 'b') return false;
  return null;
}

function decodeMapEntry(f: WireField, valueType: string, path: string): [string, unknown] {
  if (!f.bytes) throw new ProtobufDecodeError(`${path}: a map entry must be length-delimited`);
  let k = '';
  let v: unknown;
  for (const e of readFields(f.bytes)) {
    if (e.no === 1) k = str(e, path);
    else if (e.no === 2) v = decodeValue(e, valueType, `${path}[${k}]`, true);
  }
  return [k, v ?? (valueType === 'q' ? '0' : valueType.startsWith('m:') ? {} : zeroOf(valueType) ?? '')];
}

function str(f: WireField, path: string): string {
  if (!f.bytes) throw new ProtobufDecodeError(`${path}: expected a string`);
  try {
    return utf8.decode(f.bytes);
  } catch {
    throw new ProtobufDecodeError(`${path}: invalid UTF-8`);
  }
}

/** RFC 3339 in UTC with `digits` fractional digits (0 for Time, 6 for MicroTime). */
function rfc3339(seconds: number, nanos: number, digits: number): string {
  const base = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  return digits ? `${base}.${String(nanos).padStart(9, '0').slice(0, digits)}Z` : `${base}Z`;
}

/** Go's time.Duration.String(): 1h2m3.5s, 150ms, 0s. */
function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let n = neg ? -ns : ns;
  const sign = neg ? '-' : '';
  if (n < 1000n) return `${sign}${n}ns`;
  if (n < 1_000_000n) return `${sign}${trimFraction(n, 1000n)}µs`;
  if (n < 1_000_000_000n) return `${sign}${trimFraction(n, 1_000_000n)}ms`;
  const h = n / 3_600_000_000_000n;
  n -= h * 3_600_000_000_000n;
  const m = n / 60_000_000_000n;
  n -= m * 60_000_000_000n;
  return `${sign}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${trimFraction(n, 1_000_000_000n)}s`;
}

function trimFraction(n: bigint, unit: bigint): string {
  const whole = n / unit;
  const frac = (n % unit).toString().padStart(unit.toString().length - 1, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

function decodeValue(f: WireField, type: string, path: string, keepZero: boolean): unknown {
  switch (type) {
    case 's': {
      const s = str(f, path);
      return s === '' && !keepZero ? undefined : s;
    }
    case 'y':
      return Buffer.from(f.bytes ?? new Uint8Array()).toString('base64');
    case 'i': {
      if (f.varint === undefined) throw new ProtobufDecodeError(`${path}: expected an integer`);
      const n = toSigned(f.varint);
      return n === 0 && !keepZero ? undefined : n;
    }
    case 'b': {
      if (f.varint === undefined) throw new ProtobufDecodeError(`${path}: expected a bool`);
      const b = f.varint !== 0n;
      return !b && !keepZero ? undefined : b;
    }
    case 't':
    case 'T': {
      const t = nested(f, path);
      const secs = Number(t.get(1) ?? 0n);
      const nanos = Number(t.get(2) ?? 0n);
      if (secs === 0 && nanos === 0) return undefined;
      return rfc3339(secs, nanos, type === 'T' ? 6 : 0);
    }
    case 'D':
      return goDuration(BigInt.asIntN(64, nested(f, path).get(1) ?? 0n));
    case 'q': {
      for (const e of readFields(f.bytes ?? new Uint8Array())) if (e.no === 1) return str(e, path);
      return '0';
    }
    case 'x': {
      const v = nested(f, path);
      return Number(v.get(1) ?? 0n) === 1 ? strField(f, 3, path) : toSigned(v.get(2) ?? 0n);
    }
    case 'l':
      // A list wrapper (ExtraValue: `repeated string items = 1`) whose JSON is the plain array.
      return readFields(f.bytes ?? new Uint8Array()).filter((e) => e.no === 1).map((e) => str(e, path));
    case 'r': {
      const rawField = readFields(f.bytes ?? new Uint8Array()).find((e) => e.no === 1);
      if (!rawField?.bytes?.length) return undefined;
      try {
        return JSON.parse(utf8.decode(rawField.bytes)) as unknown;
      } catch {
        throw new ProtobufDecodeError(`${path}: raw field is not JSON`);
      }
    }
    default:
      if (type.startsWith('m:')) {
        if (!f.bytes) throw new ProtobufDecodeError(`${path}: expected a message`);
        return decodeMessage(f.bytes, type.slice(2), path, false);
      }
      throw new ProtobufDecodeError(`${path}: unknown schema type ${type}`);
  }
}

/** The varint fields of a small nested message (Time, Duration, IntOrString) by number. */
function nested(f: WireField, path: string): Map<number, bigint> {
  if (!f.bytes) throw new ProtobufDecodeError(`${path}: expected a message`);
  const out = new Map<number, bigint>();
  for (const e of readFields(f.bytes)) if (e.varint !== undefined) out.set(e.no, e.varint);
  return out;
}

function strField(f: WireField, no: number, path: string): string {
  const e = readFields(f.bytes ?? new Uint8Array()).find((x) => x.no === no);
  return e ? str(e, path) : '';
}
