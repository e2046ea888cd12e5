// What a node gets from the registry settings: containerd's <certsDir>/<host>/hosts.toml per registry (mirror
// endpoints, plain HTTP, TLS with the CA and client certificate copied beside it) and the credentials file the agent
// reads (protocol/registry-auth.ts). Pure apart from reading the certificate files registries.yaml names.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileSpec } from '../bootstrap';
import { NODE_CONTAINERD } from '../node-paths';
import { endpointHost, REGISTRY_AUTH_FILE, type RegistryAuthFile } from '../../protocol/registry-auth';
import { REGISTRY_REWRITE_FILE, type RegistryRewriteFile } from '../../protocol/registry-rewrite';
import { RegistriesFileError, type RegistriesYaml, type RegistryTls } from './settings';

export interface NodeRegistrySettings {
  settings: RegistriesYaml;
  /** `--insecure-registry` hosts: plain HTTP. */
  insecure: readonly string[];
  /** The built-in registry: `localhost:<port>` on the node is the host's registry at hostAddress:port. */
  builtin?: { port: number; hostAddress: string };
  /** Relative certificate paths in registries.yaml are relative to this (the data dir). */
  baseDir: string;
}

const q = (s: string): string => JSON.stringify(s);
const DOCKER_HUB = 'https://registry-1.docker.io';

/** The certs.d directory of a registry host (`*` is containerd's `_default`). */
export function hostsDir(host: string): string {
  return `${NODE_CONTAINERD.certsDir}/${host === '*' ? '_default' : host}`;
}

interface Rendered { files: FileSpec[]; tlsLines: (host: string) => string[] }

