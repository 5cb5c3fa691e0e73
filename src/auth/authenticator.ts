import { Code, ConnectError } from "@connectrpc/connect";
import { TOKEN_TOUCH_INTERVAL_MS, type ChangeFeed, type IdentityRepository, type IdentityRecord, type TokenRecord } from "../store/index.js";
import type { Principal } from "./principal.js";
import { parseTokenId, secretMatchesHash } from "./token-secret.js";
import { toTokenScope, UNSCOPED, type TokenScope } from "./token-scope.js";

function scopeOf(token: TokenRecord): TokenScope {
  return token.scopePermission === null && token.scopeResources.length === 0 ? UNSCOPED : toTokenScope(token.scopePermission ?? "", token.scopeResources);
}

/** Turns an `authorization` header into a Principal, or refuses with Unauthenticated. */
export interface Authenticator {
  authenticate(authorization: string | null): Promise<Principal>;
  /** Drops cached lookups of a token (after revocation). */
  forget(tokenId: string): void;
  /** Drops every cached lookup (after an identity's role changes or it is removed). */
  forgetAll(): void;
}

export interface AuthenticatorOptions {
  readonly identities: IdentityRepository;
  /**
   * How long a token lookup is reused; default 2000 ms. With `changes`, a backstop only: a revocation
   * or role change committed anywhere is seen by the next call.
   */
  readonly cacheTtlMs?: number;
  /**
   * Cross-replica invalidation (src/store/change-feed.ts): synced at the start of every call, and
   * every cached lookup dropped when access changed. Without it, changes made by other processes
   * are seen after `cacheTtlMs`.
   */
  readonly changes?: ChangeFeed;
  readonly now?: () => Date;
}

interface CacheEntry {
  readonly token: TokenRecord;
  readonly identity: IdentityRecord;
  readonly until: number;
}

const unauthenticated = (message: string) => new ConnectError(message, Code.Unauthenticated);

/** Creates the bearer-token authenticator. Messages never echo the presented token. */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const ttl = options.cacheTtlMs ?? 2000;
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, CacheEntry>();
  // Last use is recorded at most once a minute per token (TOKEN_TOUCH_INTERVAL_MS): remembering when
  // this process last recorded it saves a write statement on every call.
  const touched = new Map<string, number>();
  // Bumped on every flush: a lookup that started before one may have read what changed; not cached.
  let epoch = 0;
  options.changes?.subscribe("access", () => {
    epoch += 1;
    cache.clear();
  });

  function cached(id: string): CacheEntry | undefined {
    const hit = cache.get(id);
    return hit !== undefined && hit.until > Date.now() ? hit : undefined;
  }

  async function load(id: string): Promise<CacheEntry | undefined> {
    const at = Date.now();
    const started = epoch;
    const found = await options.identities.findToken(id);
    if (found === undefined) {
      cache.delete(id);
      return undefined;
    }
    const entry = { ...found, until: at + ttl };
    if (started === epoch) {
      if (cache.size > 10_000) cache.clear();
      cache.set(id, entry);
    }
    return entry;
  }

  async function lookup(id: string): Promise<CacheEntry | undefined> {
    const synced = options.changes?.sync();
    if (synced === undefined) return cached(id) ?? load(id);
    // A miss reads the token alongside the version check (both start after this call began, so both
    // see every earlier commit); a hit is trusted only once the check has flushed what changed.
    if (cached(id) === undefined) {
      const [, entry] = await Promise.all([synced, load(id)]);
      return entry;
    }
    await synced;
    return cached(id) ?? load(id);
  }

  return {
    async authenticate(authorization) {
      if (authorization === null || authorization === "") {
        throw unauthenticated("missing authorization header: send `authorization: Bearer <token>`");
      }
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (match === null) {
        throw unauthenticated("malformed authorization header: expected `Bearer <token>`");
      }
      const secret = match[1] as string;
      const id = parseTokenId(secret);
      const entry = id === undefined ? undefined : await lookup(id);
      if (entry === undefined || !secretMatchesHash(secret, entry.token.secretHash)) {
        throw unauthenticated("invalid token");
      }
      const at = now();
      if (entry.token.revokedAt !== null) throw unauthenticated("token revoked");
      if (entry.token.expiresAt !== null && entry.token.expiresAt.getTime() <= at.getTime()) {
        throw unauthenticated("token expired");
      }
      const last = touched.get(entry.token.id);
      if (last === undefined || at.getTime() - last >= TOKEN_TOUCH_INTERVAL_MS) {
        if (touched.size > 10_000) touched.clear();
        touched.set(entry.token.id, at.getTime());
        void options.identities.touchToken(entry.token.id, at).catch(() => undefined);
      }
      return {
        identityId: entry.identity.id,
        login: entry.identity.login,
        org: entry.identity.org,
        kind: entry.identity.kind,
        role: entry.identity.role,
        tokenId: entry.token.id,
        scope: scopeOf(entry.token),
        tokenExpiresAt: entry.token.expiresAt,
      };
    },
    forget(tokenId) {
      cache.delete(tokenId);
    },
    forgetAll() {
      cache.clear();
    },
  };
}
