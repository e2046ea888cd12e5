// The Images view's registry part: the built-in registry's repositories and tags through the distribution
// API (/v2/_catalog, /v2/<name>/tags/list, manifests with their config and layer sizes), the pods using
// each, and deleting a manifest by digest (the registry runs with storage.delete.enabled).
import { request } from 'node:http';
import type { KObject, Pod } from '../api/types';
import type { ApiClient } from '../client/types';
import { podsUsingImage } from '../api/image-usage';
import type { RegistryImages, RegistryTag } from './contract';
import { BridgeFailure } from './errors';
import { KIND_RESOURCES } from './kinds';

export interface RegistryEndpoint { port: number; url: string }

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

interface Descriptor { mediaType?: string; digest: string; size: number; platform?: { architecture?: string; os?: string } }
interface Manifest { mediaType?: string; config?: Descriptor; layers?: Descriptor[]; manifests?: Descriptor[] }

interface Reply { status: number; body: string; headers: Record<string, string | string[] | undefined> }

function http(reg: RegistryEndpoint, method: string, path: string, accept = 'application/json'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, reg.url), { method, headers: { Accept: accept }, timeout: 15_000 }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`the built-in registry did not answer ${method} ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

async function json<T>(reg: RegistryEndpoint, path: string, accept?: string): Promise<{ value: T; digest?: string }> {
  const r = await http(reg, 'GET', path, accept);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.trim()}`);
  const digest = r.headers['docker-content-digest'];
  return { value: JSON.parse(r.body) as T, digest: typeof digest === 'string' ? digest : undefined };
}

const HOST_ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

function imageSize(m: Manifest): number {
  return (m.config?.size ?? 0) + (m.layers ?? []).reduce((n, l) => n + l.size, 0);
}

async function tagOf(reg: RegistryEndpoint, repo: string, tag: string, pods: Pod[]): Promise<RegistryTag> {
  const { value: m, digest } = await json<Manifest>(reg, `/v2/${repo}/manifests/${encodeURIComponent(tag)}`, MANIFEST_TYPES);
  let sizeBytes = imageSize(m);
  if (m.manifests?.length) {
    const arch = HOST_ARCH[process.arch] ?? process.arch;
    const pick = m.manifests.find((d) => d.platform?.architecture === arch && d.platform.os !== 'unknown') ?? m.manifests[0];
    sizeBytes = imageSize((await json<Manifest>(reg, `/v2/${repo}/manifests/${pick.digest}`, MANIFEST_TYPES)).value);
  }
  const image = `localhost:${reg.port}/${repo}:${tag}`;
  const names = digest ? [image, `localhost:${reg.port}/${repo}@${digest}`] : [image];
  return { repository: repo, tag, digest: digest ?? '', sizeBytes, image, pods: podsUsingImage(names, pods) };
}

export async function listRegistry(client: ApiClient, reg: RegistryEndpoint | undefined): Promise<RegistryImages> {
  if (!reg) return { repositories: [], message: 'Flotilla runs no built-in registry (it was started with --registry-port 0).' };
  const address = `localhost:${reg.port}`;
  let repos: string[];
  try {
    repos = (await json<{ repositories?: string[] }>(reg, '/v2/_catalog?n=1000')).value.repositories ?? [];
  } catch (e) {
    return { address, repositories: [], message: `The built-in registry at ${address} did not answer: ${e instanceof Error ? e.message : String(e)}` };
  }
  const pods = (await client.list<Pod & KObject>(KIND_RESOURCES.pods)).items;
  const repositories = await Promise.all(repos.map(async (name) => {
    const tags = (await json<{ tags?: string[] | null }>(reg, `/v2/${name}/tags/list`)).value.tags ?? [];
    return { name, tags: await Promise.all([...tags].sort().map((t) => tagOf(reg, name, t, pods))) };
  }));
  // A repository whose every manifest was deleted stays in the catalog with no tags: not worth a row.
  return { address, repositories: repositories.filter((r) => r.tags.length > 0) };
}

const REPO = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export async function deleteRegistryImage(reg: RegistryEndpoint | undefined, repository: string, digest: string): Promise<void> {
  if (!reg) throw new BridgeFailure(404, 'NotFound', 'Flotilla runs no built-in registry');
  if (!REPO.test(repository)) throw new BridgeFailure(422, 'Invalid', `invalid repository name "${repository}"`);
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new BridgeFailure(422, 'Invalid', `invalid digest "${digest}": it must be sha256:<64 hex digits>`);
  const r = await http(reg, 'DELETE', `/v2/${repository}/manifests/${digest}`);
  if (r.status === 404) throw new BridgeFailure(404, 'NotFound', `${repository}@${digest} is not in the built-in registry`);
  if (r.status === 405) throw new BridgeFailure(405, 'MethodNotAllowed', 'the registry does not allow deletes (storage.delete.enabled is off)');
  if (r.status !== 202) throw new BridgeFailure(502, 'RegistryError', `deleting ${repository}@${digest} failed: ${r.status} ${r.body.trim()}`);
}
