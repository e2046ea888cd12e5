// Which platforms an image tarball holds, read from its OCI layout (index.json and the image index it
// names), so that a node is only bootstrapped when every project image has a build for its architecture.
// A tarball that declares no platforms (a `docker save` archive, an index without platforms) is "unknown".
import * as fs from 'node:fs';

export interface TarballImage {
  /** The image's name (io.containerd.image.name, else the OCI ref.name), or the file when it has none. */
  ref: string;
  /** linux architectures it holds; undefined when the tarball does not say. */
  arches?: string[];
}

interface Descriptor { mediaType?: string; digest?: string; platform?: { architecture?: string; os?: string }; annotations?: Record<string, string> }
interface Index { mediaType?: string; manifests?: Descriptor[] }

const BLOCK = 512;
const INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** Where each regular file of a ustar archive is: path → byte range; `read(offset, length)` reads the archive. */
function tarMembers(read: (offset: number, length: number) => Buffer, total: number): Map<string, { start: number; size: number }> {
  const out = new Map<string, { start: number; size: number }>();
  let at = 0;
  while (at + BLOCK <= total) {
    const h = read(at, BLOCK);
    if (h.every((b) => b === 0)) break;
    const field = (start: number, len: number): string => h.subarray(start, start + len).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const path = (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100)).replace(/^\.\//, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    if (Number.isNaN(size)) throw new Error(`not a tar archive (bad size at byte ${at})`);
    if (type === '0' || type === '') out.set(path, { start: at + BLOCK, size });
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}

/** The members of a ustar archive in memory that `want` accepts, by path. */
export function readTarMembers(tar: Buffer, want: (path: string) => boolean): Map<string, Buffer> {
  const read = (offset: number, length: number): Buffer => tar.subarray(offset, offset + length);
  const out = new Map<string, Buffer>();
  for (const [path, m] of tarMembers(read, tar.length)) if (want(path)) out.set(path, read(m.start, m.size));
  return out;
}

function parse<T>(data: Buffer | undefined, what: string): T | undefined {
  if (!data) return undefined;
  try {
    return JSON.parse(data.toString('utf8')) as T;
  } catch (e) {
    throw new Error(`${what} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The images of an OCI layout archive, reading only index.json and the indexes it names (`file` names it in errors). */
function imagesIn(read: (offset: number, length: number) => Buffer, total: number, file: string): TarballImage[] {
  const members = tarMembers(read, total);
  const member = (path: string): Buffer | undefined => {
    const m = members.get(path);
    return m && m.size < 16 * 1024 * 1024 ? read(m.start, m.size) : undefined;
  };
  const top = parse<Index>(member('index.json'), `${file}: index.json`);
  if (!top) return [{ ref: file }];
  return (top.manifests ?? []).map((d): TarballImage => {
    const ref = d.annotations?.['io.containerd.image.name'] ?? d.annotations?.['org.opencontainers.image.ref.name'] ?? file;
    if (d.mediaType === INDEX || d.mediaType === DOCKER_LIST) {
      const inner = parse<Index>(member(`blobs/${(d.digest ?? '').replace(':', '/')}`), `${file}: the index of ${ref}`);
      const arches = (inner?.manifests ?? []).filter((m) => m.platform?.os === 'linux' && m.platform.architecture).map((m) => m.platform?.architecture ?? '');
      return { ref, arches: arches.length ? arches : undefined };
    }
    return { ref, arches: d.platform?.architecture ? [d.platform.architecture] : undefined };
  });
}

/** The images in an OCI layout tarball's bytes (`file` names it in errors and stands in for a missing name). */
export function tarballImages(tar: Buffer, file: string): TarballImage[] {
  return imagesIn((offset, length) => tar.subarray(offset, offset + length), tar.length, file);
}

const cache = new Map<string, { mtimeMs: number; size: number; images: TarballImage[] }>();

/** tarballImages of a file, cached while its size and mtime stay the same. */
export function imagesOfTarball(file: string): TarballImage[] {
  const st = fs.statSync(file);
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.images;
  // Read in place: an imported image's tarball may be large, and only its headers and indexes matter.
  const fd = fs.openSync(file, 'r');
  let images: TarballImage[];
  try {
    images = imagesIn((offset, length) => {
      const b = Buffer.alloc(length);
      const n = fs.readSync(fd, b, 0, length, offset);
      return b.subarray(0, n);
    }, st.size, file);
  } finally {
    fs.closeSync(fd);
  }
  cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, images });
  return images;
}
