// Bearer-token authentication and the node authorizer. Tokens live in <data-dir>/tokens.json:
// one admin token (also written into the kubeconfig) and one token per node.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { errors } from './status';
import type { RequestInfo } from './request';

export interface Identity {
  user: string;
  /** Set for a node's agent: it may only touch its own Node, Lease, pods bound to it, and events. */
  node?: string;
}

interface TokenFile {
  admin: string;
  nodes: Record<string, string>;
}

export class TokenAuthenticator {
  private data: TokenFile;
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'tokens.json');
    if (fs.existsSync(this.file)) {
      this.data = JSON.parse(fs.readFileSync(this.file, 'utf8')) as TokenFile;
    } else {
      this.data = { admin: newToken(), nodes: {} };
      this.save();
    }
  }

  get adminToken(): string {
    return this.data.admin;
  }

  /** The token of a node's agent, made on first use. */
  nodeToken(node: string): string {
    let t = this.data.nodes[node];
    if (!t) {
      t = newToken();
      this.data.nodes[node] = t;
      this.save();
    }
    return t;
  }

  forgetNode(node: string): void {
    if (this.data.nodes[node]) {
      delete this.data.nodes[node];
      this.save();
    }
  }

  authenticateToken(token: string | undefined): Identity | undefined {
    if (!token) return undefined;
    if (same(token, this.data.admin)) return { user: 'admin' };
    for (const [node, t] of Object.entries(this.data.nodes)) {
      if (same(token, t)) return { user: `system:node:${node}`, node };
    }
    return undefined;
  }

  authenticate(req: IncomingMessage): Identity | undefined {
    const h = req.headers.authorization;
    if (h && h.startsWith('Bearer ')) return this.authenticateToken(h.slice(7).trim());
    return undefined;
  }

  private save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(this.data, null, 2), { mode: 0o600 });
  }
}

function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const NODE_READABLE = new Set(['nodes', 'pods', 'services', 'endpoints', 'endpointslices', 'configmaps', 'secrets', 'namespaces', 'leases', 'events']);

/**
 * Whether authorizing the request needs the spec.nodeName of the object it names: a node changing a
 * pod, which it may only do to the pods bound to it.
 */
export function needsObjectNode(id: Identity, info: RequestInfo): boolean {
  return Boolean(id.node && info.name && info.resource === 'pods' && !['get', 'list', 'watch', 'create'].includes(info.verb));
}

/**
 * Throws 403 unless the identity may do this. `objectNode` is the spec.nodeName of the pod the
 * request touches (looked up by the caller for pod writes by a node).
 */
export function authorize(id: Identity, info: RequestInfo, objectNode?: string): void {
  if (!id.node) return; // admin and in-process clients may do everything
  const node = id.node;
  const deny = () => {
    // The authorizer's message (User "…" cannot <verb> resource "<resource[/sub]>" in API group "<g>" …) and its reason.
    const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
    const scope = info.namespace ? `in the namespace "${info.namespace}"` : 'at the cluster scope';
    throw errors.forbidden(info.group, info.resource, info.name ?? '',
      `User "${id.user}" cannot ${info.verb} resource "${resource}" in API group "${info.group}" ${scope}: a node may only change its own Node, Lease and the pods bound to it`);
  };
  const read = info.verb === 'get' || info.verb === 'list' || info.verb === 'watch';
  if (read) {
    if (!NODE_READABLE.has(info.resource)) deny();
    return;
  }
  switch (info.resource) {
    case 'nodes':
      if (info.verb === 'create' || info.name === node) return;
      return deny();
    case 'leases':
      if (info.namespace === 'kube-node-lease' && (info.verb === 'create' || info.name === node)) return;
      return deny();
    case 'pods':
      if (objectNode === node) return;
      return deny();
    case 'events':
      if (info.verb === 'create' || info.verb === 'patch' || info.verb === 'update') return;
      return deny();
    default:
      return deny();
  }
}
