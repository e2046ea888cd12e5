// The cluster's certificate authority and the API server's serving certificate, made on first
// start under <data-dir>/pki and reused after.
import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs the Reflect metadata polyfill
import * as fs from 'node:fs';
import * as path from 'node:path';
import { webcrypto } from 'node:crypto';
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';
import { FRONT_PROXY_CLIENT_CN } from '../api/apiservices';
import type { ServingSigner } from '../protocol/kubelet-serving';

export interface Pki {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  /**
   * The front proxy's: a CA of its own (requestheader-client-ca-file) and the client certificate the aggregator
   * presents to aggregated API servers (CN front-proxy-client, requestheader-allowed-names).
   */
  frontProxy: { caCertPem: string; clientCertPem: string; clientKeyPem: string };
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function fromPem(pem: string): ArrayBuffer {
  const b64 = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const buf = Buffer.from(b64, 'base64');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1');
}

async function makeCa(cn = 'flotilla-ca'): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']));
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${cn}`,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 10 * 365 * 86400_000),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

type Ca = { cert: x509.X509Certificate; key: CryptoKey };

const sanExtension = (hosts: { ips: string[]; dns: string[] }): x509.Extension => new x509.SubjectAlternativeNameExtension([
  ...hosts.dns.map((value) => ({ type: 'dns' as const, value })),
  ...hosts.ips.map((value) => ({ type: 'ip' as const, value })),
]);

async function makeServerCert(ca: Ca, hosts: { ips: string[]; dns: string[] }) {
  return makeLeafCert(ca, 'CN=flotilla-apiserver', x509.ExtendedKeyUsage.serverAuth, [sanExtension(hosts)]);
}

async function makeLeafCert(ca: Ca, subject: string, usage: string, more: x509.Extension[]) {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']));
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 2 * 365 * 86400_000),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([usage], false),
      ...more,
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem') + '\n', keyPem: toPem(pkcs8, 'PRIVATE KEY') };
}

async function loadCa(dir: string): Promise<{ caCertPem: string; caKey: CryptoKey }> {
  const caCertPem = fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8');
  const caKey = await webcrypto.subtle.importKey('pkcs8', fromPem(fs.readFileSync(path.join(dir, 'ca.key'), 'utf8')), ALG, true, ['sign']);
  return { caCertPem, caKey };
}

/**
 * Signs kubelets' serving certificates with the cluster CA under <dir> (made by ensurePki), as kube's signer issues
 * approved kubernetes.io/kubelet-serving requests: CN system:node:<name>, O system:nodes, server auth, the node's name
 * and addresses. Clients that trust the cluster CA (a pod's service-account ca.crt: metrics-server's default) verify it.
 * The CA is read at the first signing, not at start.
 */
export function kubeletServingSigner(dir: string): ServingSigner {
  let ca: Promise<Ca> | undefined;
  return async (h) => {
    ca ??= loadCa(dir).then(({ caCertPem, caKey }) => {
      x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
      return { cert: new x509.X509Certificate(caCertPem), key: caKey };
    });
    return makeLeafCert(await ca, `CN=system:node:${h.node}, O=system:nodes`, x509.ExtendedKeyUsage.serverAuth, [sanExtension(h)]);
  };
}

/** Loads the PKI from <dir>, creating whatever is missing. */
export async function ensurePki(dir: string): Promise<Pki> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (n: string) => path.join(dir, n);
  let caCertPem: string;
  let caKey: CryptoKey;
  if (fs.existsSync(file('ca.crt')) && fs.existsSync(file('ca.key'))) {
    ({ caCertPem, caKey } = await loadCa(dir));
  } else {
    const ca = await makeCa();
    caCertPem = ca.cert.toString('pem') + '\n';
    caKey = ca.keys.privateKey;
    fs.writeFileSync(file('ca.key'), toPem(await webcrypto.subtle.exportKey('pkcs8', caKey), 'PRIVATE KEY'), { mode: 0o600 });
    fs.writeFileSync(file('ca.crt'), caCertPem);
    fs.rmSync(file('server.crt'), { force: true });
  }
  if (!fs.existsSync(file('server.crt')) || !fs.existsSync(file('server.key'))) {
    const server = await makeServerCert({ cert: new x509.X509Certificate(caCertPem), key: caKey }, {
      ips: ['127.0.0.1', '10.96.0.1', '::1'],
      dns: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', 'flotilla-apiserver'],
    });
    fs.writeFileSync(file('server.key'), server.keyPem, { mode: 0o600 });
    fs.writeFileSync(file('server.crt'), server.certPem);
  }
  return {
    caCertPem,
    serverCertPem: fs.readFileSync(file('server.crt'), 'utf8'),
    serverKeyPem: fs.readFileSync(file('server.key'), 'utf8'),
    frontProxy: await ensureFrontProxy(file),
  };
}

/** The front proxy's CA and client certificate (kubeadm's front-proxy-ca.* and front-proxy-client.*), made once. */
async function ensureFrontProxy(file: (n: string) => string): Promise<Pki['frontProxy']> {
  if (!fs.existsSync(file('front-proxy-ca.crt')) || !fs.existsSync(file('front-proxy-client.key'))) {
    const ca = await makeCa('front-proxy-ca');
    const client = await makeLeafCert({ cert: ca.cert, key: ca.keys.privateKey }, `CN=${FRONT_PROXY_CLIENT_CN}`, x509.ExtendedKeyUsage.clientAuth, []);
    fs.writeFileSync(file('front-proxy-ca.crt'), ca.cert.toString('pem') + '\n');
    fs.writeFileSync(file('front-proxy-client.crt'), client.certPem);
    fs.writeFileSync(file('front-proxy-client.key'), client.keyPem, { mode: 0o600 });
  }
  return {
    caCertPem: fs.readFileSync(file('front-proxy-ca.crt'), 'utf8'),
    clientCertPem: fs.readFileSync(file('front-proxy-client.crt'), 'utf8'),
    clientKeyPem: fs.readFileSync(file('front-proxy-client.key'), 'utf8'),
  };
}

/** A fresh CA and a serving certificate it signed for these addresses (a TLS image registry in tests, …); nothing is saved. */
export async function makeCaAndServerCert(hosts: { ips: string[]; dns: string[] }): Promise<{ caCertPem: string; certPem: string; keyPem: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const ca = await makeCa();
  const server = await makeServerCert({ cert: ca.cert, key: ca.keys.privateKey }, hosts);
  return { caCertPem: ca.cert.toString('pem') + '\n', ...server };
}
