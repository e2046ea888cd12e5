// A pull's progress read from a real containerd's content store: the store is found through CRI's
// ImageFsInfo, and the bytes counted while and after pulling the demo image from a real docker-registry
// (plain HTTP on 127.0.0.1, declared in containerd's certs.d) are the blobs the pull fetched.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentDir } from '../../../main/nodes/assets';
import { ensureImage } from '../../../vm-images/agent/pods/images';
import { contentStoreDir, PullProgress } from '../../../vm-images/agent/pods/pull-progress';
import { startTestContainerd, type TestContainerd } from '../../helpers/containerd';
import { skipUnlessRoot } from '../../helpers/netns';
import { pushOciArchive, startTestRegistry, type TestRegistry } from '../../helpers/registry';

const SANDBOX = { metadata: { name: 'p', uid: 'u', namespace: 'default', attempt: 0 } };

describe.skipIf(skipUnlessRoot)('pull progress from containerd\'s content store', () => {
  let ctd: TestContainerd | undefined;
  let reg: TestRegistry | undefined;
  let image = '';

  beforeAll(async () => {
    reg = await startTestRegistry();
    image = pushOciArchive(reg, join(agentDir(), 'images', 'hello.tar'), 'team/hello:1');
    ctd = await startTestContainerd({ withImages: false });
    const hosts = join(ctd.dir, 'certs.d', reg.address);
    mkdirSync(hosts, { recursive: true });
    writeFileSync(join(hosts, 'hosts.toml'), `server = "http://${reg.address}"\n\n[host."http://${reg.address}"]\n  capabilities = ["pull", "resolve"]\n`);
  }, 120_000);

  afterAll(async () => {
    await ctd?.teardown();
    await reg?.stop();
  }, 60_000);

  it('finds the store beside the image filesystem', async () => {
    const dir = await contentStoreDir(ctd!.cri);
    expect(dir).toBe(join(ctd!.dir, 'root', 'io.containerd.content.v1.content'));
    expect(existsSync(join(dir!, 'ingest'))).toBe(true);
  });

  it('counts the blobs a pull fetched, reporting growing byte counts while it runs', async () => {
    const dir = (await contentStoreDir(ctd!.cri))!;
    const watch = await PullProgress.start(dir);
    expect(await watch.bytes()).toBe(0);
    const reports: number[] = [];
    const ensured = await ensureImage(ctd!.cri, { name: 'c', image, imagePullPolicy: 'Always' }, SANDBOX, {
      progress: { dir, everyMs: 5, report: (n) => reports.push(n) },
    });
    expect(ensured.pulled).toBe(true);
    const fetched = await watch.bytes();
    // The platform's manifest, config and layer (what CRI's image size counts) plus the index.
    expect(fetched).toBeGreaterThanOrEqual(ensured.sizeBytes);
    expect(fetched).toBeLessThan(ensured.sizeBytes + 64 * 1024);
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.every((n, i) => n <= fetched && (i === 0 || n > (reports[i - 1] ?? 0)))).toBe(true);
  }, 60_000);
});