function tlsFiles(s: NodeRegistrySettings): Rendered {
  const files: FileSpec[] = [];
  const lines = new Map<string, string[]>();
  const read = (host: string, field: keyof RegistryTls, file: string): string => {
    const abs = path.resolve(s.baseDir, file);
    try {
      return fs.readFileSync(abs, 'utf8');
    } catch (e) {
      throw new RegistriesFileError(`registries.yaml: configs.${host}.tls.${field}: cannot read ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  for (const [host, c] of Object.entries(s.settings.configs)) {
    const tls = c.tls;
    if (!tls) continue;
    const dir = hostsDir(host);
    const out: string[] = [];
    if (tls.ca_file) {
      files.push({ remote: `${dir}/ca.crt`, content: read(host, 'ca_file', tls.ca_file) });
      out.push(`ca = ${q(`${dir}/ca.crt`)}`);
    }
    if (tls.cert_file && tls.key_file) {
      files.push({ remote: `${dir}/client.cert`, content: read(host, 'cert_file', tls.cert_file) });
      files.push({ remote: `${dir}/client.key`, content: read(host, 'key_file', tls.key_file), mode: '0600' });
      out.push(`client = [[${q(`${dir}/client.cert`)}, ${q(`${dir}/client.key`)}]]`);
    }
    if (tls.insecure_skip_verify) out.push('skip_verify = true');
    lines.set(host, out);
  }
  return { files, tlsLines: (host) => lines.get(host) ?? [] };
}

/** The URL containerd should use for a registry host or mirror endpoint. */
function urlFor(s: NodeRegistrySettings, hostOrEndpoint: string): string {
  const host = endpointHost(hostOrEndpoint);
  const rest = hostOrEndpoint.replace(/^[a-z]+:\/\//i, '').slice(host.length);
  if (s.builtin && host === `localhost:${s.builtin.port}`) return `http://${s.builtin.hostAddress}:${s.builtin.port}${rest}`;
  if (/^[a-z]+:\/\//i.test(hostOrEndpoint)) return hostOrEndpoint.replace(/\/+$/, '');
  if (s.insecure.includes(host)) return `http://${hostOrEndpoint}`;
  if (host === 'docker.io') return DOCKER_HUB;
  return `https://${hostOrEndpoint}`.replace(/\/+$/, '');
}

/** `endpoint`: the mirror endpoint (scheme and host) this host is known by, when it is one with rewrites and has no entry of its own. */
function hostsToml(s: NodeRegistrySettings, host: string, tlsLines: (h: string) => string[], endpoint?: string): string {
  const lines: string[] = [`# Written by Flotilla from registries.yaml${s.insecure.length ? ' and --insecure-registry' : ''}; rewritten when they change.`];
  const own = s.settings.mirrors[host] ?? s.settings.configs[host] ?? s.insecure.includes(host);
  const server = host === '*' ? undefined : urlFor(s, !own && endpoint ? endpoint : host);
  if (server) lines.push(`server = ${q(server)}`, ...tlsLines(host));
  for (const ep of s.settings.mirrors[host]?.endpoint ?? []) {
    lines.push('', `[host.${q(urlFor(s, ep))}]`, '  capabilities = ["pull", "resolve"]', ...tlsLines(endpointHost(ep)).map((l) => `  ${l}`));
  }
  if (server && server.startsWith('http://')) lines.push('', `[host.${q(server)}]`, '  capabilities = ["pull", "resolve", "push"]');
  return `${lines.join('\n')}\n`;
}

function authFile(s: NodeRegistrySettings): FileSpec | undefined {
  const configs: RegistryAuthFile['configs'] = {};
  for (const [host, c] of Object.entries(s.settings.configs)) if (c.auth && Object.values(c.auth).some(Boolean)) configs[host] = c.auth;
  if (!Object.keys(configs).length) return undefined;
  const mirrors: RegistryAuthFile['mirrors'] = {};
  for (const [host, m] of Object.entries(s.settings.mirrors)) mirrors[host] = m.endpoint.map(endpointHost);
  const body: RegistryAuthFile = { configs, mirrors };
  return { remote: REGISTRY_AUTH_FILE, content: `${JSON.stringify(body, null, 2)}\n`, mode: '0600' };
}

/**
 * The rewrites file the agent reads (protocol/registry-rewrite.ts), when a mirror has rewrites: the mirrors and their endpoints' hosts.
 * An endpoint's path is not kept: the agent pulls `<endpoint host>/<rewritten path>`.
 */
function rewriteFile(s: NodeRegistrySettings): FileSpec | undefined {
  const all = Object.entries(s.settings.mirrors);
  if (!all.some(([, m]) => m.rewrite?.length && m.endpoint.length)) return undefined;
  // Every mirror, also those without rewrites: a registry's own mirror hides the `*` one.
  const mirrors: RegistryRewriteFile['mirrors'] = {};
  for (const [host, m] of all) mirrors[host] = { endpoints: m.endpoint.map(endpointHost), rewrite: m.rewrite ?? [] };
  return { remote: REGISTRY_REWRITE_FILE, content: `${JSON.stringify({ mirrors }, null, 2)}\n` };
}

/** The endpoints of mirrors with rewrites by host: the agent pulls from them by name, so each needs its own hosts.toml. */
function rewriteEndpoints(s: NodeRegistrySettings): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of Object.values(s.settings.mirrors)) {
    if (!m.rewrite?.length) continue;
    for (const ep of m.endpoint) if (!out.has(endpointHost(ep))) out.set(endpointHost(ep), ep.replace(/^([a-z]+:\/\/[^/]+).*$/i, '$1'));
  }
  return out;
}

/** Every registry file a node should have (the certs.d tree and the credentials file); nothing else belongs there. */
export function registryNodeFiles(s: NodeRegistrySettings): FileSpec[] {
  const tls = tlsFiles(s);
  const hosts = new Set<string>([...Object.keys(s.settings.mirrors), ...Object.keys(s.settings.configs), ...s.insecure]);
  if (s.builtin) hosts.add(`localhost:${s.builtin.port}`);
  const endpoints = rewriteEndpoints(s);
  for (const h of endpoints.keys()) hosts.add(h);
  const files: FileSpec[] = [...tls.files];
  for (const h of [...hosts].sort()) files.push({ remote: `${hostsDir(h)}/hosts.toml`, content: hostsToml(s, h, tls.tlsLines, endpoints.get(h)) });
  for (const extra of [authFile(s), rewriteFile(s)]) if (extra) files.push(extra);
  return files;
}
