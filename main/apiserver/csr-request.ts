// A CertificateSigningRequest's spec.request: a PEM PKCS#10 request, parsed and its signature checked
// synchronously (the registry validates before it writes), as Kubernetes' certificates.ParseCSR and
// CheckSignature do. The signer (csr-signer.ts) reads the subject and public key from the same parse.
import 'reflect-metadata'; // @peculiar/x509 (through tsyringe) needs the Reflect metadata polyfill
import { createPublicKey, verify } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface ParsedRequest {
  csr: x509.Pkcs10CertificateRequest;
  /** The DER of the SubjectPublicKeyInfo. */
  spki: Buffer;
}

/** The first element of a DER SEQUENCE (the signed CertificationRequestInfo). */
function firstElement(der: Buffer): Buffer {
  const header = (at: number): { start: number; end: number } => {
    if (der[at] !== 0x30) throw new Error('asn1: structure error: not a SEQUENCE');
    let len = der[at + 1];
    let start = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      if (n < 1 || n > 4) throw new Error('asn1: structure error: bad length');
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + der[at + 2 + i];
      start += n;
    }
    if (start + len > der.length) throw new Error('asn1: syntax error: data truncated');
    return { start, end: start + len };
  };
  const outer = header(0);
  const inner = header(outer.start);
  return der.subarray(outer.start, inner.end);
}

const HASHES: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** Parses and verifies `pem`; throws with the reason Kubernetes would give (or as close as the parser allows). */
export function parseCertificateRequest(pem: string): ParsedRequest {
  const match = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(pem);
  if (!match || (match[1] !== 'CERTIFICATE REQUEST' && match[1] !== 'NEW CERTIFICATE REQUEST')) {
    throw new Error('PEM block type must be CERTIFICATE REQUEST');
  }
  const der = Buffer.from(match[2].replace(/\s+/g, ''), 'base64');
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(der);
  } catch (e) {
    throw new Error(`asn1: structure error: ${(e as Error).message}`);
  }
  const spki = Buffer.from(csr.publicKey.rawData);
  const alg = csr.signatureAlgorithm as { name: string; hash?: { name: string } };
  const hash = alg.name === 'Ed25519' ? null : HASHES[alg.hash?.name ?? ''];
  if (hash === undefined) throw new Error('x509: cannot verify signature: algorithm unimplemented');
  const ok = verify(hash, firstElement(der), createPublicKey({ key: spki, format: 'der', type: 'spki' }), Buffer.from(csr.signature));
  if (!ok) throw new Error(alg.name === 'ECDSA' ? 'x509: ECDSA verification failure' : alg.name === 'Ed25519' ? 'x509: Ed25519 verification failure' : 'crypto/rsa: verification error');
  return { csr, spki };
}
