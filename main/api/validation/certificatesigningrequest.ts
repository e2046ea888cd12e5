// certificates.k8s.io/v1 CertificateSigningRequest validation (pkg/apis/certificates/validation): usages,
// signerName, expirationSeconds, conditions, and what each write path may change (the approval subresource the
// Approved/Denied conditions, the status subresource the certificate). The request's PEM and signature are
// checked by the kind's strategy (registry/strategies/csr.ts), which can parse it.
import type { KObject } from '../types';
import type { Cause } from './cause';
import { duplicate, forbidden, invalid, notSupported, required, tooLong } from './cause';
import { isDNS1123Label, isDNS1123Subdomain } from './names';
import { list, num, obj, semanticEqual, str } from './read';

const VALID_USAGES = [
  'any', 'cert sign', 'client auth', 'code signing', 'content commitment', 'crl sign', 'data encipherment', 'decipher only',
  'digital signature', 'email protection', 'encipher only', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'key agreement',
  'key encipherment', 'microsoft sgc', 'netscape sgc', 'ocsp signing', 's/mime', 'server auth', 'signing', 'timestamping',
];
const TRUE_ONLY = new Set(['Approved', 'Denied', 'Failed']);
const DOMAIN_MAX = 253;
const SIGNER_NAME_MAX = DOMAIN_MAX + (253 + 63 + 1) + 1;

interface Options {
  allowSettingApprovalConditions?: boolean;
  allowSettingCertificate?: boolean;
}

/** ValidateSignerName: `example.com/signer-name`. */
export function validateSignerName(path: string, name: string): Cause[] {
  if (!name) return [required(path)];
  const segments = name.split('/');
  if (segments.length !== 2) return [invalid(path, name, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  const causes: Cause[] = [];
  const [domain, rest] = segments;
  if (domain.length > DOMAIN_MAX) causes.push(tooLong(path, DOMAIN_MAX));
  const labels = domain.split('.');
  for (const l of labels) {
    const errs = isDNS1123Label(l);
    if (errs.length) {
      for (const e of errs) causes.push(invalid(path, domain, `validating label "${l}": ${e}`));
      break;
    }
  }
  if (labels.length < 2) causes.push(invalid(path, domain, 'should be a domain with at least two segments separated by dots'));
  for (const l of rest.split('.')) {
    const errs = isDNS1123Subdomain(l);
    if (errs.length) {
      for (const e of errs) causes.push(invalid(path, rest, `validating label "${l}": ${e}`));
      break;
    }
  }
  if (name.length > SIGNER_NAME_MAX) causes.push(tooLong(path, SIGNER_NAME_MAX));
  return causes;
}

function validateConditions(conditions: unknown[], oldConditions: unknown[] | undefined): Cause[] {
  const causes: Cause[] = [];
  const types = (cs: unknown[]) => cs.map((c) => str(obj(c).type));
  const oldTypes = oldConditions ? types(oldConditions) : [];
  const allowBoth = oldTypes.includes('Approved') && oldTypes.includes('Denied');
  const allowDuplicates = new Set(oldTypes).size < oldTypes.length;
  const seen = new Set<string>();
  let approved = false;
  let denied = false;
  conditions.forEach((c, i) => {
    const type = str(obj(c).type);
    const status = str(obj(c).status);
    const at = `status.conditions[${i}]`;
    if (!type && !oldTypes.includes('')) causes.push(required(`${at}.type`));
    const allowed = TRUE_ONLY.has(type) ? ['True'] : ['False', 'True', 'Unknown'];
    if (!status) causes.push(required(`${at}.status`));
    else if (!allowed.includes(status)) causes.push(notSupported(`${at}.status`, status, allowed));
    if (!allowBoth && ((type === 'Approved' && denied) || (type === 'Denied' && approved))) {
      causes.push(invalid('status.conditions', type, 'Approved and Denied conditions are mutually exclusive'));
    }
    if (type === 'Approved') approved = true;
    if (type === 'Denied') denied = true;
    if (!allowDuplicates && seen.has(type)) causes.push(duplicate(`${at}.type`, type));
    seen.add(type);
  });
  return causes;
}

/** A PEM bundle of CERTIFICATE blocks (validateCertificate, without parsing the DER). */
function certificateError(b64: string): string | undefined {
  if (!b64) return undefined;
  let pem: string;
  try {
    pem = atob(b64);
  } catch {
    return 'must contain at least one CERTIFICATE PEM block';
  }
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g)];
  if (!blocks.length) return 'must contain at least one CERTIFICATE PEM block';
  for (const b of blocks) {
    if (b[1] !== 'CERTIFICATE') return `only CERTIFICATE PEM blocks are allowed, found "${b[1]}"`;
    if (b[2].includes(':')) return 'no PEM block headers are permitted';
  }
  return undefined;
}

