// The cluster's certificate authority and the API server's serving certificate, made on first
// start under <data-dir>/pki and reused after.
import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs the Reflect metadata polyfill
import * as fs from 'node:fs';
import * as path from 'node:path';
import { webcrypto } from 'node:crypto';
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';

export interface Pki {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
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

async function makeCa(): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']));
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=flotilla-ca',
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

async function makeServerCert(ca: { cert: x509.X509Certificate; key: CryptoKey }, hosts: { ips: string[]; dns: string[] }) {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']));
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=flotilla-apiserver',
    issuer: ca.cert.subject,
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 2 * 365 * 86400_000),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension([
        ...hosts.dns.map((value) => ({ type: 'dns' as const, value })),
        ...hosts.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certPem: cert.toString('pem') + '\n', keyPem: toPem(pkcs8, 'PRIVATE KEY') };
}

/** Loads the PKI from <dir>, creating whatever is missing. */
export async function ensurePki(dir: string): Promise<Pki> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (n: string) => path.join(dir, n);
  let caCertPem: string;
  let caKey: CryptoKey;
  if (fs.existsSync(file('ca.crt')) && fs.existsSync(file('ca.key'))) {
    caCertPem = fs.readFileSync(file('ca.crt'), 'utf8');
    caKey = await webcrypto.subtle.importKey('pkcs8', fromPem(fs.readFileSync(file('ca.key'), 'utf8')), ALG, true, ['sign']);
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
  };
}

/** A fresh CA and a serving certificate it signed for these addresses (a TLS image registry in tests, …); nothing is saved. */
export async function makeCaAndServerCert(hosts: { ips: string[]; dns: string[] }): Promise<{ caCertPem: string; certPem: string; keyPem: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const ca = await makeCa();
  const server = await makeServerCert({ cert: ca.cert, key: ca.keys.privateKey }, hosts);
  return { caCertPem: ca.cert.toString('pem') + '\n', ...server };
}
