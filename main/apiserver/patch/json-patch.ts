// JSON patch (RFC 6902), as `application/json-patch+json`, applied with fast-json-patch after our own
// validation, so that a failure names the operation and path the way Kubernetes (evanphx/json-patch) does.
import { applyOperation, type Operation } from 'fast-json-patch';
import { PatchError } from './errors';
import { deepClone, deepEqual, isObject } from './json';

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch', 400);
  let current = deepClone(doc);
  ops.forEach((raw, index) => {
    const op = parseOperation(raw, index);
    checkApplies(current, op);
    if (op.op === 'test') return;
    try {
      current = applyOperation(current, deepClone(op), false, true, true).newDocument;
    } catch (e) {
      throw new PatchError(`${op.op} operation does not apply: ${(e as Error).message.split('\n')[0]}`);
    }
  });
  return current;
}

function parseOperation(raw: unknown, index: number): Operation {
  if (!isObject(raw)) throw new PatchError(`invalid JSON patch operation at index ${index}: not an object`, 400);
  const { op, path, from } = raw;
  if (typeof op !== 'string' || !OPS.has(op)) throw new PatchError(`Unexpected kind: ${typeof op === 'string' ? op : 'unknown'}`, 400);
  if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
    throw new PatchError(`${op} operation failed to decode path`, 400);
  }
  if ((op === 'move' || op === 'copy') && (typeof from !== 'string' || (from !== '' && !from.startsWith('/')))) {
    throw new PatchError(`${op} operation failed to decode from`, 400);
  }
  if ((op === 'add' || op === 'replace' || op === 'test') && !('value' in raw)) {
    throw new PatchError(`${op} operation does not apply: missing value for path: ${path}`, 400);
  }
  return raw as unknown as Operation;
}

function tokens(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Lookup = { parent: unknown; key: string; found: boolean; value: unknown } | undefined;

/** The container of the last token of `pointer` (undefined if it does not exist) and the value there. */
function lookup(doc: unknown, pointer: string): Lookup {
  const toks = tokens(pointer);
  if (toks.length === 0) return { parent: undefined, key: '', found: true, value: doc };
  let node: unknown = doc;
  for (const t of toks.slice(0, -1)) {
    const next = child(node, t);
    if (next === undefined) return undefined;
    node = next;
  }
  const key = toks[toks.length - 1];
  if (!Array.isArray(node) && !isObject(node)) return undefined;
  const value = child(node, key);
  return { parent: node, key, found: value !== undefined, value };
}

function child(node: unknown, token: string): unknown {
  if (Array.isArray(node)) return /^(0|[1-9][0-9]*)$/.test(token) ? node[Number(token)] : undefined;
  if (isObject(node)) return Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
  return undefined;
}

function checkApplies(doc: unknown, op: Operation): void {
  const at = lookup(doc, op.path);
  switch (op.op) {
    case 'add': {
      if (!at) throw new PatchError(`add operation does not apply: doc is missing path: "${op.path}": missing value`);
      if (Array.isArray(at.parent)) {
        const n = at.key === '-' ? at.parent.length : Number(at.key);
        if (!/^(0|[1-9][0-9]*|-)$/.test(at.key) || n > at.parent.length) {
          throw new PatchError(`error in add for path: '${op.path}': Unable to access invalid index: ${at.key}: invalid index referenced`);
        }
      }
      return;
    }
    case 'remove':
      if (!at) throw new PatchError(`remove operation does not apply: doc is missing path: "${op.path}": missing value`);
      if (!at.found) throw new PatchError(`error in remove for path: '${op.path}': Unable to remove nonexistent key: ${at.key}: missing value`);
      return;
    case 'replace':
      if (!at) throw new PatchError(`replace operation does not apply: doc is missing path: ${op.path}: missing value`);
      if (!at.found) throw new PatchError(`replace operation does not apply: doc is missing key: ${op.path}: missing value`);
      return;
    case 'move':
    case 'copy': {
      const src = lookup(doc, op.from);
      if (!src || !src.found) throw new PatchError(`${op.op} operation does not apply: doc is missing from path: ${op.from}: missing value`);
      if (op.op === 'move' && op.path.startsWith(`${op.from}/`)) {
        throw new PatchError(`move operation does not apply: cannot move ${op.from} into its own child ${op.path}`);
      }
      if (!at) throw new PatchError(`${op.op} operation does not apply: doc is missing destination path: ${op.path}: missing value`);
      return;
    }
    case 'test':
      if (!at) throw new PatchError(`test operation does not apply: is missing path: ${op.path}: missing value`);
      if (!deepEqual(at.found ? at.value : null, op.value)) throw new PatchError(`testing value ${op.path} failed: test failed`);
      return;
    default:
      return;
  }
}
