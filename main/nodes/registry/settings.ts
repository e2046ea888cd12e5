// <data-dir>/registries.yaml in k3s' format (mirrors with endpoints; per-registry auth and TLS), parsed and checked.
// A malformed file throws a RegistriesFileError naming the file and line; callers keep the settings they had.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { RegistryCredentials } from '../../protocol/registry-auth';
import { goRegExp } from '../../protocol/registry-rewrite';

export interface RegistryMirror {
  /** Endpoint URLs tried in order (no scheme: https), before the registry itself. */
  endpoint: string[];
  /** k3s' repository rewrites (Go regexp → replacement) in the file's order, for pulls from the endpoints (the agent applies them). */
  rewrite?: Array<[string, string]>;
}

export interface RegistryTls {
  ca_file?: string;
  cert_file?: string;
  key_file?: string;
  insecure_skip_verify?: boolean;
}

export interface RegistryConfig {
  auth?: RegistryCredentials;
  tls?: RegistryTls;
}

export interface RegistriesYaml {
  mirrors: Record<string, RegistryMirror>;
  configs: Record<string, RegistryConfig>;
}

export const EMPTY_REGISTRIES: RegistriesYaml = { mirrors: {}, configs: {} };

export class RegistriesFileError extends Error {}

type Path = Array<string | number>;

const HOST = /^(\*|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?)$/;

class Reader {
  constructor(private readonly doc: Document, private readonly lines: LineCounter, private readonly file: string) {}

  fail(path: Path, message: string): never {
    const node = this.doc.getIn(path, true) as YamlNode | undefined;
    const offset = node?.range?.[0] ?? 0;
    const { line } = this.lines.linePos(offset);
    throw new RegistriesFileError(`${this.file}: line ${line}: ${path.length ? `${path.join('.')}: ` : ''}${message}`);
  }

  node(path: Path): unknown {
    return this.doc.getIn(path, true);
  }

  /** The keys of the map at path (none when absent or null); fails unless a map with string keys among `allowed`. */
  keys(path: Path, allowed?: readonly string[]): string[] {
    const n = this.node(path);
    if (n === undefined || n === null || (isScalar(n) && n.value === null)) return [];
    if (!isMap(n)) this.fail(path, 'must be a mapping');
    const out: string[] = [];
    for (const item of n.items) {
      const k = isScalar(item.key) ? item.key.value : undefined;
      if (typeof k !== 'string' && typeof k !== 'number') this.fail(path, 'keys must be strings');
      const key = String(k);
      if (allowed && !allowed.includes(key)) this.fail([...path, key], `unknown field (expected one of ${allowed.join(', ')})`);
      out.push(key);
    }
    return out;
  }

  str(path: Path): string | undefined {
    const n = this.node(path);
    if (n === undefined) return undefined;
    if (!isScalar(n) || (typeof n.value !== 'string' && typeof n.value !== 'number')) this.fail(path, 'must be a string');
    return String(n.value);
  }

  bool(path: Path): boolean | undefined {
    const n = this.node(path);
    if (n === undefined) return undefined;
    if (!isScalar(n) || typeof n.value !== 'boolean') this.fail(path, 'must be true or false');
    return n.value;
  }

  strings(path: Path): string[] {
    const n = this.node(path);
    if (n === undefined) return [];
    if (!isSeq(n)) this.fail(path, 'must be a list of strings');
    return n.items.map((_, i) => this.str([...path, i]) ?? '');
  }
}

function checkHost(r: Reader, path: Path, host: string): void {
  if (!HOST.test(host)) r.fail(path, `"${host}" is not a registry host[:port]`);
}

function checkEndpoint(r: Reader, path: Path, url: string): void {
  const withScheme = /^[a-z]+:\/\//i.test(url) ? url : `https://${url}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    return r.fail(path, `"${url}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') r.fail(path, `"${url}": the scheme must be http or https`);
}

