// A kubeconfig file read as client-go's clientcmd reads it: its contexts, each resolved to the
// server, TLS trust and credentials it names (file paths relative to the kubeconfig's folder).
// What the UI cannot use (exec plugins, auth providers) is kept as the context's problem, in words.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export interface ClusterCredentials {
  server: string;
  caCertPem?: string;
  insecureSkipTlsVerify?: boolean;
  tlsServerName?: string;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  username?: string;
  password?: string;
}

export interface KubeContext {
  /** `<file>#<context name>`: unique across files. */
  id: string;
  name: string;
  file: string;
  cluster: string;
  user: string;
  namespace?: string;
  server?: string;
  current: boolean;
  /** Why the UI cannot connect with it, when it cannot. */
  problem?: string;
  credentials?: ClusterCredentials;
}

type Named = { name?: unknown; cluster?: unknown; user?: unknown; context?: unknown };
type Dict = Record<string, unknown>;

function dict(v: unknown): Dict {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {};
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function byName(list: unknown, field: 'cluster' | 'user' | 'context'): Map<string, Dict> {
  const m = new Map<string, Dict>();
  if (!Array.isArray(list)) return m;
  for (const e of list as Named[]) {
    const name = text(e?.name);
    // The first entry of a name wins, as clientcmd merges.
    if (name && !m.has(name)) m.set(name, dict(e[field]));
  }
  return m;
}

/** Inline data (base64) or a file (relative to the kubeconfig's folder); undefined when neither is set. */
function material(entry: Dict, dataKey: string, fileKey: string, dir: string, what: string): string | undefined {
  const data = text(entry[dataKey]);
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  const file = text(entry[fileKey]);
  if (!file) return undefined;
  const p = path.resolve(dir, file);
  try {
    return fs.readFileSync(p, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the ${what} ${p}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

function credentialsOf(cluster: Dict, user: Dict, dir: string): ClusterCredentials {
  const server = text(cluster.server);
  if (!server) throw new Error('its cluster has no server');
  if (user.exec !== undefined) {
    const cmd = text(dict(user.exec).command) ?? 'a command';
    throw new Error(`its user authenticates with an exec plugin (${cmd}), which the Flotilla UI does not run; use a token or client certificate`);
  }
  if (user['auth-provider'] !== undefined) {
    throw new Error(`its user authenticates with the "${text(dict(user['auth-provider']).name) ?? '?'}" auth provider, which the Flotilla UI does not support`);
  }
  const tokenFile = text(user.tokenFile);
  let token = text(user.token);
  if (!token && tokenFile) token = fs.readFileSync(path.resolve(dir, tokenFile), 'utf8').trim();
  return {
    server,
    caCertPem: material(cluster, 'certificate-authority-data', 'certificate-authority', dir, 'certificate authority'),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    tlsServerName: text(cluster['tls-server-name']),
    token,
    clientCertPem: material(user, 'client-certificate-data', 'client-certificate', dir, 'client certificate'),
    clientKeyPem: material(user, 'client-key-data', 'client-key', dir, 'client key'),
    username: text(user.username),
    password: text(user.password),
  };
}

/** The contexts of one kubeconfig text; `file` names it in ids and messages, and anchors relative paths. */
export function parseKubeconfig(source: string, file: string): KubeContext[] {
  let doc: Dict;
  try {
    doc = dict(parse(source) as unknown);
  } catch (e) {
    throw new Error(`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const clusters = byName(doc.clusters, 'cluster');
  const users = byName(doc.users, 'user');
  const contexts = byName(doc.contexts, 'context');
  const current = text(doc['current-context']);
  const dir = path.dirname(path.resolve(file));
  const out: KubeContext[] = [];
  for (const [name, c] of contexts) {
    const clusterName = text(c.cluster) ?? '';
    const userName = text(c.user) ?? '';
    const cluster = clusters.get(clusterName);
    const ctx: KubeContext = {
      id: `${file}#${name}`, name, file, cluster: clusterName, user: userName, namespace: text(c.namespace),
      server: text(cluster?.server), current: name === current,
    };
    try {
      if (!cluster) throw new Error(`its cluster "${clusterName}" is not in the file`);
      if (userName && !users.has(userName)) throw new Error(`its user "${userName}" is not in the file`);
      ctx.credentials = credentialsOf(cluster, users.get(userName) ?? {}, dir);
    } catch (e) {
      ctx.problem = (e as Error).message;
    }
    out.push(ctx);
  }
  return out;
}

/** The contexts of a kubeconfig file; a missing or unreadable file throws with its path. */
export function readKubeconfigContexts(file: string): KubeContext[] {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  return parseKubeconfig(source, file);
}
