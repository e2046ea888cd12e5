import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../main/api/types';
import { imageKeys, podsUsingImage } from '../../../main/api/image-usage';

const pod = (name: string, image: string, imageID = ''): Pod => ({
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image }] },
  status: imageID ? { containerStatuses: [{ name: 'c', image, imageID, ready: true, restartCount: 0 }] } : {},
});

describe('which pods use an image', () => {
  it('normalizes references as the kubelet does', () => {
    expect(imageKeys('busybox')).toEqual(['docker.io/library/busybox:latest']);
    expect(imageKeys('localhost:5000/web:1')).toEqual(['localhost:5000/web:1']);
    expect(imageKeys('nginx@sha256:' + 'a'.repeat(64))).toEqual([`docker.io/library/nginx@sha256:${'a'.repeat(64)}`]);
    expect(imageKeys('sha256:' + 'b'.repeat(64))).toEqual(['sha256:' + 'b'.repeat(64)]);
    expect(imageKeys('')).toEqual([]);
  });

  it('matches container images, reported imageIDs and the image id, sorted', () => {
    const id = 'sha256:' + 'c'.repeat(64);
    const pods = [
      pod('b-short', 'busybox'),
      pod('a-full', 'docker.io/library/busybox:latest'),
      pod('by-digest', 'other:1', `docker.io/library/busybox@sha256:${'d'.repeat(64)}`),
      pod('by-id', 'renamed:1', id),
      pod('unrelated', 'nginx:1'),
    ];
    const names = ['docker.io/library/busybox:latest', `docker.io/library/busybox@sha256:${'d'.repeat(64)}`];
    expect(podsUsingImage(names, pods, id).map((p) => p.name)).toEqual(['a-full', 'b-short', 'by-digest', 'by-id']);
    expect(podsUsingImage(['docker.io/library/nginx:2'], pods)).toEqual([]);
  });
});
