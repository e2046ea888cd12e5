// Pushes the images of a tarball (OCI layout as `ctr images export` writes it, or `docker save`'s archive) into the
// built-in registry with skopeo, each under its own repository and tag: docker.io/flotilla/hello:1 → localhost:<port>/flotilla/hello:1.
import * as fs from 'node:fs';
import { readTarMembers } from '../image-platforms';
import { runCmd } from '../exec';

export const SKOPEO = '/usr/bin/skopeo';

interface OciIndex { manifests?: Array<{ annotations?: Record<string, string> }> }
type DockerManifest = Array<{ RepoTags?: string[] | null }>;

/** `docker.io/library/nginx:1.25` → `library/nginx:1.25`; a name without a tag gets `latest`. */
export function repositoryPath(name: string): string {
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  let rest = first && (first === 'localhost' || first.includes('.') || first.includes(':')) ? name.slice(slash + 1) : name;
  if (!rest.includes('/')) rest = `library/${rest}`;
  const last = rest.slice(rest.lastIndexOf('/') + 1);
  return last.includes(':') || rest.includes('@') ? rest : `${rest}:latest`;
}

/** The images of the tarball: skopeo's source reference and the image's name. */
export function tarballSources(file: string, tar: Buffer): Array<{ source: string; name: string }> {
  const members = readTarMembers(tar, (p) => p === 'index.json' || p === 'manifest.json');
  const docker = members.get('manifest.json');
  if (docker) {
    const entries = JSON.parse(docker.toString('utf8')) as DockerManifest;
    return entries.flatMap((e) => (e.RepoTags ?? []).map((t) => ({ source: `docker-archive:${file}:${t}`, name: t })));
  }
  const index = members.get('index.json');
  if (!index) return [];
  const manifests = (JSON.parse(index.toString('utf8')) as OciIndex).manifests ?? [];
  return manifests.flatMap((m) => {
    const name = m.annotations?.['io.containerd.image.name'];
    const ref = m.annotations?.['org.opencontainers.image.ref.name'];
    if (!name || (manifests.length > 1 && !ref)) return [];
    return [{ source: manifests.length === 1 ? `oci-archive:${file}` : `oci-archive:${file}:${ref}`, name }];
  });
}

/** Pushes every named image of the tarball to 127.0.0.1:<port>; returns the references nodes pull them by. */
export async function pushTarballToRegistry(file: string, port: number): Promise<string[]> {
  if (!fs.existsSync(SKOPEO)) throw new Error(`pushing to the built-in registry needs ${SKOPEO}: run \`npm run setup\` or \`apt-get install skopeo\``);
  const sources = tarballSources(file, fs.readFileSync(file));
  if (!sources.length) throw new Error(`${file} names no image (no RepoTags in manifest.json, no io.containerd.image.name in index.json)`);
  const pushed: string[] = [];
  for (const s of sources) {
    const path = repositoryPath(s.name);
    const r = await runCmd([SKOPEO, 'copy', '--quiet', '--dest-tls-verify=false', s.source, `docker://127.0.0.1:${port}/${path}`]);
    if (r.code !== 0) throw new Error(`skopeo copy ${s.name} to the built-in registry: ${r.stderr.trim()}`);
    pushed.push(`localhost:${port}/${path}`);
  }
  return pushed;
}
