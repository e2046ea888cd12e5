// CertificateSigningRequests with real kubectl and openssl: `kubectl get csr` columns, validation with
// Kubernetes' messages, `kubectl certificate approve|deny` through the approval subresource, the
// kube-apiserver-client signer issuing a certificate from the cluster CA, and that certificate
// authenticating its subject (CN the user, O the groups) to the API server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../../helpers/cluster';

let c: TestCluster;

beforeAll(async () => {
  c = await startTestCluster({ controllers: { controllers: ['csrsigning'], scheduler: false } });
});
afterAll(async () => {
  await c?.stop();
});

/** A new key and PKCS#10 request for `subject` (openssl's -subj form); the key's path and the request's base64. */
function request(name: string, subject: string): { key: string; request: string } {
  const key = path.join(c.dir, `${name}.key`);
  const csr = path.join(c.dir, `${name}.csr`);
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', subject, '-out', csr], {
    stdio: 'ignore',
  });
  return { key, request: fs.readFileSync(csr).toString('base64') };
}

function csrYaml(name: string, req: string, usages = ['client auth'], extra = 'expirationSeconds: 86400\n'): string {
  return `apiVersion: certificates.k8s.io/v1
kind: CertificateSigningRequest
metadata: {name: ${name}}
spec:
  request: ${req}
  signerName: kubernetes.io/kube-apiserver-client
  usages: [${usages.map((u) => `"${u}"`).join(', ')}]
  ${extra}`;
}

function writeCa(): string {
  const caFile = path.join(c.dir, 'ca.crt');
  fs.writeFileSync(caFile, c.core.caCertPem);
  return caFile;
}

/** Writes a kubeconfig (file `name` in the cluster's dir) that logs in with this client certificate and key only. */
function certKubeconfig(name: string, user: string, crt: string, key: string): string {
  const kubeconfig = path.join(c.dir, name);
  fs.writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "${c.core.api.url}", certificate-authority: ${writeCa()}}}]
