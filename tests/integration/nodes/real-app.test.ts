// A whole app on a real sandbox node (containerd, runc, the real agent bundle, real kubectl): the multi-document
// tests/fixtures/real-app.yaml applies with kubectl's default client-side validation and runs. Its files have the
// right content and modes, a sidecar shares the init container's emptyDir, a ConfigMap change reaches the running
// pod, the pod reaches Services by short name, FQDN and headless per-pod name and the host by
// host.flotilla.internal, its token lists pods only once a RoleBinding grants it (and `kubectl auth can-i` agrees),
// and `kubectl run -it --rm` / `kubectl attach` attach to a shell.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { R } from '../../../main/client/refs';
import type { KObject } from '../../../main/api/types';
import { gatewayIP } from '../../../main/nodes/providers/sandbox/config';
import { waitFor } from '../../helpers/cluster';
import { interactiveKubectl, type Interactive } from '../../helpers/interactive';
import { skipWithoutAgent, sandboxCluster } from './support';
import { curlFromPod, podPid } from './pod-net';

const FIXTURE = path.join(__dirname, '../../fixtures/real-app.yaml');
const COUNTER = 'docker.io/flotilla/counter:1';
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const SA_USER = 'system:serviceaccount:shop:shop-app';
type P = Pod & KObject;

/** `ls -lnL` lines → name: permission string (busybox: `-rw-r--r--    1 0  0  6 Dec  3 03:40 name`). */
function modes(ls: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of ls.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 9 && /^[-dl]/.test(f[0] ?? '')) out[f.slice(8).join(' ')] = f[0] ?? '';
  }
  return out;
}

