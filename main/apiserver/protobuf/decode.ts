// Decodes Kubernetes' protobuf encoding (the "k8s\0" magic, a runtime.Unknown envelope, then the
// object) into the same JSON object the server would have received as application/json.
import { MESSAGES, ROOTS } from './schema';
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
    const envelope = decodeMessage(buf.subarray(4), 'Unknown', 'Unknown', true);
    const tm = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
    const root = ROOTS[`${tm.apiVersion}/${tm.kind}`];
    if (!root) throw new ProtobufDecodeError(`protobuf bodies of ${tm.kind ?? '?'} (${tm.apiVersion ?? '?'}) are not supported by this server; send JSON instead`);
    const raw = envelope.raw;
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'base64') : new Uint8Array();
    const obj = decodeMessage(bytes, root, root, false);
    return { apiVersion: tm.apiVersion, kind: tm.kind, ...obj };
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
    // gogo-protobuf writes every non-pointer field, set or not: unknown fields holding zero values carry nothing.
    if (!fs && (f.varint === 0n || (f.bytes !== undefined && f.bytes.length === 0))) continue;
    if (!fs) throw new ProtobufDecodeError(`${path}: protobuf field ${f.no} is not supported by this server; send JSON instead (for example kubectl create -f with a manifest)`);
    const [json, type] = fs;
    if (type === '~') continue;
    const inline = json.startsWith('^');
    const key = inline ? json.slice(1) : json;
    const repeated = type.endsWith('[]');
    const pointer = type.endsWith('*');
    const base = type.replace(/\[\]$/, '').replace(/\*$/, '');
    if (base.startsWith('{')) {
      const entry = decodeMapEntry(f, base.slice(1, -1), `${path}.${key}`);
      const map = (out[key] ??= {}) as Record<string, unknown>;
      map[entry[0]] = entry[1];
      continue;
    }
    const value = decodeValue(f, base, `${path}.${key}`, keepZero || pointer);
    if (inline) {
      Object.assign(out, value as Record<string, unknown>);
    } else if (repeated) {
      ((out[key] ??= []) as unknown[]).push(value);
    } else if (value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

function decodeMapEntry(f: WireField, valueType: string, path: string): [string, unknown] {
  if (!f.bytes) throw new ProtobufDecodeError(`${path}: a map entry must be length-delimited`);
  let k = '';
  let v: unknown = valueType === 'y' ? '' : '';
  for (const e of readFields(f.bytes)) {
    if (e.no === 1) k = str(e, path);
    else if (e.no === 2) v = decodeValue(e, valueType === 's' ? 's' : valueType, path, true) ?? '';
  }
  return [k, v];
}

function str(f: WireField, path: string): string {
  if (!f.bytes) throw new ProtobufDecodeError(`${path}: expected a string`);
  try {
    return utf8.decode(f.bytes);
  } catch {
    throw new ProtobufDecodeError(`${path}: invalid UTF-8`);
  }
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
    case 't': {
      const t = decodeMessage(f.bytes ?? new Uint8Array(), 'TimeMsg', path, true);
      const secs = Number(t.seconds ?? 0);
      return secs === 0 ? undefined : new Date(secs * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    case 'q': {
      for (const e of readFields(f.bytes ?? new Uint8Array())) if (e.no === 1) return str(e, path);
      return '0';
    }
    case 'x': {
      const v = decodeMessage(f.bytes ?? new Uint8Array(), 'IntOrStringMsg', path, true);
      return Number(v.type ?? 0) === 1 ? String(v.strVal ?? '') : Number(v.intVal ?? 0);
    }
    default:
      if (type.startsWith('m:')) {
        if (!f.bytes) throw new ProtobufDecodeError(`${path}: expected a message`);
        return decodeMessage(f.bytes, type.slice(2), path, false);
      }
      throw new ProtobufDecodeError(`${path}: unknown schema type ${type}`);
  }
}

// Small helper messages used by the scalar decoders above.
MESSAGES.TimeMsg = { 1: ['seconds', 'i*'], 2: ['nanos', 'i*'] };
MESSAGES.IntOrStringMsg = { 1: ['type', 'i*'], 2: ['intVal', 'i*'], 3: ['strVal', 's*'] };
