// What bootstrap ships to a node: the agent bundle (agent/agent.js, built by scripts/build-agent.mjs)
// and the image tarballs: those shipped beside the agent (agent/images/, prebuilt at `npm run build`),
// else built once and cached under D/images (needs gcc, a cross gcc and busybox-static of amd64 and arm64:
// Linux only — elsewhere a build without them says so instead).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { buildImages } from '../../vm-images/images/build-images';
import { agentDir, assetPath } from './assets';

export interface Artifact { local: string; remote: string; sha256: string }

/** The agent bundle: $FLOTILLA_AGENT_BUNDLE, else agent.js of the running code's build (assets.ts). */
export function defaultAgentBundle(): string {
  const env = process.env.FLOTILLA_AGENT_BUNDLE;
  return env ? path.resolve(env) : path.join(agentDir(), 'agent.js');
}

const hashes = new Map<string, { mtimeMs: number; size: number; sha: string }>();

export function sha256File(file: string): string {
  const st = fs.statSync(file);
  const cached = hashes.get(file);
  if (cached && cached.mtimeMs === st.mtimeMs && cached.size === st.size) return cached.sha;
  const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  hashes.set(file, { mtimeMs: st.mtimeMs, size: st.size, sha });
  return sha;
}

let building: Promise<string[]> | undefined;

/** Tarballs added with `flotilla images import` (D/images-extra), shipped to every new node too. */
export function extraImagesDir(dataDir: string): string {
  return path.join(dataDir, 'images-extra');
}

function extraImages(dataDir: string): string[] {
  return tarsIn(extraImagesDir(dataDir));
}

/** The built images plus the imported ones. */
export async function imageTarballs(dataDir: string): Promise<string[]> {
  return [...(await builtImages(dataDir)), ...extraImages(dataDir)];
}

function tarsIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((f) => f.endsWith('.tar')).sort().map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

/** The image tarballs shipped with the build (agent/images/), else built into D/images on first use (cached). */
export function builtImages(dataDir: string): Promise<string[]> {
  const shipped = tarsIn(path.join(agentDir(), 'images'));
  if (shipped.length) return Promise.resolve(shipped);
  const dir = path.join(dataDir, 'images');
  // v2: the images became OCI indexes for amd64 and arm64; a cache of the single-platform ones is rebuilt.
  const stamp = path.join(dir, 'images-v2.json');
  if (fs.existsSync(stamp)) {
    const files = JSON.parse(fs.readFileSync(stamp, 'utf8')) as string[];
    if (files.every((f) => fs.existsSync(f))) return Promise.resolve(files);
  }
  if (process.platform !== 'linux') {
    // The images hold Linux binaries for amd64 and arm64, made with Debian's cross compilers and busybox-static.
    return Promise.reject(new Error(`the node images are not in this build (${path.join(agentDir(), 'images')} has no .tar), and they can only be built on Linux: `
      + 'run `npm run build` on Linux and copy vm-images/images/out/ here, or use a package built with them'));
  }
  building ??= (async () => {
    try {
      const tmp = `${dir}.tmp-${process.pid}`;
      fs.rmSync(tmp, { recursive: true, force: true });
      buildImages(tmp, { pauseSource: assetPath('images/pause.c') });
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(tmp, dir);
      const files = tarsIn(dir);
      fs.writeFileSync(stamp, JSON.stringify(files));
      return files;
    } finally {
      building = undefined;
    }
  })();
  return building;
}