describe.skipIf(skipWithoutAgent)('a multi-document app on a sandbox node', () => {
  const { c, ok, cfg } = sandboxCluster(8);
  let host: http.Server | undefined;
  let hostPort = 0;
  let web = '';

  /** A shell command in the web pod's container (app unless named): its stdout and stderr. */
  const inWeb = async (script: string, container = 'app'): Promise<string> => {
    const r = await c.kubectl(['exec', '-n', 'shop', web, '-c', container, '--', 'sh', '-c', script], { timeoutMs: 30_000 });
    return r.stdout + r.stderr;
  };
  const pod = (name: string): Promise<P> => c.client.get<P>(R.pods, name, 'shop');
  const gone = async (name: string): Promise<boolean> => {
    try {
      await pod(name);
      return false;
    } catch (e) {
      return (e as { code?: number }).code === 404;
    }
  };

  beforeAll(async () => {
    // Something on the host for the pod to reach (the sandbox bridge comes up with the first node: all addresses).
    host = http.createServer((_req, res) => res.end('hello from the host\n'));
    await new Promise<void>((resolve, reject) => {
      host!.once('error', reject);
      host!.listen(0, '0.0.0.0', resolve);
    });
    hostPort = (host.address() as AddressInfo).port;
  }, 360_000);

  afterAll(() => {
    host?.close();
  });

  it('applies with kubectl\'s default validation, rolls out, and re-applies as Kubernetes does (unchanged but the stringData Secret)', async () => {
    const applied = await c.kubectl(['apply', '-f', FIXTURE], { timeoutMs: 60_000 });
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout.trim().split('\n')).toEqual([
      'namespace/shop created', 'serviceaccount/shop-app created', 'configmap/shop-config created', 'secret/shop-secret created',
      'deployment.apps/web created', 'service/web created', 'pod/db-0 created', 'service/db created', 'service/backend created',
    ]);
    expect(await ok(['rollout', 'status', 'deployment/web', '-n', 'shop', '--timeout=120s'], undefined, 130_000))
      .toContain('deployment "web" successfully rolled out');
    await waitFor(async () => (await pod('db-0')).status?.containerStatuses?.[0]?.ready, 'db-0 ready', 120_000, 250);
    web = await ok(['get', 'pods', '-n', 'shop', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
    expect(web).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}$/);
    // Unchanged, but for the Secret: its stringData is never in the live object, so kubectl's three-way patch
    // always carries it and Kubernetes, too, says "configured" (kubernetes/kubernetes#87736).
    const again = await ok(['apply', '-f', FIXTURE]);
    expect(again.trim().split('\n')).toEqual([
      'namespace/shop unchanged', 'serviceaccount/shop-app unchanged', 'configmap/shop-config unchanged', 'secret/shop-secret configured',
      'deployment.apps/web unchanged', 'service/web unchanged', 'pod/db-0 unchanged', 'service/db unchanged', 'service/backend unchanged',
    ]);
    expect(await ok(['get', 'pod', '-n', 'shop', web, '--no-headers'])).toMatch(new RegExp(`^${web}\\s+2/2\\s+Running\\s+0\\s`));
  }, 300_000);

  it('mounts the ConfigMap, the Secret and the emptyDir with their content and modes; env from both', async () => {
    expect(await inWeb('cat /etc/shop/greeting; echo; cat /etc/shop/app.properties')).toBe('hello\ncolor=blue\nreplicas=1\n');
    expect(modes(await inWeb('ls -lnL /etc/shop'))).toEqual({ 'app.properties': '-rw-r--r--', greeting: '-rw-r--r--' });
    // The kubelet's atomic-writer layout: each key a symlink into ..data, itself a link to a timestamped dir.
    const layout = modes(await inWeb('ls -lna /etc/shop'));
    expect(layout).toMatchObject({ 'greeting -> ..data/greeting': expect.stringMatching(/^l/) as unknown, 'app.properties -> ..data/app.properties': expect.stringMatching(/^l/) as unknown });
    expect(Object.keys(layout).find((k) => k.startsWith('..data -> ..'))).toBeDefined();
    expect(await inWeb('cat /etc/shop-secret/db/password; echo; cat /etc/shop-secret/api-key')).toBe('s3cr3t!\nabc-123');
    const secret = modes(await inWeb('ls -lnL /etc/shop-secret'));
    expect(Object.keys(secret).sort()).toEqual(['api-key', 'db']);
    expect(secret['api-key']).toBe('-r--r-----');
    expect(secret.db).toMatch(/^d/);
    expect(modes(await inWeb('ls -lnL /etc/shop-secret/db'))).toEqual({ password: '-r--------' });
    // The service-account token volume admission added: projected with Kubernetes' defaultMode 0644.
    expect(modes(await inWeb(`ls -lnL ${SA_DIR}`))).toEqual({ 'ca.crt': '-rw-r--r--', namespace: '-rw-r--r--', token: '-rw-r--r--' });
    // readOnly: true is enforced by the mount.
    expect(await inWeb('touch /etc/shop-secret/x 2>&1 || echo refused')).toMatch(/Read-only file system[\s\S]*refused/);
    expect(await inWeb('echo "$GREETING $API_KEY"')).toBe('hello abc-123\n');
    // The init container wrote the emptyDir before the app started; the app sees its file and mode.
    expect(await inWeb('cat /work/init.txt')).toBe(`prepared by ${web}\n`);
    expect(modes(await inWeb('ls -ln /work'))).toMatchObject({ 'init.txt': '-rw-------' });
  });

  it('the sidecar serves the shared emptyDir: what the init container and the app write', async () => {
    await inWeb('echo written-by-app > /work/from-app.txt');
    expect(await inWeb('wget -qO- http://localhost:9090/init.txt && wget -qO- http://localhost:9090/from-app.txt')).toBe(`prepared by ${web}\nwritten-by-app\n`);
    expect(await inWeb('cat /work/from-app.txt', 'files')).toBe('written-by-app\n');
  });

  it('a ConfigMap change reaches the running pod\'s files (env stays as started)', async () => {
    await ok(['patch', 'configmap', 'shop-config', '-n', 'shop', '--type=merge', '-p', '{"data":{"greeting":"bonjour"}}']);
    await waitFor(async () => (await inWeb('cat /etc/shop/greeting')) === 'bonjour', 'the new greeting in the pod', 60_000, 250);
    expect(await inWeb('echo "$GREETING"')).toBe('hello\n');
    expect((await pod(web)).status?.containerStatuses?.every((s) => s.restartCount === 0)).toBe(true);
  });

  it('reaches a Service by short name and FQDN, the headless per-pod name, and the host', async () => {
    const dbIP = (await pod('db-0')).status?.podIP ?? '';
    const hello = `Hello from db-0 (${dbIP})\n`;
    expect(await inWeb('wget -qO- http://backend/')).toBe(hello);
    expect(await inWeb('wget -qO- http://backend.shop.svc.cluster.local/')).toBe(hello);
    expect(await inWeb('wget -qO- http://db-0.db.shop.svc.cluster.local:8080/')).toBe(hello);
    expect(await inWeb('wget -qO- http://db-0.db:8080/')).toBe(hello);
    expect(await inWeb('nslookup host.flotilla.internal')).toContain(`Address: ${gatewayIP(cfg)}`);
    expect(await inWeb(`wget -qO- http://host.flotilla.internal:${hostPort}/`)).toBe('hello from the host\n');
    // And back: db-0 reaches the app through its Service.
    const r = await c.kubectl(['exec', '-n', 'shop', 'db-0', '--', 'wget', '-qO-', 'http://web.shop/'], { timeoutMs: 30_000 });
    expect(r.stdout).toMatch(new RegExp(`^Hello from ${web} \\(`));
  });

  it('the pod\'s token lists pods only after a RoleBinding grants it; kubectl auth can-i agrees', async () => {
    const p = await pod(web);
    const pid = await waitFor(() => podPid(p.metadata!.uid!, '/bin/sh\0/serve.sh'), 'the app\'s process', 10_000);
    const token = await inWeb(`cat ${SA_DIR}/token`);
    const caFile = path.join(c.dir, 'shop-ca.crt');
    fs.writeFileSync(caFile, await inWeb(`cat ${SA_DIR}/ca.crt`));
    const canI = async (as: 'token' | 'impersonate', ...args: string[]): Promise<string> => {
      const r = as === 'token'
        ? await c.kubectl(['auth', 'can-i', ...args], { token })
        : await c.kubectl(['auth', 'can-i', `--as=${SA_USER}`, ...args]);
      return `${r.code} ${r.stdout.trim()}`;
    };

    // curl runs in the pod's network namespace but with the host's resolver: the kubernetes Service by its IP.
    const url = 'https://10.96.0.1/api/v1/namespaces/shop/pods';
    const denied = await waitFor(async () => {
      const out = await curlFromPod(pid, token, caFile, url);
      if (!out.startsWith('403 ')) throw new Error(out);
      return out;
    }, 'the API answers the pod 403', 30_000, 500);
    expect((JSON.parse(denied.slice(4)) as { message: string }).message)
      .toBe(`pods is forbidden: User "${SA_USER}" cannot list resource "pods" in API group "" in the namespace "shop"`);
    expect(await canI('token', 'list', 'pods', '-n', 'shop')).toBe('1 no');
    expect(await canI('impersonate', 'list', 'pods', '-n', 'shop')).toBe('1 no');

    await ok(['create', 'role', 'pod-reader', '-n', 'shop', '--verb=get,list,watch', '--resource=pods']);
    await ok(['create', 'rolebinding', 'shop-app-reads-pods', '-n', 'shop', '--role=pod-reader', '--serviceaccount=shop:shop-app']);

    const allowed = await waitFor(async () => {
      const out = await curlFromPod(pid, token, caFile, url);
      return out.startsWith('200 ') ? out : undefined;
    }, 'the pod lists pods', 30_000, 500);
    expect((JSON.parse(allowed.slice(4)) as { items: Pod[] }).items.map((x) => x.metadata?.name).sort()).toEqual(['db-0', web]);
    expect(await canI('token', 'list', 'pods', '-n', 'shop')).toBe('0 yes');
    expect(await canI('impersonate', 'list', 'pods', '-n', 'shop')).toBe('0 yes');
    // Only what the Role grants: not other verbs, resources or namespaces.
    expect(await canI('token', 'delete', 'pods', '-n', 'shop')).toBe('1 no');
    expect(await canI('impersonate', 'get', 'secrets', '-n', 'shop')).toBe('1 no');
    expect(await canI('token', 'list', 'pods', '-n', 'default')).toBe('1 no');
  });

  // The demo images' ENTRYPOINT is their HTTP server, so `-- sh` alone would only be its args (as in Kubernetes,
  // where args replace CMD, not ENTRYPOINT): the shells below are started with --command.
  /** Talks to the attached shell: a command's output comes back, the app answers through it, `exit 0` ends it. */
  const shell = async (k: Interactive, eol: string): Promise<void> => {
    await k.until(/If you don't see a command prompt/, 'kubectl to attach', 40_000);
    k.write(`echo got-$((6*7))${eol}`);
    await k.until(/got-42/, 'the command\'s output through the attach', 20_000);
    k.write(`wget -qO- http://web.shop/${eol}`);
    await k.until(/Hello from web-/, 'the app\'s answer through the attach', 20_000);
    k.write(`exit 0${eol}`);
  };

  it('kubectl run -it --rm attaches a terminal to a shell, and deletes the pod when it exits', async () => {
    const k = interactiveKubectl(c, ['run', '-it', '--rm', 'tmp-shell', '-n', 'shop', `--image=${COUNTER}`, '--restart=Never', '--command', '--', 'sh'], true);
    try {
      await shell(k, '\r');
      expect(await k.exited).toBe(0);
    } finally {
      k.kill();
    }
    expect(k.output()).toContain('pod "tmp-shell" deleted');
    await waitFor(() => gone('tmp-shell'), 'tmp-shell deleted', 30_000, 200);
  }, 120_000);

  it('kubectl run -i --rm through a plain stdin pipe, and the pod is deleted', async () => {
    const k = interactiveKubectl(c, ['run', '-i', '--rm', 'pipe-shell', '-n', 'shop', `--image=${COUNTER}`, '--restart=Never', '--command', '--', 'sh']);
    try {
      await shell(k, '\n');
      k.end();
      expect(await k.exited).toBe(0);
    } finally {
      k.kill();
    }
    expect(k.output()).toContain('pod "pipe-shell" deleted');
    await waitFor(() => gone('pipe-shell'), 'pipe-shell deleted', 30_000, 200);
  }, 120_000);

  it('kubectl run -i --rm of a command that ends at once prints its output every time', async () => {
    // The container has usually exited by the time kubectl attaches: the attach must say so (kubectl then prints the
    // log), not end quietly with nothing — which it had done about every other run.
    for (let i = 1; i <= 4; i++) {
      const r = await c.kubectl(['run', '-i', '--rm', `quick-${i}`, `--image=${COUNTER}`, '--restart=Never', '--command', '--', 'sh', '-c', `echo ran-${i}`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, r.stderr).toContain(`ran-${i}`);
      expect(r.stdout).toContain(`pod "quick-${i}" deleted`);
    }
  }, 120_000);

  it('kubectl attach -it to a running pod\'s shell', async () => {
    await ok(['run', 'later', '-n', 'shop', `--image=${COUNTER}`, '--restart=Never', '--stdin', '--tty', '--attach=false', '--command', '--', 'sh']);
    await waitFor(async () => (await pod('later')).status?.containerStatuses?.[0]?.state?.running, 'later running', 60_000, 200);
    const k = interactiveKubectl(c, ['attach', '-it', 'later', '-n', 'shop'], true);
    try {
      await shell(k, '\r');
      expect(await k.exited).toBe(0);
    } finally {
      k.kill();
    }
    const p = await waitFor(async () => {
      const x = await pod('later');
      return x.status?.phase === 'Succeeded' ? x : undefined;
    }, 'later to succeed after its shell exited', 30_000, 200);
    expect(p.status?.containerStatuses?.[0]?.state?.terminated?.exitCode).toBe(0);
  }, 120_000);
});