/** Why a rewrite's expression cannot be used (k3s compiles it with Go's RE2: no lookaround, no backreferences), or undefined. */
function regexpProblem(expr: string): string | undefined {
  if (/\(\?<?[=!]/.test(expr)) return 'lookahead and lookbehind are not supported (Go RE2 syntax)';
  if (/(^|[^\\])(\\\\)*\\[1-9]/.test(expr)) return 'backreferences are not supported (Go RE2 syntax)';
  try {
    goRegExp(expr);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace(/^Invalid regular expression: \/.*\/\w*: /, '');
  }
}

function readMirrors(r: Reader): Record<string, RegistryMirror> {
  const out: Record<string, RegistryMirror> = {};
  for (const host of r.keys(['mirrors'])) {
    checkHost(r, ['mirrors', host], host);
    r.keys(['mirrors', host], ['endpoint', 'rewrite']);
    const endpoint = r.strings(['mirrors', host, 'endpoint']);
    endpoint.forEach((e, i) => checkEndpoint(r, ['mirrors', host, 'endpoint', i], e));
    const rewrite: Array<[string, string]> = [];
    for (const re of r.keys(['mirrors', host, 'rewrite'])) {
      const problem = regexpProblem(re);
      if (problem) r.fail(['mirrors', host, 'rewrite', re], `invalid regular expression: ${problem}`);
      rewrite.push([re, r.str(['mirrors', host, 'rewrite', re]) ?? '']);
    }
    out[host] = { endpoint, ...(rewrite.length ? { rewrite } : {}) };
  }
  return out;
}

function readConfigs(r: Reader): Record<string, RegistryConfig> {
  const out: Record<string, RegistryConfig> = {};
  for (const host of r.keys(['configs'])) {
    checkHost(r, ['configs', host], host);
    const parts = r.keys(['configs', host], ['auth', 'tls']);
    const c: RegistryConfig = {};
    if (parts.includes('auth')) {
      const auth: RegistryCredentials = {};
      for (const k of r.keys(['configs', host, 'auth'], ['username', 'password', 'auth', 'identitytoken'])) {
        auth[k as keyof RegistryCredentials] = r.str(['configs', host, 'auth', k]);
      }
      c.auth = auth;
    }
    if (parts.includes('tls')) {
      const tls: RegistryTls = {};
      for (const k of r.keys(['configs', host, 'tls'], ['ca_file', 'cert_file', 'key_file', 'insecure_skip_verify'])) {
        if (k === 'insecure_skip_verify') tls.insecure_skip_verify = r.bool(['configs', host, 'tls', k]);
        else tls[k as 'ca_file' | 'cert_file' | 'key_file'] = r.str(['configs', host, 'tls', k]);
      }
      if (Boolean(tls.cert_file) !== Boolean(tls.key_file)) r.fail(['configs', host, 'tls'], 'cert_file and key_file go together');
      c.tls = tls;
    }
    out[host] = c;
  }
  return out;
}

/** Parses registries.yaml's text; `file` names it in errors. An empty file is no settings. */
export function parseRegistriesYaml(text: string, file = 'registries.yaml'): RegistriesYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    // An error at the end of the file (an unclosed bracket) is on its last line, not the one after it.
    const lastLine = Math.max(1, text.replace(/\n$/, '').split('\n').length);
    const line = Math.min(err.linePos?.[0]?.line ?? 1, lastLine);
    throw new RegistriesFileError(`${file}: line ${line}: ${err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`);
  }
  const r = new Reader(doc, lines, file);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return { mirrors: {}, configs: {} };
  r.keys([], ['mirrors', 'configs']);
  return { mirrors: readMirrors(r), configs: readConfigs(r) };
}

/** `--insecure-registry HOST:PORT`: checked like a registries.yaml host. */
export function parseInsecureRegistry(raw: string): string {
  if (raw === '*' || !HOST.test(raw)) throw new Error(`"${raw}" is not a registry HOST[:PORT]`);
  return raw;
}
