// Building an image from a Dockerfile with buildah and pushing it to a registry (by default the one
// `flotilla serve` runs at localhost:5000), for `flotilla images build` and, later, the UI: progress
// comes line by line through a callback. buildah runs as root with its storage in <data-dir>/buildah
// (--root/--runroot, TMPDIR there too), so the host's /var/lib/containers is never touched. The vfs
// storage driver: overlay works here too, but it mounts its storage folder and each working container
// on the host, and a build that is interrupted leaves those mounts behind; vfs mounts nothing, so
// removing the data dir removes everything. chroot isolation, so no OCI runtime or network plugin is
// needed and RUN steps share the host's network, as `docker build`'s do; --layers, so each step is a
// layer and is cached for the next build, as Docker's are; --force-rm, so a failed build leaves no
// working container.
// Only the target registry is declared insecure (plain HTTP, or TLS unverified) in buildah's own
// registries.conf; other registries keep full TLS, and unqualified names (FROM nginx) mean docker.io.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onPath, runStreaming, type RunResult } from './exec';
import { DEFAULT_REGISTRY, defaultName, formatRef, parseTarget } from './image-ref';

export const BUILDAH_MISSING = 'buildah is not installed: install it with `apt-get install buildah` (Debian/Ubuntu), or run `npm run setup`';

