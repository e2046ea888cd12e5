// CertificateSigningRequest validation with Kubernetes' messages: conditions, and what each write path may change.
import { describe, expect, it } from 'vitest';
import { validateObject, validateStatusUpdate, validateUpdate } from '../../../main/api/validation';
import type { Cause } from '../../../main/api/validation/cause';
import type { KObject } from '../../../main/api/types';

const pick = (causes: Cause[]): Array<[string, string]> => causes.map((x) => [x.field, x.message]);
const PEM = btoa('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');

function csr(status: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'c', resourceVersion: '1' },
    spec: { request: 'eA==', signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] }, status,
  };
}
const approved = { type: 'Approved', status: 'True', reason: 'R' };
const denied = { type: 'Denied', status: 'True', reason: 'R' };

describe('CertificateSigningRequest', () => {
  it('conditions: Approved and Denied exclude each other, true-only types, duplicates', () => {
    expect(pick(validateObject('CertificateSigningRequest', csr({ conditions: [approved, denied] })))).toEqual([
      ['status.conditions', 'Invalid value: "Denied": Approved and Denied conditions are mutually exclusive'],
    ]);
    expect(pick(validateObject('CertificateSigningRequest', csr({ conditions: [{ type: 'Failed', status: 'False' }, { type: 'Failed', status: 'True' }] })))).toEqual([
      ['status.conditions[0].status', 'Unsupported value: "False": supported values: "True"'],
      ['status.conditions[1].type', 'Duplicate value: "Failed"'],
    ]);
    expect(pick(validateObject('CertificateSigningRequest', csr({ certificate: btoa('not pem') })))).toEqual([
      ['status.certificate', 'Invalid value: "<certificate data>": must contain at least one CERTIFICATE PEM block'],
    ]);
  });

  it('the approval subresource may add Approved; status and the main resource may not; only status sets the certificate, once', () => {
    const old = csr();
    expect(validateUpdate('CertificateSigningRequest', csr({ conditions: [approved] }), old, 'approval')).toEqual([]);
    expect(pick(validateStatusUpdate('CertificateSigningRequest', csr({ conditions: [approved] }), old))).toEqual([
      ['status.conditions', 'Forbidden: updates may not add a condition of type "Approved"'],
    ]);
    expect(pick(validateUpdate('CertificateSigningRequest', csr({ certificate: PEM }), old))).toEqual([
      ['status.certificate', 'Forbidden: updates may not set certificate content'],
    ]);
    expect(validateStatusUpdate('CertificateSigningRequest', csr({ certificate: PEM }), old)).toEqual([]);
    const issued = csr({ conditions: [approved], certificate: PEM });
    expect(pick(validateStatusUpdate('CertificateSigningRequest', csr({ conditions: [approved], certificate: btoa(`${atob(PEM)}${atob(PEM)}`) }), issued))).toEqual([
      ['status.certificate', 'Forbidden: updates may not modify existing certificate content'],
    ]);
    expect(pick(validateUpdate('CertificateSigningRequest', csr(), csr({ conditions: [denied] }), 'approval'))).toEqual([
      ['status.conditions', 'Forbidden: updates may not remove a condition of type "Denied"'],
    ]);
  });
});