function validate(csr: KObject, old: KObject | undefined): Cause[] {
  const spec = obj(csr.spec);
  const status = obj(csr.status);
  const causes: Cause[] = [];
  const usages = list(spec.usages).map(str);
  const oldUsages = old ? list(obj(old.spec).usages).map(str) : [];
  if (!usages.length) causes.push(required('spec.usages'));
  if (!oldUsages.some((u) => !VALID_USAGES.includes(u))) {
    usages.forEach((u, i) => { if (!VALID_USAGES.includes(u)) causes.push(notSupported(`spec.usages[${i}]`, u, VALID_USAGES)); });
  }
  if (new Set(oldUsages).size === oldUsages.length) {
    usages.forEach((u, i) => { if (usages.indexOf(u) !== i) causes.push(duplicate(`spec.usages[${i}]`, u)); });
  }
  const signer = str(spec.signerName);
  const oldSigner = old ? str(obj(old.spec).signerName) : '';
  if (signer === 'kubernetes.io/legacy-unknown' && oldSigner !== signer) {
    causes.push(invalid('spec.signerName', signer, 'the legacy signerName is not allowed via this API version'));
  } else {
    causes.push(...validateSignerName('spec.signerName', signer));
  }
  const expiration = num(spec.expirationSeconds);
  if (expiration !== undefined && expiration < 600) {
    causes.push(invalid('spec.expirationSeconds', expiration, 'may not specify a duration less than 600 seconds (10 minutes)'));
  }
  causes.push(...validateConditions(list(status.conditions), old ? list(obj(old.status).conditions) : undefined));
  const cert = str(status.certificate);
  const oldCert = old ? str(obj(old.status).certificate) : undefined;
  const certError = oldCert === cert ? undefined : certificateError(cert);
  if (certError) causes.push(invalid('status.certificate', '<certificate data>', certError));
  return causes;
}

export function validateCertificateSigningRequest(csr: KObject): Cause[] {
  return validate(csr, undefined);
}

function conditionsOf(csr: KObject, type: string): unknown[] {
  return list(obj(csr.status).conditions).filter((c) => str(obj(c).type) === type);
}

/** What an update may not change (validateObject, run beside it, checks the object itself). */
function validateUpdateWith(csr: KObject, old: KObject, opts: Options): Cause[] {
  const causes: Cause[] = [];
  for (const t of ['Approved', 'Denied', 'Failed']) {
    if (conditionsOf(csr, t).length < conditionsOf(old, t).length) causes.push(forbidden('status.conditions', `updates may not remove a condition of type "${t}"`));
  }
  if (!opts.allowSettingApprovalConditions) {
    for (const t of ['Approved', 'Denied']) {
      const [n, o] = [conditionsOf(csr, t), conditionsOf(old, t)];
      if (n.length > o.length) causes.push(forbidden('status.conditions', `updates may not add a condition of type "${t}"`));
      else if (n.length === o.length && !semanticEqual(n, o)) causes.push(forbidden('status.conditions', `updates may not modify a condition of type "${t}"`));
    }
  }
  const cert = str(obj(csr.status).certificate);
  const oldCert = str(obj(old.status).certificate);
  if (cert !== oldCert) {
    if (!opts.allowSettingCertificate) causes.push(forbidden('status.certificate', 'updates may not set certificate content'));
    else if (oldCert) causes.push(forbidden('status.certificate', 'updates may not modify existing certificate content'));
  }
  return causes;
}

/** A write of the main resource (its strategy keeps spec and status as stored). */
export function validateCertificateSigningRequestUpdate(csr: KObject, old: KObject): Cause[] {
  return validateUpdateWith(csr, old, {});
}

/** The status subresource (signers): may set the certificate and conditions other than Approved/Denied. */
export function validateCertificateSigningRequestStatusUpdate(csr: KObject, old: KObject): Cause[] {
  return [...validate(csr, old), ...validateUpdateWith(csr, old, { allowSettingCertificate: true })];
}

/** The approval subresource (kubectl certificate approve|deny): may add Approved or Denied. */
export function validateCertificateSigningRequestApprovalUpdate(csr: KObject, old: KObject): Cause[] {
  return validateUpdateWith(csr, old, { allowSettingApprovalConditions: true });
}