export interface BuildOptions {
  /** The build context: a folder with the Dockerfile. */
  dir: string;
  /** The Dockerfile, relative to the current directory (as -f is); default DIR/Dockerfile, else DIR/Containerfile. */
  dockerfile?: string;
  /** NAME[:TAG], or a whole reference with its registry; default the folder's name, tagged latest. */
  name?: string;
  /** HOST:PORT of the registry NAME is pushed to (default localhost:5000). */
  registry?: string;
  /** --build-arg values, KEY=VALUE. */
  buildArgs?: readonly string[];
  dataDir: string;
  /** Each line buildah prints, as it prints it. */
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

export interface BuildResult {
  /** The reference pushed: localhost:5000/web:1. */
  image: string;
  /** The manifest digest the registry has. */
  digest: string;
}

/** buildah's global flags and environment for a data dir, with these registries declared insecure. */
export interface BuildahContext { globalArgs: string[]; env: NodeJS.ProcessEnv }

export function buildahContext(dataDir: string, insecureRegistries: readonly string[]): BuildahContext {
  const home = path.join(dataDir, 'buildah');
  const dirs = { root: path.join(home, 'storage'), runroot: path.join(home, 'run'), tmp: path.join(home, 'tmp'), cni: path.join(home, 'cni') };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  // buildah's network library takes a lock in its CNI config dir even with chroot isolation: keep it ours, not /etc/cni/net.d.
  const containersConf = path.join(home, 'containers.conf');
  fs.writeFileSync(containersConf, `# Written by Flotilla for its buildah.\n[network]\nnetwork_config_dir = ${JSON.stringify(dirs.cni)}\n`);
  const registries = [...new Set(insecureRegistries)].sort();
  const entries = registries.map((r) => `[[registry]]\nlocation = ${JSON.stringify(r)}\ninsecure = true\n`);
  // One file per set of registries, written whole then renamed: builds to different registries at once never see each other's.
  const conf = path.join(home, `registries-${createHash('sha256').update(registries.join('\n')).digest('hex').slice(0, 12)}.conf`);
  const tmp = `${conf}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, ['# Written by Flotilla for its buildah.', 'unqualified-search-registries = ["docker.io"]', '', ...entries].join('\n'));
  fs.renameSync(tmp, conf);
  return {
    globalArgs: ['--root', dirs.root, '--runroot', dirs.runroot, '--storage-driver', 'vfs'],
    env: { ...process.env, TMPDIR: dirs.tmp, CONTAINERS_REGISTRIES_CONF: conf, CONTAINERS_CONF: containersConf, BUILDAH_ISOLATION: 'chroot' },
  };
}

/** The Dockerfile a build uses; throws a clear message when the context or the file is missing. */
export function resolveDockerfile(dir: string, dockerfile?: string): string {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat) throw new Error(`build context ${dir} does not exist`);
  if (!stat.isDirectory()) throw new Error(`build context ${dir} is not a directory`);
  if (dockerfile) {
    const f = path.resolve(dockerfile);
    if (!fs.statSync(f, { throwIfNoEntry: false })?.isFile()) throw new Error(`Dockerfile ${dockerfile} does not exist`);
    return f;
  }
  const found = ['Dockerfile', 'Containerfile'].map((n) => path.join(dir, n)).find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
  if (!found) throw new Error(`no Dockerfile in ${dir} (nor a Containerfile); name one with -f`);
  return found;
}

/** The lines that say why buildah failed: its "Error:" lines, else the last line it printed. */
function failure(what: string, r: RunResult): Error {
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /^Error:|level=error/.test(l));
  return new Error(`${what} failed (exit ${r.code}): ${(errors.length ? errors : lines.slice(-1)).join('\n') || 'no output'}`);
}

function checkBuildArgs(args: readonly string[]): void {
  for (const a of args) if (!/^[^=\s]+=/.test(a) && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(a)) throw new Error(`invalid --build-arg "${a}": it must be KEY=VALUE`);
}

export interface BuildahBuildOptions {
  dir: string;
  dockerfile: string;
  image: string;
  buildArgs?: readonly string[];
  onLine?: (line: string) => void;
  signal?: AbortSignal;
}

/** `buildah build`: the image, tagged `image`, in Flotilla's buildah storage. */
export async function buildahBuild(ctx: BuildahContext, o: BuildahBuildOptions): Promise<void> {
  const args = (o.buildArgs ?? []).flatMap((a) => ['--build-arg', a]);
  const argv = ['buildah', ...ctx.globalArgs, 'build', '--isolation', 'chroot', '--layers', '--force-rm', '-f', o.dockerfile, '-t', o.image, ...args, o.dir];
  const r = await runStreaming(argv, { env: ctx.env, onLine: o.onLine, signal: o.signal });
  if (r.code !== 0) throw failure('buildah build', r);
}

/** `buildah push` of a local image to its registry; the manifest digest pushed. */
export async function buildahPush(ctx: BuildahContext, image: string, onLine?: (line: string) => void, signal?: AbortSignal): Promise<string> {
  const digestFile = path.join(ctx.env.TMPDIR ?? '/tmp', `digest-${process.pid}-${Date.now()}`);
  try {
    const r = await runStreaming(['buildah', ...ctx.globalArgs, 'push', '--digestfile', digestFile, image, `docker://${image}`], { env: ctx.env, onLine, signal });
    if (r.code !== 0) throw failure('buildah push', r);
    return fs.readFileSync(digestFile, 'utf8').trim();
  } finally {
    fs.rmSync(digestFile, { force: true });
  }
}

/** Builds DIR's Dockerfile and pushes the image to the registry; progress through onLine. */
export async function buildImage(o: BuildOptions): Promise<BuildResult> {
  const dockerfile = resolveDockerfile(o.dir, o.dockerfile);
  const target = parseTarget(o.name ?? defaultName(o.dir), o.registry ?? DEFAULT_REGISTRY);
  checkBuildArgs(o.buildArgs ?? []);
  if (!onPath('buildah')) throw new Error(BUILDAH_MISSING);
  const image = formatRef(target);
  const ctx = buildahContext(o.dataDir, [target.registry]);
  await buildahBuild(ctx, { dir: o.dir, dockerfile, image, buildArgs: o.buildArgs, onLine: o.onLine, signal: o.signal });
  o.onLine?.(`pushing ${image}`);
  const digest = await buildahPush(ctx, image, o.onLine, o.signal);
  return { image, digest };
}
