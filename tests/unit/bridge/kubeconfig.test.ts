// Kubeconfig files as clientcmd reads them: contexts resolved to server, trust and credentials,
// relative file paths, first-name-wins, and what the UI cannot use said as the context's problem.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseKubeconfig, readKubeconfigContexts } from '../../../main/bridge/clusters/kubeconfig';
import { kubeconfigSources, kubectlFiles, MAX_KUBECONFIG_BYTES } from '../../../main/bridge/clusters/sources';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flotilla-kc-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('parseKubeconfig', () => {
  it('resolves each context to its server, CA and credentials', () => {
    fs.writeFileSync(path.join(dir, 'ca.pem'), 'CA FROM FILE');
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.writeFileSync(path.join(dir, 'keys', 'tok'), 'file-token\n');
    const file = path.join(dir, 'config');
    const ctxs = parseKubeconfig(`
apiVersion: v1
kind: Config
current-context: b
clusters:
- name: one
  cluster: { server: "https://one:6443", certificate-authority-data: ${b64('CA DATA')} }
- name: two
  cluster: { server: "https://two:6443", certificate-authority: ca.pem, tls-server-name: kubernetes }
- name: one
  cluster: { server: "https://ignored:1" }
users:
- name: tokened
  user: { token: abc }
- name: certified
  user: { client-certificate-data: ${b64('CERT')}, client-key-data: ${b64('KEY')} }
- name: filed
  user: { tokenFile: keys/tok }
contexts:
- name: a
  context: { cluster: one, user: tokened, namespace: apps }
- name: b
  context: { cluster: two, user: certified }
- name: c
  context: { cluster: two, user: filed }
`, file);
    expect(ctxs.map((c) => [c.id, c.current, c.problem])).toEqual([[`${file}#a`, false, undefined], [`${file}#b`, true, undefined], [`${file}#c`, false, undefined]]);
    expect(ctxs[0].credentials).toMatchObject({ server: 'https://one:6443', caCertPem: 'CA DATA', token: 'abc' });
    expect(ctxs[0].namespace).toBe('apps');
    expect(ctxs[1].credentials).toMatchObject({ server: 'https://two:6443', caCertPem: 'CA FROM FILE', clientCertPem: 'CERT', clientKeyPem: 'KEY', tlsServerName: 'kubernetes' });
    expect(ctxs[2].credentials?.token).toBe('file-token');
  });

  it('says why a context cannot be used, and keeps the others', () => {
    const ctxs = parseKubeconfig(`
clusters:
- { name: gke, cluster: { server: "https://gke" } }
- { name: nowhere, cluster: {} }
users:
- { name: gcloud, user: { exec: { command: gke-gcloud-auth-plugin, apiVersion: client.authentication.k8s.io/v1beta1 } } }
- { name: oidc, user: { auth-provider: { name: oidc } } }
- { name: missing-file, user: { client-certificate: /nonexistent/cert.pem, client-key-data: ${b64('K')} } }
- { name: plain, user: { token: t } }
contexts:
- { name: exec, context: { cluster: gke, user: gcloud } }
- { name: provider, context: { cluster: gke, user: oidc } }
- { name: nofile, context: { cluster: gke, user: missing-file } }
- { name: noserver, context: { cluster: nowhere, user: plain } }
- { name: nocluster, context: { cluster: gone, user: plain } }
- { name: nouser, context: { cluster: gke, user: ghost } }
- { name: fine, context: { cluster: gke, user: plain } }
`, '/x/config');
    const problems = Object.fromEntries(ctxs.map((c) => [c.name, c.problem]));
    expect(problems.exec).toBe('its user authenticates with an exec plugin (gke-gcloud-auth-plugin), which the Flotilla UI does not run; use a token or client certificate');
    expect(problems.provider).toContain('"oidc" auth provider');
    expect(problems.nofile).toBe('cannot read the client certificate /nonexistent/cert.pem: ENOENT');
    expect(problems.noserver).toBe('its cluster has no server');
    expect(problems.nocluster).toBe('its cluster "gone" is not in the file');
    expect(problems.nouser).toBe('its user "ghost" is not in the file');
    expect(problems.fine).toBeUndefined();
  });

  it('names the file when it is not YAML or cannot be read', () => {
    expect(() => parseKubeconfig('clusters: [\n', '/x/broken')).toThrow(/^\/x\/broken is not valid YAML: /);
    expect(() => readKubeconfigContexts(path.join(dir, 'absent'))).toThrow(`cannot read ${path.join(dir, 'absent')}: ENOENT`);
    expect(parseKubeconfig('just text', '/x/text')).toEqual([]);
  });
});

describe('kubeconfig sources', () => {
  it('reads $KUBECONFIG as kubectl does, else ~/.kube/config', () => {
    expect(kubectlFiles({ KUBECONFIG: `/a${path.delimiter}${path.delimiter}/b` }, '/home/u')).toEqual(['/a', '/b']);
    expect(kubectlFiles({}, '/home/u')).toEqual(['/home/u/.kube/config']);
  });

  it('remembers added files in the data dir, saves uploads privately, and forgets them', () => {
    const s = kubeconfigSources({ dataDir: dir, env: {}, home: '/home/u' });
    s.add('/elsewhere/config');
    const saved = s.save('../../my cluster.yaml', 'apiVersion: v1');
    expect(path.dirname(saved)).toBe(path.join(dir, 'kubeconfigs'));
    expect(path.basename(saved)).toBe('my_cluster.yaml');
    expect(fs.statSync(saved).mode & 0o777).toBe(0o600);
    expect(s.save('my cluster.yaml', 'x')).toBe(`${saved}-2`);
    // A second reader of the same data dir (a restart) sees the same list.
    const again = kubeconfigSources({ dataDir: dir, env: {}, home: '/home/u' });
    expect(again.files()).toEqual(['/home/u/.kube/config', '/elsewhere/config', saved, `${saved}-2`]);
    again.remove(saved);
    expect(fs.existsSync(saved)).toBe(false);
    again.remove('/elsewhere/config');
    expect(again.added()).toEqual([`${saved}-2`]);
    expect(() => s.save('big', 'x'.repeat(MAX_KUBECONFIG_BYTES + 1))).toThrow('big is larger than 1 MiB: not a kubeconfig');
  });
});
