// CodeMirror 6 for Kubernetes YAML: highlighting, the schema's fields as completions (with type and description),
// YAML errors and the schema check as lint, and the server's diagnostics from the last dry-run, kept in place
// while the text is edited (one that the edit touches goes). Imported only by the lazily loaded editor.
import { basicSetup } from 'codemirror';
import { EditorView } from '@codemirror/view';
import { StateEffect, StateField } from '@codemirror/state';
import type { Extension } from '@codemirror/state';
import { yaml } from '@codemirror/lang-yaml';
import { forceLinting, linter, lintGutter } from '@codemirror/lint';
import type { Diagnostic } from '@codemirror/lint';
import { autocompletion } from '@codemirror/autocomplete';
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { Document } from 'yaml';
import { parseDocuments, syntaxDiagnostics } from './yaml-fields';
import type { YamlDiagnostic } from './yaml-fields';
import { fieldOptions, keyContextAt, kindSchema, schemaDiagnostics } from './yaml-schema';
import type { Schemas } from './yaml-schema';

export type SchemaSource = (apiVersion: string) => Promise<Schemas>;

const setServer = StateEffect.define<YamlDiagnostic[]>();

const serverField = StateField.define<YamlDiagnostic[]>({
  create: () => [],
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setServer)) return e.value;
    if (!tr.docChanged) return value;
    const kept: YamlDiagnostic[] = [];
    for (const d of value) {
      let touched = false;
      tr.changes.iterChangedRanges((fromA, toA) => {
        if (fromA <= d.to && toA >= d.from) touched = true;
      });
      if (!touched) kept.push({ ...d, from: tr.changes.mapPos(d.from), to: tr.changes.mapPos(d.to) });
    }
    return kept;
  },
});

/** Shows the server's diagnostics (replacing earlier ones) and lints again at once. */
export function showServerDiagnostics(view: EditorView, diagnostics: YamlDiagnostic[]): void {
  view.dispatch({ effects: setServer.of(diagnostics) });
  forceLinting(view);
}

function docAt(docs: Document.Parsed[], pos: number): Document.Parsed | undefined {
  return docs.find((d) => pos >= d.range[0] && pos <= d.range[2]) ?? docs[docs.length - 1];
}

function stringAt(doc: Document.Parsed | undefined, key: string): string | undefined {
  const v: unknown = doc?.get(key);
  return typeof v === 'string' ? v : undefined;
}

function lintSource(schemasFor: SchemaSource) {
  return async (view: EditorView): Promise<Diagnostic[]> => {
    const text = view.state.doc.toString();
    const docs = parseDocuments(text);
    const out: YamlDiagnostic[] = syntaxDiagnostics(text, docs);
    for (const doc of docs) {
      const apiVersion = stringAt(doc, 'apiVersion');
      if (apiVersion) out.push(...schemaDiagnostics(doc, await schemasFor(apiVersion)));
    }
    const server = view.state.field(serverField);
    const fromServer = new Set(server.map((d) => d.from));
    const own = out.filter((d) => !fromServer.has(d.from));
    const max = view.state.doc.length;
    return [...own, ...server.map((d) => ({ ...d, source: 'server' }))]
      .map((d) => ({ ...d, from: Math.min(d.from, max), to: Math.min(d.to, max) }));
  };
}

function completionSource(schemasFor: SchemaSource) {
  return async (ctx: CompletionContext): Promise<CompletionResult | null> => {
    const text = ctx.state.doc.toString();
    const kc = keyContextAt(text, ctx.pos);
    if (!kc || (!ctx.explicit && kc.prefix === '')) return null;
    const doc = docAt(parseDocuments(text), ctx.pos);
    const apiVersion = stringAt(doc, 'apiVersion');
    const kind = stringAt(doc, 'kind');
    if (!apiVersion || !kind) return null;
    const schemas = await schemasFor(apiVersion);
    const options = fieldOptions(kindSchema(schemas, apiVersion, kind), kc.path, schemas);
    if (options.length === 0) return null;
    return {
      from: kc.from,
      validFor: /^[A-Za-z0-9_./-]*$/,
      options: options.map((o) => ({
        label: o.label, type: 'property', detail: `${o.type}${o.required ? ' · required' : ''}`, info: o.description, apply: `${o.label}: `,
        boost: o.required ? 1 : 0,
      })),
    };
  };
}

export function yamlEditorExtensions(schemasFor: SchemaSource, onChange: (text: string) => void): Extension[] {
  return [
    basicSetup,
    yaml(),
    serverField,
    lintGutter(),
    linter(lintSource(schemasFor), { delay: 300, needsRefresh: (u) => u.transactions.some((tr) => tr.effects.some((e) => e.is(setServer))) }),
    autocompletion({ override: [completionSource(schemasFor)], activateOnTyping: true }),
    EditorView.updateListener.of((u) => {
      if (u.docChanged) onChange(u.state.doc.toString());
    }),
    EditorView.theme({
      '&': { height: '100%', fontSize: '12.5px', backgroundColor: 'var(--surface)', color: 'var(--text)' },
      '.cm-scroller': { fontFamily: 'var(--mono)' },
      '.cm-gutters': { backgroundColor: 'var(--surface-2)', color: 'var(--muted)', borderRight: '1px solid var(--border)' },
      '.cm-tooltip-autocomplete .cm-completionDetail': { marginLeft: '8px', color: 'var(--muted)', fontStyle: 'normal' },
    }),
  ];
}