users: [{name: ${user}, user: {client-certificate: ${crt}, client-key: ${key}}}]
contexts: [{name: c, context: {cluster: c, user: ${user}}}]
current-context: c
`);
  return kubeconfig;
}

async function certificateOf(name: string): Promise<string> {
  return waitFor(async () => {
    const b64 = await c.kubectlOk(['get', 'csr', name, '-o', 'jsonpath={.status.certificate}']);
    return b64 ? Buffer.from(b64, 'base64').toString('utf8') : undefined;
  }, `certificate of ${name}`, 15_000);
}

describe('CertificateSigningRequest', () => {
  it('refuses bad requests with Kubernetes\' messages', async () => {
    const { request: req } = request('bad', '/CN=bad');
    const short = await c.kubectl(['create', '-f', '-'], { input: csrYaml('bad', req, ['client auth', 'client auth', 'flying'], 'expirationSeconds: 60\n') });
    expect(short.code).not.toBe(0);
    expect(short.stderr).toContain('The CertificateSigningRequest "bad" is invalid');
    expect(short.stderr).toContain('spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 600 seconds (10 minutes)');
    expect(short.stderr).toContain('spec.usages[1]: Duplicate value: "client auth"');
    expect(short.stderr).toContain('spec.usages[2]: Unsupported value: "flying": supported values: "any", "cert sign"');
    const noSigner = await c.kubectl(['create', '-f', '-'], { input: csrYaml('bad', req).replace('kubernetes.io/kube-apiserver-client', 'nodomain') });
    expect(noSigner.stderr).toContain("spec.signerName: Invalid value: \"nodomain\": must be a fully qualified domain and path of the form 'example.com/signer-name'");
    const garbage = Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n').toString('base64');
    const unparsable = await c.kubectl(['create', '-f', '-'], { input: csrYaml('bad', garbage) });
    expect(unparsable.code).not.toBe(0);
    expect(unparsable.stderr).toMatch(/spec\.request: Invalid value: .*asn1: structure error/);
    const notCsr = Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64');
    expect((await c.kubectl(['create', '-f', '-'], { input: csrYaml('bad', notCsr) })).stderr).toContain('PEM block type must be CERTIFICATE REQUEST');
  });

  it('is listed pending with its requestor, approved with kubectl certificate approve, issued by the signer', async () => {
    const { key, request: req } = request('jane', '/CN=jane/O=devs/O=qa');
    // The requestor is who created it, whatever the body claims.
    await c.kubectlOk(['create', '-f', '-'], { input: csrYaml('jane', req).replace('spec:\n', 'spec:\n  username: mallory\n') });
    const pending = await c.kubectlOk(['get', 'csr']);
    expect(pending.split('\n')[0]).toMatch(/^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION$/);
    expect(pending).toMatch(/^jane\s+\S+\s+kubernetes\.io\/kube-apiserver-client\s+admin\s+24h\s+Pending$/m);

    expect(await c.kubectlOk(['certificate', 'approve', 'jane'])).toContain('certificatesigningrequest.certificates.k8s.io/jane approved');
    const pem = await certificateOf('jane');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(await c.kubectlOk(['get', 'csr', 'jane', '--no-headers'])).toMatch(/Approved,Issued/);
    const text = execFileSync('openssl', ['x509', '-noout', '-subject', '-issuer', '-ext', 'extendedKeyUsage'], { input: pem }).toString();
    expect(text).toMatch(/subject=CN\s*=\s*jane, O\s*=\s*devs, O\s*=\s*qa/);
    expect(text).toMatch(/issuer=CN\s*=\s*flotilla-ca/);
    expect(text).toContain('TLS Web Client Authentication');

    // The signed certificate is a login: kubectl with it and no token is jane, in her groups.
    const certFile = path.join(c.dir, 'jane.crt');
    fs.writeFileSync(certFile, pem);
    const kubeconfig = certKubeconfig('jane.kubeconfig', 'jane', certFile, key);
    const whoami = await c.kubectlOk([`--kubeconfig=${kubeconfig}`, 'auth', 'whoami']);
    expect(whoami).toMatch(/Username\s+jane/);
    expect(whoami).toMatch(/Groups\s+\[devs qa system:authenticated\]/);
    const denied = await c.kubectl([`--kubeconfig=${kubeconfig}`, 'get', 'pods']);
    expect(denied.stderr).toContain('User "jane" cannot list resource "pods" in API group "" in the namespace "default"');
  });

  it('a certificate the cluster CA did not sign authenticates no one', async () => {
    const key = path.join(c.dir, 'self.key');
    const crt = path.join(c.dir, 'self.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', '/CN=admin/O=system:masters', '-days', '1', '-out', crt], { stdio: 'ignore' });
    const kubeconfig = certKubeconfig('self.kubeconfig', 'u', crt, key);
    const r = await c.kubectl([`--kubeconfig=${kubeconfig}`, 'get', 'pods']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Unauthorized');
  });

  it('kubectl certificate deny: Denied, never issued; usages the signer does not allow: Failed', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: csrYaml('nope', request('nope', '/CN=nope').request) });
    expect(await c.kubectlOk(['certificate', 'deny', 'nope'])).toContain('certificatesigningrequest.certificates.k8s.io/nope denied');
    expect(await c.kubectlOk(['get', 'csr', 'nope', '--no-headers'])).toMatch(/\sDenied$/m);
    expect((await c.kubectl(['certificate', 'approve', 'nope'])).stderr).toContain('certificate signing request "nope" is already Denied');

    await c.kubectlOk(['create', '-f', '-'], { input: csrYaml('server', request('server', '/CN=server').request, ['server auth']) });
    await c.kubectlOk(['certificate', 'approve', 'server']);
    const failed = await waitFor(async () => {
      const o = await c.kubectlOk(['get', 'csr', 'server', '--no-headers']);
      return /Approved,Failed/.test(o) ? o : undefined;
    }, 'Failed condition', 15_000);
    expect(failed).not.toContain('Issued');
    const message = await c.kubectlOk(['get', 'csr', 'server', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].message}']);
    expect(message).toBe('invalid usage for client certificate: server auth');
    expect(await c.kubectlOk(['get', 'csr', 'nope', '-o', 'jsonpath={.status.certificate}'])).toBe('');
  });

  it('lets a user approve only for signers it has the approve verb on, by name or by the domain\'s wildcard', async () => {
    await c.kubectlOk(['create', '-f', '-'], { input: csrYaml('alice-a', request('alice-a', '/CN=alice-a').request) });
    await c.kubectlOk(['create', '-f', '-'], { input: csrYaml('alice-b', request('alice-b', '/CN=alice-b').request).replace('kubernetes.io/kube-apiserver-client', 'example.com/widgets') });
    await c.kubectlOk(['create', 'clusterrole', 'csr-approver', '--verb=get,list,watch', '--resource=certificatesigningrequests.certificates.k8s.io']);
    await c.kubectlOk(['apply', '-f', '-'], {
      input: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: csr-approval}\n'
        + 'rules:\n- apiGroups: [certificates.k8s.io]\n  resources: [certificatesigningrequests/approval]\n  verbs: [update]\n',
    });
    await c.kubectlOk(['create', 'clusterrolebinding', 'alice-csr', '--clusterrole=csr-approver', '--user=alice']);
    await c.kubectlOk(['create', 'clusterrolebinding', 'alice-csr-approval', '--clusterrole=csr-approval', '--user=alice']);

    const refused = await c.kubectl(['certificate', 'approve', 'alice-a', '--as=alice']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('certificatesigningrequests.certificates.k8s.io "alice-a" is forbidden: '
      + 'user not permitted to approve requests with signerName "kubernetes.io/kube-apiserver-client"');
    const denyRefused = await c.kubectl(['certificate', 'deny', 'alice-b', '--as=alice']);
    expect(denyRefused.stderr).toContain('certificatesigningrequests.certificates.k8s.io "alice-b" is forbidden: '
      + 'user not permitted to approve requests with signerName "example.com/widgets"');
    expect(await c.kubectlOk(['get', 'csr', 'alice-a', 'alice-b', '--no-headers'])).not.toMatch(/Approved|Denied/);

    // `approve` on signers: the domain's wildcard for kubernetes.io, the exact name for example.com.
    // (Not with kubectl create clusterrole: signers is no served resource, which kubectl checks, as against Kubernetes.)
    await c.kubectlOk(['apply', '-f', '-'], {
      input: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: signers}\n'
        + 'rules:\n- apiGroups: [certificates.k8s.io]\n  resources: [signers]\n  verbs: [approve]\n  resourceNames: ["kubernetes.io/*", example.com/widgets]\n',
    });
    await c.kubectlOk(['create', 'clusterrolebinding', 'alice-signers', '--clusterrole=signers', '--user=alice']);
    expect(await c.kubectlOk(['certificate', 'approve', 'alice-a', '--as=alice'])).toContain('certificatesigningrequest.certificates.k8s.io/alice-a approved');
    expect(await c.kubectlOk(['certificate', 'deny', 'alice-b', '--as=alice'])).toContain('certificatesigningrequest.certificates.k8s.io/alice-b denied');
    expect(await c.kubectlOk(['get', 'csr', 'alice-b', '--no-headers'])).toMatch(/\sDenied$/m);
  });
});
