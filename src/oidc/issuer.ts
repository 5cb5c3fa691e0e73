/**
 * The OpenID Connect issuer: signs short-lived tokens about an open with the active key, and
 * describes itself (discovery document, JWKS) so relying parties (AWS IAM, Vault, …) can verify them.
 */
import { randomUUID } from "node:crypto";
import { SignJWT, type JWK } from "jose";
import { environmentClaims, SUBJECT_ATTRIBUTES, type ClaimOptions, type OidcSubjectFacts } from "./claims.js";
import { SIGNING_ALGORITHM } from "./signing-key.js";
import type { SigningKeys } from "./signing-keys.js";

/** Where discovery points relying parties for the keys. */
export const JWKS_PATH = "/.well-known/jwks.json";
export const DISCOVERY_PATH = "/.well-known/openid-configuration";

/** The longest token the issuer signs, and the default for exchanges. */
export const MAX_TOKEN_TTL_SECONDS = 3600;
export const DEFAULT_TOKEN_TTL_SECONDS = 300;

export interface IssueRequest extends ClaimOptions {
  readonly facts: OidcSubjectFacts;
  /** Lifetime in seconds, 1–3600. Default 300. */
  readonly ttlSeconds?: number;
}

export interface OidcIssuer {
  /** The `iss` claim: the server's public URL without a trailing slash. */
  issuerUrl(): string;
  /** Signs a token for one exchange. */
  issue(request: IssueRequest): Promise<string>;
  /** `/.well-known/openid-configuration`. */
  discovery(): Record<string, unknown>;
  /** `{keys: […]}` for the JWKS endpoint. */
  jwks(): Promise<{ keys: readonly JWK[] }>;
}

export interface OidcIssuerOptions {
  readonly keys: SigningKeys;
  /** The public URL; a function because a server bound to port 0 learns it after listening. */
  readonly publicUrl: () => string;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

export function createOidcIssuer(options: OidcIssuerOptions): OidcIssuer {
  const now = options.now ?? Date.now;
  const issuerUrl = (): string => options.publicUrl().replace(/\/+$/, "");
  return {
    issuerUrl,
    async issue(request) {
      const ttl = request.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) throw new RangeError(`token lifetime must be 1–${MAX_TOKEN_TTL_SECONDS} seconds`);
      const key = await options.keys.active();
      const { aud, sub, ...custom } = environmentClaims(request.facts, request);
      const iat = Math.floor(now() / 1000);
      return new SignJWT(custom)
        .setProtectedHeader({ alg: key.algorithm, kid: key.kid, typ: "JWT" })
        .setIssuer(issuerUrl())
        .setAudience(aud)
        .setSubject(sub)
        .setIssuedAt(iat)
        .setNotBefore(iat)
        .setExpirationTime(iat + ttl)
        .setJti(randomUUID())
        .sign(key.privateKey);
    },
    discovery() {
      const iss = issuerUrl();
      return {
        issuer: iss,
        jwks_uri: `${iss}${JWKS_PATH}`,
        response_types_supported: ["id_token"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: [SIGNING_ALGORITHM],
        scopes_supported: ["openid"],
        claims_supported: ["iss", "aud", "sub", "iat", "nbf", "exp", "jti", "current_env", "root_env", "trigger_user", "org", "env", ...SUBJECT_ATTRIBUTES],
      };
    },
    async jwks() {
      return { keys: await options.keys.publicKeys() };
    },
  };
}
