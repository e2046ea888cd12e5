// Packs one single-layer linux/amd64 image into an OCI image-layout tarball that `ctr images import` names exactly.
import { createHash } from 'node:crypto';
import { writeTar, type TarEntry } from './tar';

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

const MTIME = 1_700_000_000; // fixed: the same inputs give byte-identical tarballs

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

export function buildImageArchive(spec: ImageSpec): Buffer {
  const layer = writeTar(spec.layer, MTIME);
  const layerDigest = sha256(layer);
  const config = json({
    created: new Date(MTIME * 1000).toISOString(),
    architecture: 'amd64',
    os: 'linux',
    config: {
      Entrypoint: spec.entrypoint,
      Cmd: spec.cmd,
      Env: spec.env ?? ['PATH=/bin'],
      WorkingDir: spec.workingDir ?? '/',
      ExposedPorts: spec.exposedPorts ? Object.fromEntries(spec.exposedPorts.map((p) => [`${p}/tcp`, {}])) : undefined,
    },
    rootfs: { type: 'layers', diff_ids: [`sha256:${layerDigest}`] },
    history: [{ created: new Date(MTIME * 1000).toISOString(), created_by: 'flotilla build-images' }],
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha256(config)}`, size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: `sha256:${layerDigest}`, size: layer.length }],
  });
  const tag = spec.ref.slice(spec.ref.lastIndexOf(':') + 1);
  const index = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${sha256(manifest)}`,
      size: manifest.length,
      platform: { architecture: 'amd64', os: 'linux' },
      // containerd prefers io.containerd.image.name (the full name); ref.name is the OCI-standard tag.
      annotations: { 'io.containerd.image.name': spec.ref, 'org.opencontainers.image.ref.name': tag },
    }],
  });
  const blob = (data: Buffer): TarEntry => ({ type: 'file', path: `blobs/sha256/${sha256(data)}`, data });
  return writeTar([
    { type: 'dir', path: 'blobs' },
    { type: 'dir', path: 'blobs/sha256' },
    blob(layer), blob(config), blob(manifest),
    { type: 'file', path: 'oci-layout', data: json({ imageLayoutVersion: '1.0.0' }) },
    { type: 'file', path: 'index.json', data: index },
  ], MTIME);
}
