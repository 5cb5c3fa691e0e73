import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import type { ChangeFeed, ChangeListener, IdentityRecord, IdentityRepository, TokenRecord } from "../store/index.js";
import { createAuthenticator } from "./authenticator.js";
import { mintToken } from "./token-secret.js";

const identity: IdentityRecord = { id: "i1", org: "acme", login: "ana", kind: "user", role: "admin", createdAt: new Date(0) };

function fakeIdentities(tokens: TokenRecord[]): IdentityRepository & { lookups: number; touches: number } {
  const repo = {
    lookups: 0,
    touches: 0,
    async findToken(id: string) {
      repo.lookups++;
      const token = tokens.find((t) => t.id === id);
      return token === undefined ? undefined : { token, identity };
    },
    async touchToken() {
      repo.touches++;
    },
  };
  return repo as unknown as IdentityRepository & { lookups: number; touches: number };
}

function token(overrides: Partial<TokenRecord> = {}): { secret: string; record: TokenRecord } {
  const minted = mintToken();
  return {
    secret: minted.secret,
    record: { id: minted.id, identityId: "i1", description: "", secretHash: minted.secretHash, createdAt: new Date(0), expiresAt: null, revokedAt: null, lastUsedAt: null, scopePermission: null, scopeResources: [], ...overrides },
  };
}

async function refusal(p: Promise<unknown>): Promise<[Code, string]> {
  try {
    await p;
  } catch (e) {
    const ce = ConnectError.from(e);
    return [ce.code, ce.rawMessage];
  }
  throw new Error("expected a refusal");
}

describe("createAuthenticator()", () => {
  const now = new Date("2026-01-01T00:00:00Z");

  it("returns the principal of a valid bearer token", async () => {
    const t = token();
    const auth = createAuthenticator({ identities: fakeIdentities([t.record]), now: () => now });
    expect(await auth.authenticate(`Bearer ${t.secret}`)).toEqual({ identityId: "i1", login: "ana", org: "acme", kind: "user", role: "admin", tokenId: t.record.id, scope: { resources: [] }, tokenExpiresAt: null });
    expect(await auth.authenticate(`bearer   ${t.secret} `)).toMatchObject({ login: "ana" });
  });

  it.each([
    [null, "missing authorization header: send `authorization: Bearer <token>`"],
    ["", "missing authorization header: send `authorization: Bearer <token>`"],
    ["Basic abc", "malformed authorization header: expected `Bearer <token>`"],
    ["Bearer not-a-token", "invalid token"],
    [`Bearer oesc_0123456789abcdef_${"a".repeat(43)}`, "invalid token"],
  ])("refuses %j with Unauthenticated: %s", async (header, message) => {
    const auth = createAuthenticator({ identities: fakeIdentities([]), now: () => now });
    expect(await refusal(auth.authenticate(header))).toEqual([Code.Unauthenticated, message]);
  });

  it("refuses a known id with the wrong secret, and never echoes the secret", async () => {
    const t = token();
    const forged = `${t.secret.slice(0, 22)}${"B".repeat(43)}`;
    const auth = createAuthenticator({ identities: fakeIdentities([t.record]), now: () => now });
    const [code, message] = await refusal(auth.authenticate(`Bearer ${forged}`));
    expect([code, message]).toEqual([Code.Unauthenticated, "invalid token"]);
  });

  it("refuses revoked and expired tokens", async () => {
    const revoked = token({ revokedAt: new Date(0) });
    const expired = token({ expiresAt: new Date(now.getTime() - 1) });
    const auth = createAuthenticator({ identities: fakeIdentities([revoked.record, expired.record]), now: () => now });
    expect(await refusal(auth.authenticate(`Bearer ${revoked.secret}`))).toEqual([Code.Unauthenticated, "token revoked"]);
    expect(await refusal(auth.authenticate(`Bearer ${expired.secret}`))).toEqual([Code.Unauthenticated, "token expired"]);
  });

  it("records a token's use at most once a minute", async () => {
    const t = token();
    const repo = fakeIdentities([t.record]);
    let clock = now.getTime();
    const auth = createAuthenticator({ identities: repo, now: () => new Date(clock), cacheTtlMs: 0 });
    await auth.authenticate(`Bearer ${t.secret}`);
    clock += 59_000;
    await auth.authenticate(`Bearer ${t.secret}`);
    expect(repo.touches).toBe(1);
    clock += 1_000;
    await auth.authenticate(`Bearer ${t.secret}`);
    expect(repo.touches).toBe(2);
  });

  it("caches lookups and forgets a token on request", async () => {
    const t = token();
    const repo = fakeIdentities([t.record]);
    const auth = createAuthenticator({ identities: repo, now: () => now, cacheTtlMs: 60_000 });
    await auth.authenticate(`Bearer ${t.secret}`);
    await auth.authenticate(`Bearer ${t.secret}`);
    expect(repo.lookups).toBe(1);
    auth.forget(t.record.id);
    await auth.authenticate(`Bearer ${t.secret}`);
    expect(repo.lookups).toBe(2);
  });

  it("with a change feed, syncs before trusting the cache and looks the token up again after a change", async () => {
    const t = token();
    const tokens = [t.record];
    const repo = fakeIdentities(tokens);
    const feed = fakeFeed();
    const auth = createAuthenticator({ identities: repo, now: () => now, cacheTtlMs: 60_000, changes: feed });
    await auth.authenticate(`Bearer ${t.secret}`);
    await auth.authenticate(`Bearer ${t.secret}`);
    expect([repo.lookups, feed.syncs]).toEqual([1, 2]);
    // Revoked through another replica: the next call's sync reports it, the cached lookup is dropped.
    tokens[0] = { ...t.record, revokedAt: now };
    feed.changed();
    expect(await refusal(auth.authenticate(`Bearer ${t.secret}`))).toEqual([Code.Unauthenticated, "token revoked"]);
    expect([repo.lookups, feed.syncs]).toEqual([2, 3]);
  });

  it("does not cache a lookup that was in flight when a change arrived", async () => {
    const t = token();
    const repo = fakeIdentities([t.record]);
    const feed = fakeFeed();
    const auth = createAuthenticator({ identities: repo, now: () => now, cacheTtlMs: 60_000, changes: feed });
    const first = auth.authenticate(`Bearer ${t.secret}`);
    feed.flushNow();
    await first;
    await auth.authenticate(`Bearer ${t.secret}`);
    expect(repo.lookups).toBe(2);
  });
});

/** A change feed driven by the test: `changed()` is reported by the next sync, `flushNow()` at once. */
function fakeFeed(): ChangeFeed & { syncs: number; changed(): void; flushNow(): void } {
  const listeners = new Set<ChangeListener>();
  let pending = false;
  const feed = {
    syncs: 0,
    changed() {
      pending = true;
    },
    flushNow() {
      for (const l of listeners) l("access");
    },
    async sync() {
      feed.syncs++;
      if (pending) {
        pending = false;
        feed.flushNow();
      }
    },
    subscribe(_topic: "access", listener: ChangeListener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    state: () => "local" as const,
    close: async () => undefined,
  };
  return feed;
}
