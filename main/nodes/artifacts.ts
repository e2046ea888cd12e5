// What bootstrap ships to a node: the agent bundle (out/agent/agent.js, built by
// scripts/build-agent.mjs) and the image tarballs (vm-images/images, built once and cached under
// D/images).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { buildImages } from '../../vm-images/images/build-images';

export interface Artifact { local: string; remote: string; sha256: string }

/** Candidates for out/agent/agent.js: from the source tree (tsx) and from the built main bundle. */
export function defaultAgentBundle(): string {
  const env = process.env.FLOTILLA_AGENT_BUNDLE;
  if (env) return path.resolve(env);
  const candidates = [
    path.resolve(__dirname, '../../out/agent/agent.js'),
    path.resolve(__dirname, '../agent/agent.js'),
    path.resolve(process.cwd(), 'out/agent/agent.js'),
  ];
  return candidates.find((c) => fs.existsSync(c)) ?? candidates[0];
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
  try {
    return fs.readdirSync(extraImagesDir(dataDir)).filter((f) => f.endsWith('.tar')).sort().map((f) => path.join(extraImagesDir(dataDir), f));
  } catch {
    return [];
  }
}

/** The built images plus the imported ones. */
export async function imageTarballs(dataDir: string): Promise<string[]> {
  return [...(await builtImages(dataDir)), ...extraImages(dataDir)];
}

/** The image tarballs, built into D/images on first use (cached; delete the directory to rebuild). */
export function builtImages(dataDir: string): Promise<string[]> {
  const dir = path.join(dataDir, 'images');
  const stamp = path.join(dir, 'images.json');
  if (fs.existsSync(stamp)) {
    const files = JSON.parse(fs.readFileSync(stamp, 'utf8')) as string[];
    if (files.every((f) => fs.existsSync(f))) return Promise.resolve(files);
  }
  building ??= (async () => {
    try {
      const tmp = `${dir}.tmp-${process.pid}`;
      fs.rmSync(tmp, { recursive: true, force: true });
      buildImages(tmp);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.renameSync(tmp, dir);
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.tar')).sort().map((f) => path.join(dir, f));
      fs.writeFileSync(stamp, JSON.stringify(files));
      return files;
    } finally {
      building = undefined;
    }
  })();
  return building;
}
