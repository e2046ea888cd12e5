// Authentication: x509 client certificates signed by the cluster CA (client-cert.ts), then bearer tokens.
// Static tokens live in <data-dir>/tokens.json: one admin token (also written into the kubeconfig, group
// system:masters) and one token per node (the node authorizer's
// system:node:<name>, group system:nodes). Service-account JWTs are checked by the
// ServiceAccountAuthenticator (serviceaccount/authenticator.ts). Every authenticated user is also in
// system:authenticated. Authorization is authz/authorizer.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Subject } from './authz/authorizer';
import { MASTERS } from './authz/authorizer';
import { clientCertIdentity } from './client-cert';

export type Identity = Subject;

export const AUTHENTICATED = 'system:authenticated';
export const ADMIN_USER = 'admin';

interface TokenFile {
  admin: string;
  nodes: Record<string, string>;
}

/** Validates tokens that are not static ones (service-account JWTs). */
export interface TokenValidator {
  authenticateToken(token: string): Promise<Identity | undefined>;
}

export function nodeIdentity(node: string): Identity {
  return { name: `system:node:${node}`, groups: ['system:nodes', AUTHENTICATED], node };
}

export const ADMIN_IDENTITY: Identity = Object.freeze({ name: ADMIN_USER, groups: [MASTERS, AUTHENTICATED] });

export class TokenAuthenticator {
  private data: TokenFile;
  private readonly file: string;
  /** Service-account tokens; set once the token issuer is loaded. */
  serviceAccounts?: TokenValidator;

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

  /** Whose static token this is (the admin's or a node's), if it is one. */
  staticIdentity(token: string): Identity | undefined {
    if (same(token, this.data.admin)) return ADMIN_IDENTITY;
    for (const [node, t] of Object.entries(this.data.nodes)) {
      if (same(token, t)) return nodeIdentity(node);
    }
    return undefined;
  }

  async authenticateToken(token: string | undefined): Promise<Identity | undefined> {
    if (!token) return undefined;
    return this.staticIdentity(token) ?? this.serviceAccounts?.authenticateToken(token);
  }

  /** A client certificate the cluster CA signed first (as kube-apiserver's x509 authenticator comes first), then a bearer token. */
  authenticate(req: IncomingMessage): Promise<Identity | undefined> {
    const fromCert = clientCertIdentity(req);
    if (fromCert) return Promise.resolve(fromCert);
    const h = req.headers.authorization;
    if (h && h.startsWith('Bearer ')) return this.authenticateToken(h.slice(7).trim());
    return Promise.resolve(undefined);
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

