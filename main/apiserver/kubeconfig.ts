// <data-dir>/kubeconfig: the cluster's CA, the API URL and the admin token, for kubectl and our client.
import * as fs from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  caCertPem: string;
  token: string;
  name?: string;
}

export function renderKubeconfig(k: KubeconfigInput): string {
  const name = k.name ?? 'flotilla';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: k.server, 'certificate-authority-data': Buffer.from(k.caCertPem).toString('base64') } }],
    users: [{ name: `${name}-admin`, user: { token: k.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

export function writeKubeconfig(path: string, k: KubeconfigInput): void {
  fs.writeFileSync(path, renderKubeconfig(k), { mode: 0o600 });
}

/** Reads the server, CA and token back from a kubeconfig we wrote. */
export function readKubeconfig(path: string): KubeconfigInput {
  const text = fs.readFileSync(path, 'utf8');
  const server = /server:\s*(\S+)/.exec(text)?.[1];
  const ca = /certificate-authority-data:\s*(\S+)/.exec(text)?.[1];
  const token = /token:\s*(\S+)/.exec(text)?.[1];
  if (!server || !ca || !token) throw new Error(`${path} is not a Flotilla kubeconfig (server, certificate-authority-data and token are required)`);
  return { server, caCertPem: Buffer.from(ca, 'base64').toString('utf8'), token };
}
