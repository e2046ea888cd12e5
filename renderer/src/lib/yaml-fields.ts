// Where things are in a YAML text of one or more documents: a Kubernetes field path (`spec.template.spec.containers[0].image`,
// as a 422 Status's causes name it) mapped to its place in its document, the document's first line for errors without a
// field, YAML syntax errors at their position, and the server's per-document results turned into diagnostics.
import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import type { DocumentResult } from '../../../main/bridge/contract';

export interface Span {
  from: number;
  to: number;
}

export interface YamlDiagnostic extends Span {
  severity: 'error' | 'warning' | 'info';
  message: string;
}

export type Segment = string | number;

export function parseDocuments(text: string): Document.Parsed[] {
  return [...parseAllDocuments(text)];
}

/** `spec.containers[0].image` → ['spec', 'containers', 0, 'image']; a bracketed non-number is a map key (`labels[app.kubernetes.io/name]`). */
export function fieldSegments(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /\.?([^.[\]]+)|\[([^\]]*)\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}

/** The rest of the line from `from` (at most to `to`). */
function lineFrom(text: string, from: number, to = text.length): Span {
  const nl = text.indexOf('\n', from);
  return { from, to: Math.min(nl < 0 ? text.length : nl, Math.max(to, from)) };
}

/** The first line of a document's contents (or of the document, when it is empty). */
export function documentTop(text: string, doc: Document.Parsed | undefined): Span {
  if (!doc) return lineFrom(text, 0);
  const start = doc.contents?.range[0] ?? doc.range[0];
  return lineFrom(text, start);
}

function keyOf(n: unknown): string | undefined {
  return isScalar(n) ? String(n.value) : undefined;
}

/**
 * Where a field is: the key and a scalar value's line, a collection's key, a sequence item's first line. A field that
 * is not in the text (a missing required field) is shown at the deepest part of its path that is. A path without list
 * indexes (encoding/json's errors name none: `spec.template.spec.containers.env.value`) is looked for in each item of a
 * list, the first that has the rest of it.
 */
export function fieldSpan(text: string, doc: Document.Parsed, segments: Segment[]): Span {
  return walk(text, doc.contents, segments, 0, documentTop(text, doc)).span;
}

function walk(text: string, node: unknown, segments: Segment[], i: number, best: Span): { span: Span; found: boolean } {
  if (i === segments.length) return { span: best, found: true };
  const seg = segments[i];
  if (isMap(node)) {
    const pair = node.items.find((p) => keyOf(p.key) === String(seg));
    if (!pair || !isScalar(pair.key) || !pair.key.range) return { span: best, found: false };
    const value = pair.value as Node | null;
    const k = pair.key.range;
    return walk(text, value, segments, i + 1, value && isScalar(value) && value.range ? lineFrom(text, k[0], value.range[1]) : lineFrom(text, k[0]));
  }
  if (!isSeq(node)) return { span: best, found: false };
  if (typeof seg === 'number') {
    const item = node.items[seg] as Node | undefined;
    if (!item?.range) return { span: best, found: false };
    return walk(text, item, segments, i + 1, lineFrom(text, item.range[0], item.range[1]));
  }
  let first: { span: Span; found: boolean } | undefined;
  for (const item of node.items as Array<Node | undefined>) {
    if (!item?.range) continue;
    const r = walk(text, item, segments, i, lineFrom(text, item.range[0], item.range[1]));
    if (r.found) return r;
    first ??= r;
  }
  return first ?? { span: best, found: false };
}

/** YAML errors (and warnings) of every document, at their positions. */
export function syntaxDiagnostics(text: string, docs = parseDocuments(text)): YamlDiagnostic[] {
  const out: YamlDiagnostic[] = [];
  for (const doc of docs) {
    for (const e of doc.errors) out.push({ from: e.pos[0], to: Math.max(e.pos[1], e.pos[0] + 1), severity: 'error', message: e.message.split('\n')[0] });
    for (const w of doc.warnings) out.push({ from: w.pos[0], to: Math.max(w.pos[1], w.pos[0] + 1), severity: 'warning', message: w.message.split('\n')[0] });
  }
  return out.map((d) => ({ ...d, from: Math.min(d.from, text.length), to: Math.min(d.to, text.length) }));
}

/**
 * A field path in a message without causes: `unknown field "spec.x"` (strict decoding), encoding/json's `… into Go struct
 * field DeploymentSpec.spec.replicas of type int32`, `spec.replicas: expected integer…`.
 */
export function fieldInMessage(message: string): string | undefined {
  const unknown = /unknown field "([^"]+)"/.exec(message);
  if (unknown) return unknown[1];
  const go = /into Go struct field \w*\.(\S+) of type /.exec(message);
  if (go) return go[1];
  const prefixed = /(?:^|: )(\.?[a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_-]+|\[[^\]]*\])+): /.exec(message);
  return prefixed?.[1];
}

/** The server's refusals, each next to the field it names (per cause), else at its document's top. */
export function resultDiagnostics(text: string, results: DocumentResult[], docs = parseDocuments(text)): YamlDiagnostic[] {
  const out: YamlDiagnostic[] = [];
  for (const r of results) {
    if (!r.error) continue;
    const doc = docs[r.document];
    const prefix: Segment[] = r.item === undefined ? [] : ['items', r.item];
    const at = (field: string | undefined): Span => (doc && field ? fieldSpan(text, doc, [...prefix, ...fieldSegments(field)]) : documentTop(text, doc));
    const causes = (r.error.causes ?? []).filter((c) => c.field);
    if (causes.length > 0 && r.error.code === 422) {
      for (const c of causes) out.push({ ...at(c.field), severity: 'error', message: `${c.field}: ${c.message ?? c.reason ?? 'invalid'}` });
    } else if (causes.length > 0) {
      const top = documentTop(text, doc);
      out.push({ ...top, severity: 'error', message: r.error.message });
      for (const c of causes) out.push({ ...at(c.field), severity: 'error', message: c.message ?? r.error.message });
    } else {
      out.push({ ...at(fieldInMessage(r.error.message)), severity: 'error', message: r.error.message });
    }
  }
  return out;
}
