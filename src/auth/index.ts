export type { Principal } from "./principal.js";
export { mintToken, hashTokenSecret, parseTokenId, secretMatchesHash } from "./token-secret.js";
export type { MintedToken } from "./token-secret.js";
export { createAuthenticator } from "./authenticator.js";
export type { Authenticator, AuthenticatorOptions } from "./authenticator.js";
export { bootstrapServer, DEFAULT_ORG, BOOTSTRAP_ADMIN } from "./bootstrap.js";
export type { BootstrapResult } from "./bootstrap.js";
