// Service account issuer discovery (ServiceAccountIssuerDiscovery, GA in 1.21): the OpenID Connect discovery document at
// /.well-known/openid-configuration and the issuer's public keys at /openid/v1/jwks, so that relying parties (Vault's
// JWT auth, SPIFFE, cloud workload identity) verify service-account tokens without a TokenReview. As kube-apiserver:
// the issuer is --service-account-issuer, jwks_uri the keys' URL on the issuer's host (here the in-cluster name pods
// resolve: --service-account-jwks-uri's value when a cluster sets it so), both cacheable for an hour; who may read them
// is RBAC's (system:service-account-issuer-discovery, bound to every service account).
import type { JWK } from 'jose';
import { ISSUER } from './issuer';

export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';
export const JWKS_URI = `${ISSUER}${JWKS_PATH}`;
/** routes/openidmetadata.go: both answers may be cached publicly for an hour. */
export const DISCOVERY_CACHE_CONTROL = 'public, max-age=3600';
export const JWKS_CONTENT_TYPE = 'application/jwk-set+json';

/** serviceaccount.openIDMetadata, its fields in Go's order. */
export interface OpenIDMetadata {
  issuer: string;
  jwks_uri: string;
  response_types_supported: string[];
  subject_types_supported: string[];
  id_token_signing_alg_values_supported: string[];
}

export function openIDMetadata(keys: readonly JWK[]): OpenIDMetadata {
  return {
    issuer: ISSUER,
    jwks_uri: JWKS_URI,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...new Set(keys.map((k) => k.alg ?? ''))].filter(Boolean).sort(),
  };
}
