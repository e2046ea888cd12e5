// Packs an image built for several architectures into an OCI image-layout tarball: one single-layer
// manifest per platform, listed with its platform in an image index (application/vnd.oci.image.index.v1+json),
// which index.json names for `ctr images import` (io.containerd.image.name) and OCI tools (ref.name) —
// the layout `ctr images export` writes for a multi-platform image.
import { createHash } from 'node:crypto';
import { writeTar, type TarEntry } from './tar';
import type { Arch } from './platforms';

/** One architecture's build of an image. */
export interface ImageSpec {
  /** Full reference, e.g. docker.io/flotilla/hello:1 (containerd stores names verbatim). */
  ref: string;
  layer: TarEntry[];
  entrypoint?: string[];
  cmd?: string[];
  env?: string[];
  workingDir?: string;
  exposedPorts?: number[];
}

export interface PlatformBuild { arch: Arch; spec: ImageSpec }

export const MEDIA = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
} as const;

const MTIME = 1_700_000_000; // fixed: the same inputs give byte-identical tarballs
const CREATED = new Date(MTIME * 1000).toISOString();

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

const descriptor = (mediaType: string, data: Buffer): { mediaType: string; digest: string; size: number } =>
  ({ mediaType, digest: `sha256:${sha256(data)}`, size: data.length });

/** The layer, config and manifest blobs of one platform's image; `manifest` is last. */
function platformBlobs({ arch, spec }: PlatformBuild): Buffer[] {
  const layer = writeTar(spec.layer, MTIME);
  const config = json({
    created: CREATED,
    architecture: arch,
    os: 'linux',
    config: {
      Entrypoint: spec.entrypoint,
      Cmd: spec.cmd,
      Env: spec.env ?? ['PATH=/bin'],
      WorkingDir: spec.workingDir ?? '/',
      ExposedPorts: spec.exposedPorts ? Object.fromEntries(spec.exposedPorts.map((p) => [`${p}/tcp`, {}])) : undefined,
    },
    rootfs: { type: 'layers', diff_ids: [`sha256:${sha256(layer)}`] },
    history: [{ created: CREATED, created_by: 'flotilla build-images' }],
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    config: descriptor(MEDIA.config, config),
    layers: [descriptor(MEDIA.layer, layer)],
  });
  return [layer, config, manifest];
}

/** The OCI layout tarball of one image built for each of `builds` (all of the same ref). */
export function buildImageArchive(builds: PlatformBuild[]): Buffer {
  const ref = builds[0]?.spec.ref;
  if (!ref || builds.some((b) => b.spec.ref !== ref)) throw new Error('buildImageArchive: one image, at least one platform');
  const blobs = new Map<string, Buffer>();
  const manifests = builds.map((b) => {
    const parts = platformBlobs(b);
    for (const part of parts) blobs.set(sha256(part), part);
    return { ...descriptor(MEDIA.manifest, parts[parts.length - 1] ?? Buffer.alloc(0)), platform: { architecture: b.arch, os: 'linux' } };
  });
  const imageIndex = json({ schemaVersion: 2, mediaType: MEDIA.index, manifests });
  blobs.set(sha256(imageIndex), imageIndex);
  const tag = ref.slice(ref.lastIndexOf(':') + 1);
  const layoutIndex = json({
    schemaVersion: 2,
    mediaType: MEDIA.index,
    manifests: [{
      ...descriptor(MEDIA.index, imageIndex),
      // containerd prefers io.containerd.image.name (the full name); ref.name is the OCI-standard tag.
      annotations: { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': tag },
    }],
  });
  return writeTar([
    { type: 'dir', path: 'blobs' },
    { type: 'dir', path: 'blobs/sha256' },
    ...[...blobs].map(([digest, data]): TarEntry => ({ type: 'file', path: `blobs/sha256/${digest}`, data })),
    { type: 'file', path: 'oci-layout', data: json({ imageLayoutVersion: '1.0.0' }) },
    { type: 'file', path: 'index.json', data: layoutIndex },
  ], MTIME);
}
