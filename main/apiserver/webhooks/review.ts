// The AdmissionReview v1 a webhook gets (admission/plugin/webhook/request: CreateV1AdmissionReview) and the checks
// its answer must pass (VerifyAdmissionResponse): the same apiVersion and kind, a response with the request's uid,
// a JSONPatch patch only.
import { randomUUID } from 'node:crypto';
import type { KObject } from '../../api/types';
import type { AdmissionAttributes } from './types';

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code?: number; reason?: string; message?: string; status?: string; details?: Record<string, unknown> };
  patch?: string;
  patchType?: string;
  warnings?: string[];
}

export interface AdmissionReviewRequest {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request: Record<string, unknown>;
}

function withoutEmpty(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));
}

export function admissionReview(a: AdmissionAttributes): AdmissionReviewRequest {
  const resource = { group: a.resource.group, version: a.resource.version, resource: a.resource.plural };
  const u = a.user;
  const userInfo = withoutEmpty({ username: u.username, uid: u.uid, groups: u.groups.length ? [...u.groups] : undefined, extra: u.extra });
  const request = withoutEmpty({
    uid: randomUUID(), kind: a.kind, resource, subResource: a.subresource, requestKind: a.kind, requestResource: resource,
    requestSubResource: a.subresource, name: a.name, namespace: a.namespace, operation: a.operation, userInfo,
    object: a.object ?? null, oldObject: a.oldObject ?? null, dryRun: a.dryRun, options: a.options ?? null,
  });
  return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request };
}

/** The response of a webhook's answer (VerifyAdmissionResponse), or an Error worded as Kubernetes words it. */
export function verifiedResponse(review: AdmissionReviewRequest, body: unknown, mutating: boolean): AdmissionResponse {
  const r = (body ?? {}) as Partial<KObject> & { response?: AdmissionResponse };
  const res = r.response;
  if (!res) throw new Error('webhook response was absent');
  const uid = String(review.request.uid);
  if (res.uid !== uid) throw new Error(`expected response.uid="${uid}", got "${res.uid ?? ''}"`);
  if (r.apiVersion !== 'admission.k8s.io/v1' || r.kind !== 'AdmissionReview') {
    throw new Error(`expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got ${r.apiVersion ?? ''}, Kind=${r.kind ?? ''}`);
  }
  const hasPatch = typeof res.patch === 'string' && res.patch !== '';
  const hasType = res.patchType !== undefined && res.patchType !== null;
  if (mutating) {
    if (hasPatch && !hasType) throw new Error('webhook returned response.patch but not response.patchType');
    if (!hasPatch && hasType) throw new Error('webhook returned response.patchType but not response.patch');
    if (hasType && res.patchType !== 'JSONPatch') throw new Error(`webhook returned invalid response.patchType of "${res.patchType ?? ''}"`);
  } else {
    if (hasPatch) throw new Error('validating webhook may not return response.patch');
    if (hasType) throw new Error('validating webhook may not return response.patchType');
  }
  return { ...res, allowed: res.allowed === true };
}
