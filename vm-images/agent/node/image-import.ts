// Imports the node's image tarballs into containerd (ctr, namespace k8s.io) at start, skipping a
// tarball that was imported before (same size and mtime, recorded in the state dir) whose images the
// runtime still has — so an agent restart does not re-import everything.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CriClient } from '../cri/client';
import { importImage } from '../runtime/containerd';

interface Imported { size: number; mtimeMs: number; refs: string[] }
type Record_ = Record<string, Imported>;

function readRecord(file: string): Record_ {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record_) : {};
  } catch { return {}; }
}

/** Image references from `ctr images import` output ("unpacking docker.io/x/y:1 (sha256:…)...done"). */
export function importedRefs(output: string): string[] {
  return [...output.matchAll(/^unpacking (\S+) \(/gm)].map((m) => m[1] ?? '').filter(Boolean);
}

export interface ImportOptions {
  cri: CriClient;
  socket: string;
  stateDir: string;
  ctrBin?: string;
  log: (line: string) => void;
}

/** Imports one tarball unless already imported; resolves with its image references. */
export async function importTarball(o: ImportOptions, tarball: string): Promise<string[]> {
  const recordFile = join(o.stateDir, 'imported-images.json');
  const record = readRecord(recordFile);
  const st = statSync(tarball);
  const prev = record[tarball];
  if (prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs && prev.refs.length > 0) {
    const present = await Promise.all(prev.refs.map((r) => o.cri.imageStatus(r)));
    if (present.every(Boolean)) {
      o.log(`image ${prev.refs.join(', ')} already imported`);
      return prev.refs;
    }
  }
  const refs = importedRefs(await importImage(o.socket, tarball, o.ctrBin));
  o.log(`imported ${refs.join(', ') || tarball}`);
  writeFileSync(recordFile, JSON.stringify({ ...readRecord(recordFile), [tarball]: { size: st.size, mtimeMs: st.mtimeMs, refs } }, null, 2));
  return refs;
}
