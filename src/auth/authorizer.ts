import type { ChangeFeed } from "../store/index.js";
import type { AccessFacts } from "./effective-permission.js";
import { effectivePermission, isServerAdmin } from "./effective-permission.js";
import type { PermissionLevel } from "./permission.js";
import type { Principal } from "./principal.js";
import type { Resource } from "./resource.js";

/** Where the facts of one caller come from (the store); the authorizer caches them briefly. */
export interface AccessFactsSource {
  load(principal: Principal): Promise<AccessFacts>;
}

/** Answers "what may this caller do on that resource". */
export interface Authorizer {
  /** The caller's effective permission on a resource (see effectivePermission). */
  permissionOn(principal: Principal, resource: Resource): Promise<PermissionLevel>;
  /**
   * Drops every cached fact: called after grants, teams, memberships, roles or org settings change
   * in this process. Other processes' changes arrive through `changes` (or after the cache lifetime).
   */
  invalidate(): void;
}

export interface AuthorizerOptions {
  readonly source: AccessFactsSource;
  /** How long one caller's facts are reused; default 2000 ms (a backstop when `changes` is given). */
  readonly cacheTtlMs?: number;
  /**
   * Cross-replica invalidation (src/store/change-feed.ts): every cached fact is dropped when access
   * changed anywhere. The feed is synced by the authenticator at the start of each call, before any
   * permission check of that call, so a grant removed through another replica is seen by the next call.
   */
  readonly changes?: ChangeFeed;
}

const NO_FACTS: AccessFacts = { defaultPermission: "none", grants: [] };

/** Creates the authorizer over a facts source, with a per-token cache of at most `cacheTtlMs`. */
export function createAuthorizer(options: AuthorizerOptions): Authorizer {
  const ttl = options.cacheTtlMs ?? 2000;
  const cache = new Map<string, { facts: Promise<AccessFacts>; until: number }>();
  // A load in flight is in the map from its start, so a flush also drops what it will return.
  options.changes?.subscribe("access", () => cache.clear());
  function factsOf(principal: Principal): Promise<AccessFacts> {
    // Admins need no grants; callers from other organizations have none there.
    if (principal.role === "admin" || isServerAdmin(principal)) return Promise.resolve(NO_FACTS);
    const now = Date.now();
    const hit = cache.get(principal.tokenId);
    if (hit !== undefined && hit.until > now) return hit.facts;
    const facts = options.source.load(principal);
    if (cache.size > 10_000) cache.clear();
    cache.set(principal.tokenId, { facts, until: now + ttl });
    facts.catch(() => cache.delete(principal.tokenId));
    return facts;
  }
  return {
    async permissionOn(principal, resource) {
      const facts = principal.org === resource.org ? await factsOf(principal) : NO_FACTS;
      return effectivePermission(principal, facts, resource);
    },
    invalidate() {
      cache.clear();
    },
  };
}
