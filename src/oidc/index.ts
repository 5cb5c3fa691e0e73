/**
 * The OIDC issuer (issue 5): signing keys in the database (sealed, shared by replicas, rotated with a
 * grace period), the claims of a token about an open, discovery and JWKS documents.
 */
export { createOidcIssuer, DEFAULT_TOKEN_TTL_SECONDS, DISCOVERY_PATH, JWKS_PATH, MAX_TOKEN_TTL_SECONDS } from "./issuer.js";
export type { IssueRequest, OidcIssuer, OidcIssuerOptions } from "./issuer.js";
export { environmentClaims, SUBJECT_ATTRIBUTES, tokenTypeOf } from "./claims.js";
export type { ClaimOptions, EnvironmentClaims, OidcSubjectFacts, SubjectAttribute } from "./claims.js";
export { createSigningKeys, rotateSigningKey, DEFAULT_GRACE_MS, DEFAULT_REFRESH_MS } from "./signing-keys.js";
export type { SigningKeys, SigningKeysOptions } from "./signing-keys.js";
export { OIDC_KEY_OWNER, SIGNING_ALGORITHM } from "./signing-key.js";
export type { KeySealer } from "./signing-key.js";
export { withOidcRoutes } from "./oidc-routes.js";
export type { RouteRequest } from "./oidc-routes.js";
