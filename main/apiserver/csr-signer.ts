// Signs approved CertificateSigningRequests with the cluster CA (<pki>/ca.crt, ca.key): what kube-controller-manager's
// csrsigning controller does with --cluster-signing-cert-file/key-file. The certificate carries the request's subject
// and public key, the key usages and extended key usages the CSR asked for, CA:FALSE and the CA's key identifier;
// it is valid from five minutes ago (for clocks behind ours) until the requested duration or one year, never
// beyond the CA's own expiry.
import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs the Reflect metadata polyfill
import * as fs from 'node:fs';
import * as path from 'node:path';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { parseCertificateRequest } from './csr-request';

export interface SignRequest {
  /** spec.request: base64 of the PEM request. */
  request: string;
  usages: readonly string[];
  expirationSeconds?: number;
}

/** Signs a request; answers status.certificate (base64 of the PEM certificate). */
export type CertificateSigner = (req: SignRequest) => Promise<string>;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const BACKDATE_MS = 5 * 60_000;
const DEFAULT_DURATION_S = 365 * 86400;

const KEY_USAGES: Record<string, number> = {
  'signing': x509.KeyUsageFlags.digitalSignature,
  'digital signature': x509.KeyUsageFlags.digitalSignature,
  'content commitment': x509.KeyUsageFlags.nonRepudiation,
  'key encipherment': x509.KeyUsageFlags.keyEncipherment,
  'key agreement': x509.KeyUsageFlags.keyAgreement,
  'data encipherment': x509.KeyUsageFlags.dataEncipherment,
  'cert sign': x509.KeyUsageFlags.keyCertSign,
  'crl sign': x509.KeyUsageFlags.cRLSign,
  'encipher only': x509.KeyUsageFlags.encipherOnly,
  'decipher only': x509.KeyUsageFlags.decipherOnly,
};
const EXT_KEY_USAGES: Record<string, string> = {
  'any': '2.5.29.37.0',
  'server auth': x509.ExtendedKeyUsage.serverAuth,
  'client auth': x509.ExtendedKeyUsage.clientAuth,
  'code signing': x509.ExtendedKeyUsage.codeSigning,
  'email protection': x509.ExtendedKeyUsage.emailProtection,
  's/mime': x509.ExtendedKeyUsage.emailProtection,
  'ipsec end system': '1.3.6.1.5.5.7.3.5',
  'ipsec tunnel': '1.3.6.1.5.5.7.3.6',
  'ipsec user': '1.3.6.1.5.5.7.3.7',
  'timestamping': x509.ExtendedKeyUsage.timeStamping,
  'ocsp signing': x509.ExtendedKeyUsage.ocspSigning,
  'microsoft sgc': '1.3.6.1.4.1.311.10.3.3',
  'netscape sgc': '2.16.840.1.113730.4.1',
};

function fromPem(pem: string): ArrayBuffer {
  const buf = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
}

/** A signer with the CA under `pkiDir` (made by ensurePki). */
export async function loadCertificateSigner(pkiDir: string, now: () => Date = () => new Date()): Promise<CertificateSigner> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const caCert = new x509.X509Certificate(fs.readFileSync(path.join(pkiDir, 'ca.crt'), 'utf8'));
  const caKey = await webcrypto.subtle.importKey('pkcs8', fromPem(fs.readFileSync(path.join(pkiDir, 'ca.key'), 'utf8')), ALG, false, ['sign']);
  const authorityKeyId = await x509.AuthorityKeyIdentifierExtension.create(caCert, false);
  return async (req) => {
    const { csr } = parseCertificateRequest(Buffer.from(req.request, 'base64').toString('latin1'));
    const start = now().getTime();
    const durationS = Math.min(req.expirationSeconds ?? DEFAULT_DURATION_S, DEFAULT_DURATION_S);
    const notAfter = Math.min(start + durationS * 1000, caCert.notAfter.getTime());
    const keyUsage = req.usages.reduce((flags, u) => flags | (KEY_USAGES[u] ?? 0), 0);
    const extUsages = req.usages.map((u) => EXT_KEY_USAGES[u]).filter((u): u is string => u !== undefined);
    const extensions: x509.Extension[] = [new x509.BasicConstraintsExtension(false, undefined, true), authorityKeyId];
    if (keyUsage) extensions.push(new x509.KeyUsagesExtension(keyUsage, true));
    if (extUsages.length) extensions.push(new x509.ExtendedKeyUsageExtension(extUsages, false));
    const san = csr.getExtension('2.5.29.17');
    if (san) extensions.push(san);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('hex').replace(/^[89a-f]/, '1'),
      subject: csr.subjectName,
      issuer: caCert.subjectName,
      notBefore: new Date(start - BACKDATE_MS),
      notAfter: new Date(notAfter),
      publicKey: csr.publicKey,
      signingKey: caKey,
      signingAlgorithm: ALG,
      extensions,
    });
    return Buffer.from(`${cert.toString('pem')}\n`).toString('base64');
  };
}
