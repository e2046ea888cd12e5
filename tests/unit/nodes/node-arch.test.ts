// A node's architecture against the platforms the image tarballs hold: OCI layouts with an image index
// (as the project builds them), a single platform manifest, and tarballs that do not say (docker save).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildImageArchive, type PlatformBuild } from '../../../vm-images/images/oci';
import { writeTar } from '../../../vm-images/images/tar';
import { archOfUname, checkImagesForArch } from '../../../main/nodes/node-arch';
import { tarballImages } from '../../../main/nodes/image-platforms';
import { ReasonedError } from '../../../main/nodes/provision-errors';
import type { Arch } from '../../../vm-images/images/platforms';

const dir = mkdtempSync(join(tmpdir(), 'flt-arch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const build = (ref: string, arch: Arch): PlatformBuild => ({ arch, spec: { ref, layer: [{ type: 'file', path: 'x', data: Buffer.from(arch) }], entrypoint: ['/x'] } });
function tarball(name: string, data: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, data);
  return file;
}
const both = tarball('pause.tar', buildImageArchive([build('docker.io/flotilla/pause:1', 'amd64'), build('docker.io/flotilla/pause:1', 'arm64')]));
const amd64Only = tarball('hello.tar', buildImageArchive([build('docker.io/flotilla/hello:1', 'amd64')]));
const dockerSave = tarball('saved.tar', writeTar([{ type: 'file', path: 'manifest.json', data: Buffer.from('[]') }]));

describe('node architecture', () => {
  it('names uname -m in OCI terms', () => {
    expect(['x86_64', 'aarch64', 'arm64', 'riscv64', 'armv7l', 'weird\n'].map(archOfUname)).toEqual(['amd64', 'arm64', 'arm64', 'riscv64', 'arm', 'weird']);
  });

  it('reads the platforms of an image index and a single-platform one', () => {
    expect(tarballImages(Buffer.from(buildImageArchive([build('docker.io/a/b:2', 'arm64')])), 'b.tar')).toEqual([{ ref: 'docker.io/a/b:2', arches: ['arm64'] }]);
    expect(tarballImages(writeTar([{ type: 'file', path: 'index.json', data: Buffer.from(JSON.stringify({
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:00', platform: { os: 'linux', architecture: 's390x' }, annotations: { 'org.opencontainers.image.ref.name': 'v1' } }],
    })) }]), 'c.tar')).toEqual([{ ref: 'v1', arches: ['s390x'] }]);
    expect(tarballImages(writeTar([{ type: 'file', path: 'manifest.json', data: Buffer.from('[]') }]), 'saved.tar')).toEqual([{ ref: 'saved.tar' }]);
    expect(() => tarballImages(writeTar([{ type: 'file', path: 'index.json', data: Buffer.from('{nope') }]), 'bad.tar')).toThrow(/^bad.tar: index.json is not JSON/);
  });

  it('passes a node whose architecture every image has, and tarballs that do not say', () => {
    expect(() => checkImagesForArch('n1', 'x86_64\n', [both, amd64Only, dockerSave])).not.toThrow();
    expect(() => checkImagesForArch('n1', 'aarch64', [both, dockerSave])).not.toThrow();
  });

  it('fails an architecture no image is built for (riscv64), naming the node, the architecture and each image', () => {
    let err: unknown;
    try { checkImagesForArch('n2', 'riscv64', [both, amd64Only, dockerSave]); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ReasonedError);
    expect((err as ReasonedError).reason).toBe('UnsupportedArchitecture');
    expect((err as Error).message).toBe('node n2 is linux/riscv64, and these images have no build for it: '
      + 'docker.io/flotilla/pause:1 (pause.tar: linux/amd64, linux/arm64); docker.io/flotilla/hello:1 (hello.tar: linux/amd64)');
  });

  it('fails an arm64 node when an artifact was built without arm64', () => {
    expect(() => checkImagesForArch('mac-1', 'aarch64', [both, amd64Only]))
      .toThrow('node mac-1 is linux/arm64 (uname -m: aarch64), and this image has no build for it: docker.io/flotilla/hello:1 (hello.tar: linux/amd64)');
  });
});
