/**
 * Verifies third-party OIDC tokens (GitHub Actions, GitLab, Kubernetes…) for token exchange: the
 * issuer's keys come from its discovery document (`/.well-known/openid-configuration` → `jwks_uri`),
 * cached per issuer and refetched by jose when a token names an unknown `kid`. Signature, `iss`,
 * `aud`, `exp`, `nbf` and `iat` are checked with a small clock skew; `alg: none` and symmetric
 * algorithms are refused. Issuers must be https unless listed in `allowHttpIssuers` (tests, labs).
 */
import { createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JWTPayload } from "jose";

export interface OidcVerifier {
  /** The verified claims; throws OidcRejection with a reason that never carries the token. */
  verify(jwt: string, expected: { issuer: string; audience: string }): Promise<JWTPayload>;
}

export interface OidcVerifierOptions {
  /** http:// issuers that are trusted anyway (exact URLs). Default none: https only. */
  readonly allowHttpIssuers?: readonly string[];
  /** Allowed clock skew in seconds; default 60. */
  readonly clockSkewSeconds?: number;
  /** Discovery and JWKS fetch time-out; default 5000 ms. */
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/** Why an OIDC token was refused; `message` is safe to return to the caller. */
export class OidcRejection extends Error {
  override readonly name = "OidcRejection";
}

const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"];
const DISCOVERY_TTL_MS = 10 * 60_000;

/** The unverified `iss` of a token (to pick candidate policies); undefined when unreadable. */
export function unverifiedIssuer(jwt: string): string | undefined {
  try {
    const iss = decodeJwt(jwt).iss;
    return typeof iss === "string" ? iss : undefined;
  } catch {
    return undefined;
  }
}

/** True when an issuer URL is acceptable: https, or http and explicitly allowed. */
export function issuerAllowed(issuer: string, allowHttpIssuers: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return false;
  }
  return url.protocol === "https:" || (url.protocol === "http:" && allowHttpIssuers.includes(issuer));
}

export function createOidcVerifier(options: OidcVerifierOptions = {}): OidcVerifier {
  const allowHttp = options.allowHttpIssuers ?? [];
  const skew = options.clockSkewSeconds ?? 60;
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? (() => new Date());
  const keySets = new Map<string, { jwks: ReturnType<typeof createRemoteJWKSet>; until: number }>();

  async function keysOf(issuer: string): Promise<ReturnType<typeof createRemoteJWKSet>> {
    const hit = keySets.get(issuer);
    if (hit !== undefined && hit.until > Date.now()) return hit.jwks;
    const discovery = `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`;
    let jwksUri: string;
    try {
      const res = await fetch(discovery, { signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
      if (!res.ok) throw new Error(`status ${res.status}`);
      const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown };
      if (doc.issuer !== issuer || typeof doc.jwks_uri !== "string") throw new Error("discovery document does not match the issuer");
      jwksUri = doc.jwks_uri;
    } catch {
      throw new OidcRejection(`cannot read the discovery document of issuer "${issuer}"`);
    }
    const jwksUrl = new URL(jwksUri);
    if (jwksUrl.protocol !== "https:" && !(jwksUrl.protocol === "http:" && allowHttp.includes(issuer))) {
      throw new OidcRejection(`issuer "${issuer}" publishes its keys over plain http`);
    }
    // An unknown kid refetches the keys (a rotation), at most once a second per issuer.
    const jwks = createRemoteJWKSet(jwksUrl, { timeoutDuration: timeoutMs, cooldownDuration: 1000, cacheMaxAge: DISCOVERY_TTL_MS });
    keySets.set(issuer, { jwks, until: Date.now() + DISCOVERY_TTL_MS });
    return jwks;
  }

  return {
    async verify(jwt, expected) {
      if (!issuerAllowed(expected.issuer, allowHttp)) throw new OidcRejection(`issuer "${expected.issuer}" is not https`);
      const jwks = await keysOf(expected.issuer);
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(jwt, jwks, {
          issuer: expected.issuer,
          audience: expected.audience,
          algorithms: ALGORITHMS,
          clockTolerance: skew,
          currentDate: now(),
          requiredClaims: ["exp", "iat", "sub"],
        }));
      } catch (e) {
        throw new OidcRejection(reasonOf(e));
      }
      // jose accepts any past iat; one from the future (beyond the skew) is refused here.
      if (typeof payload.iat === "number" && payload.iat > now().getTime() / 1000 + skew) throw new OidcRejection("token issued in the future (iat)");
      return payload;
    },
  };
}

function reasonOf(e: unknown): string {
  if (e instanceof errors.JWTExpired) return "token expired";
  if (e instanceof errors.JWTClaimValidationFailed) return `claim "${e.claim}" is invalid (${e.reason})`;
  if (e instanceof errors.JWSSignatureVerificationFailed) return "signature verification failed";
  if (e instanceof errors.JOSEAlgNotAllowed) return "signing algorithm not allowed";
  if (e instanceof errors.JWKSNoMatchingKey) return "no key of the issuer matches the token";
  if (e instanceof errors.JWKSTimeout) return "timed out fetching the issuer's keys";
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid) return "malformed token";
  return "token verification failed";
}
