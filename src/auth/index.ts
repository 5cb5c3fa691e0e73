export type { Principal } from "./principal.js";
export { mintToken, hashTokenSecret, parseTokenId, secretMatchesHash } from "./token-secret.js";
export type { MintedToken } from "./token-secret.js";
export { createAuthenticator } from "./authenticator.js";
export type { Authenticator, AuthenticatorOptions } from "./authenticator.js";
export { bootstrapServer, DEFAULT_ORG, BOOTSTRAP_ADMIN } from "./bootstrap.js";
export type { BootstrapResult } from "./bootstrap.js";

// The permission model (issue 6).
export { PERMISSIONS, permits, higher, lower, parsePermission, parsePermissionLevel } from "./permission.js";
export type { Permission, PermissionLevel } from "./permission.js";
export { formatResource, resourceKind } from "./resource.js";
export type { Resource } from "./resource.js";
export { UNSCOPED, isScoped, scopeProblem, toTokenScope, scopeReaches, scopeWithin, intersectScope } from "./token-scope.js";
export type { TokenScope } from "./token-scope.js";
export { effectivePermission, isServerAdmin } from "./effective-permission.js";
export type { AccessFacts, GrantFact } from "./effective-permission.js";
export { createAuthorizer } from "./authorizer.js";
export type { AccessFactsSource, Authorizer, AuthorizerOptions } from "./authorizer.js";
export { createStoreAccessFacts } from "./store-access-facts.js";
export { globMatches } from "./glob.js";
export { createOidcVerifier, issuerAllowed, OidcRejection, unverifiedIssuer } from "./oidc-verifier.js";
export type { OidcVerifier, OidcVerifierOptions } from "./oidc-verifier.js";
export { exchangedLifetimeMs, trustRefusal } from "./trust-policy.js";
export type { TrustConditions } from "./trust-policy.js";
