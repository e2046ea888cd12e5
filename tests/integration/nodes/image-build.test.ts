// `flotilla images build` for real: the demo image flotilla/hello:1 pushed with skopeo to a real registry
// (Debian's docker-registry on the sandbox bridge's gateway address), a Dockerfile FROM it with RUN and
// COPY built by buildah and pushed there by the real command, and the result run by a 2-replica
// Deployment on two sandbox nodes whose containerd pulls it (certs.d hosts.toml); a failing RUN exits
// non-zero with buildah's error, and a missing folder gets a clear message.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { R } from '../../../main/client/refs';
import type { KObject } from '../../../main/api/types';
import { gatewayIP } from '../../../main/nodes/providers/sandbox/config';
import { hostPathOf } from '../../../main/nodes/providers/sandbox/node-state';
import { NODE_CONTAINERD } from '../../../main/nodes/node-paths';
import { builtImages } from '../../../main/nodes/artifacts';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';
import { pushOciArchive, startTestRegistry, trustOnNodes, type TestRegistry } from '../../helpers/registry';
import { skipWithoutAgent, stopClusterWithNodes, uniqueSandbox, waitForReadyNodes } from './support';

const ROOT = path.resolve(__dirname, '../../..');

interface Result { code: number | null; stdout: string; stderr: string }

/** The real command, as a child process; killed by its PID (SIGKILL) at the deadline. */
function flotilla(args: string[], timeoutMs = 240_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main/cli.ts'), ...args], { cwd: ROOT, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }));
  });
}

describe.skipIf(skipWithoutAgent)('flotilla images build: buildah, a registry, and two sandbox nodes', () => {
  const cfg = uniqueSandbox(20);
  const logs: string[] = [];
  // buildah's network library takes a lock in its CNI config dir: it must be Flotilla's, never the host's /etc/cni/net.d.
  const hostCniLock = '/etc/cni/net.d/cni.lock';
  const hostCniLockBefore = fs.existsSync(hostCniLock);
  let c: TestCluster | undefined;
  let reg: TestRegistry | undefined;
  let ctxDir = '';
  let buildData = '';

  beforeAll(async () => {
    c = await startTestCluster({ nodes: { sandbox: cfg, nodes: 2, provider: 'sandbox', readyTimeoutMs: 90_000, log: (l) => logs.push(l) } });
    const nodes = await waitForReadyNodes(c, 2, logs);
    // The bridge is up now: the registry listens on its gateway address, which the host and the nodes both reach.
    reg = await startTestRegistry({ host: gatewayIP(cfg) });
    trustOnNodes(nodes.map((n) => hostPathOf(c!.core.dataDir, n, `${NODE_CONTAINERD.certsDir}/${reg!.address}/hosts.toml`) ?? ''), reg.url);
    const hello = (await builtImages(c.core.dataDir)).find((f) => path.basename(f) === 'hello.tar');
    if (!hello) throw new Error('no hello.tar among the built images');
    pushOciArchive(reg, hello, 'flotilla/hello:1');
    ctxDir = fs.mkdtempSync(path.join(c.dir, 'build-'));
    buildData = path.join(c.dir, 'build-data');
    fs.writeFileSync(path.join(ctxDir, 'message.txt'), 'copied into the image\n');
    fs.writeFileSync(path.join(ctxDir, 'Dockerfile'), [
      `FROM ${reg.address}/flotilla/hello:1`,
      'ARG FLAVOUR=plain',
      'RUN echo "built with $FLAVOUR" > /built.txt',
      'COPY message.txt /srv/message.txt',
      'ENTRYPOINT ["/bin/sh", "-c", "cat /srv/message.txt /built.txt; exec sleep 3600"]',
    ].join('\n') + '\n');
    fs.writeFileSync(path.join(ctxDir, 'Failing.Dockerfile'), `FROM ${reg.address}/flotilla/hello:1\nRUN echo about to fail && false\n`);
  }, 300_000);

  afterAll(async () => {
    await reg?.stop();
    if (c) await stopClusterWithNodes(c, cfg, logs);
    expect(fs.existsSync(hostCniLock), `${hostCniLock} left on the host`).toBe(hostCniLockBefore);
  }, 120_000);

  it('builds FROM the registry with RUN, COPY and a build arg, pushes, and a 2-replica Deployment runs it on both nodes', async () => {
    const r = await flotilla(['images', 'build', ctxDir, '-t', 'web:1', '--registry', reg!.address, '--build-arg', 'FLAVOUR=buildah', '--data-dir', buildData]);
    expect(r.stderr + r.stdout).not.toContain('flotilla:');
    expect(r.code).toBe(0);
    // Progress streamed line by line: buildah's steps, then the push, then the digest.
    expect(r.stdout).toContain('STEP 3/5: RUN echo "built with $FLAVOUR" > /built.txt');
    expect(r.stdout).toMatch(new RegExp(`^pushed ${reg!.address.replace(/\./g, '\\.')}/web:1@sha256:[0-9a-f]{64}$`, 'm'));
    // buildah kept to the data dir: its storage there, nothing mounted.
    expect(fs.readdirSync(path.join(buildData, 'buildah', 'storage'))).toContain('vfs');
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(buildData);

    const image = `${reg!.address}/web:1`;
    await c!.kubectlOk(['create', 'deployment', 'web', `--image=${image}`, '--replicas=2']);
    await c!.kubectlOk(['rollout', 'status', 'deployment/web', '--timeout=150s'], { timeoutMs: 160_000 });
    const pods = (await c!.client.list<Pod & KObject>(R.pods, { namespace: 'default', labelSelector: 'app=web' })).items;
    expect(pods.map((p) => p.status?.phase)).toEqual(['Running', 'Running']);
    expect(new Set(pods.map((p) => p.spec?.nodeName)).size).toBe(2);
    for (const p of pods) {
      const name = p.metadata?.name ?? '';
      expect(await c!.kubectlOk(['exec', name, '--', 'cat', '/srv/message.txt'])).toBe('copied into the image\n');
      await waitFor(async () => (await c!.kubectlOk(['logs', name])).includes('built with buildah'), `logs of ${name}`, 30_000, 250);
    }
  }, 420_000);

  it('a failing RUN exits non-zero with buildah\'s error; a missing folder or Dockerfile is said plainly', async () => {
    const failed = await flotilla(['images', 'build', ctxDir, '-f', path.join(ctxDir, 'Failing.Dockerfile'), '--registry', reg!.address, '--data-dir', buildData]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('about to fail');
    expect(failed.stderr).toContain('flotilla: buildah build failed (exit 1): Error: building at STEP "RUN echo about to fail && false": exit status 1');
    const missing = path.join(c!.dir, 'no-such-folder');
    const [noDir, noFile] = await Promise.all([
      flotilla(['images', 'build', missing, '--data-dir', buildData]),
      flotilla(['images', 'build', ctxDir, '-f', 'Nope.Dockerfile', '--data-dir', buildData]),
    ]);
    expect([noDir.code, noDir.stderr.trim()]).toEqual([1, `flotilla: build context ${missing} does not exist`]);
    expect([noFile.code, noFile.stderr.trim()]).toEqual([1, 'flotilla: Dockerfile Nope.Dockerfile does not exist']);
  }, 300_000);
});
