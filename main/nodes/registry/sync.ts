// Makes a node's registry files (containerd's certs.d tree and the agent's credentials and rewrites files) exactly the given ones over
// one SSH connection: changed files uploaded, files no longer wanted removed. containerd reads hosts.toml afresh on every
// pull and the agent reads the credentials on every pull, so nothing restarts.
import type { SshSession } from '../ssh';
import { parseHashes, syncFiles, type FileSpec } from '../bootstrap';
import { NODE, NODE_CONTAINERD } from '../node-paths';
import { REGISTRY_AUTH_FILE } from '../../protocol/registry-auth';
import { REGISTRY_REWRITE_FILE } from '../../protocol/registry-rewrite';

/** The agent's registry files beside the certs.d tree (credentials, mirror rewrites). */
const AGENT_FILES = [REGISTRY_AUTH_FILE, REGISTRY_REWRITE_FILE];

const sq = (s: string): string => `'${s.replace(/'/g, '\'\\\'\'')}'`;

/** Returns the remote paths written or removed (empty: the node already had these files). */
export async function syncRegistryFiles(s: SshSession, files: FileSpec[]): Promise<string[]> {
  const dir = NODE_CONTAINERD.certsDir;
  const env = `export PATH=${NODE.path};`;
  const listing = await s.run(`${env} mkdir -p ${sq(dir)} && { find ${sq(dir)} -type f ! -name '*.part' -exec sha256sum {} +; sha256sum ${AGENT_FILES.map(sq).join(' ')} 2>/dev/null; true; }`);
  const have = parseHashes(listing);
  const wanted = new Set(files.map((f) => f.remote));
  const stale = [...have.keys()].filter((p) => !wanted.has(p) && (p.startsWith(`${dir}/`) || AGENT_FILES.includes(p)));
  const dirs = [...new Set(files.map((f) => f.remote.slice(0, f.remote.lastIndexOf('/'))))];
  const prepare = [
    ...(stale.length ? [`rm -f ${stale.map(sq).join(' ')}`] : []),
    `find ${sq(dir)} -mindepth 1 -type d -empty -delete`,
    ...(dirs.length ? [`mkdir -p ${dirs.map(sq).join(' ')}`] : []),
  ];
  await s.run(`${env} ${prepare.join(' && ')}`);
  const written = await syncFiles(s, have, files);
  return [...written, ...stale];
}
