import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { compactVerify, createLocalJWKSet, jwtVerify } from "jose";
import { createLocalKeyProvider, createSecretCrypto } from "../crypto/index.js";
import { createOidcKeyRepository, openStore, type Store } from "../store/index.js";
import { createOidcIssuer } from "./issuer.js";
import { createSigningKeys, rotateSigningKey } from "./signing-keys.js";

let store: Store;
let clock = 1_700_000_000_000;
const now = () => clock;

beforeEach(async () => {
  store = await openStore({ url: "sqlite::memory:" });
  const migrated = await store.migrate();
  if (migrated.error !== undefined) throw migrated.error;
});
afterEach(async () => {
  await store.close();
});

function keys(options: { graceMs?: number; refreshMs?: number } = {}) {
  const sealer = createSecretCrypto({ keys: store.keys, provider: createLocalKeyProvider({ dataDir: "/nonexistent", masterKey: Buffer.alloc(32, 7).toString("base64") }) });
  const repository = createOidcKeyRepository(store.db);
  return { sealer, repository, keys: createSigningKeys({ repository, sealer, now, ...options }) };
}

const facts = { org: "acme", currentEnvironment: "a/b", rootEnvironment: "a/b", userLogin: "ada", tokenType: "personal" };

describe("createSigningKeys()", () => {
  test("the first key is created once; later calls and other processes reuse it", async () => {
    const a = keys();
    const kid = await a.keys.ensureActive();
    expect(await a.keys.ensureActive()).toBe(kid);
    expect(await keys().keys.ensureActive()).toBe(kid);
    expect((await a.repository.list()).map((r) => r.kid)).toEqual([kid]);
  });

  test("tokens verify with the published keys; a rotation is seen after the refresh period, the old key kept for the grace period", async () => {
    const a = keys({ refreshMs: 5_000, graceMs: 60_000 });
    const issuer = createOidcIssuer({ keys: a.keys, publicUrl: () => "https://esc.example.com/", now });
    const first = await issuer.issue({ platform: "aws", facts });
    const set = createLocalJWKSet({ keys: [...(await issuer.jwks()).keys] });
    const verified = await jwtVerify(first, set, { issuer: "https://esc.example.com", audience: "aws:acme", currentDate: new Date(clock) });
    expect(verified.payload.exp).toBe(Math.floor(clock / 1000) + 300);

    const rotated = await rotateSigningKey({ repository: a.repository, sealer: a.sealer, now });
    // Within the refresh period the cached key still signs.
    clock += 1_000;
    expect((await compactVerify(await issuer.issue({ platform: "aws", facts }), set)).protectedHeader.kid).toBe(rotated.retired);
    clock += 5_000;
    const next = await issuer.issue({ platform: "aws", facts });
    expect((await issuer.jwks()).keys.map((k) => k.kid)).toEqual([rotated.kid, rotated.retired]);
    expect((await compactVerify(next, createLocalJWKSet({ keys: [...(await issuer.jwks()).keys] }))).protectedHeader.kid).toBe(rotated.kid);
    // Past the grace period the retired key is no longer published.
    clock += 60_000;
    expect((await issuer.jwks()).keys.map((k) => k.kid)).toEqual([rotated.kid]);
  });

  test("the JWKS lists a key rotated elsewhere at once, within the refresh period (another replica may already sign with it)", async () => {
    const a = keys({ refreshMs: 60_000 });
    const issuer = createOidcIssuer({ keys: a.keys, publicUrl: () => "https://esc.example.com", now });
    const before = [await a.keys.ensureActive()];
    expect((await issuer.jwks()).keys.map((k) => k.kid)).toEqual(before);
    const rotated = await rotateSigningKey({ repository: a.repository, sealer: a.sealer, now });
    expect((await issuer.jwks()).keys.map((k) => k.kid)).toEqual([rotated.kid, ...before]);
  });

  test("token lifetimes are bounded to one hour", async () => {
    const issuer = createOidcIssuer({ keys: keys().keys, publicUrl: () => "https://esc.example.com", now });
    await expect(issuer.issue({ platform: "aws", facts, ttlSeconds: 3601 })).rejects.toThrow("token lifetime must be 1–3600 seconds");
    await expect(issuer.issue({ platform: "aws", facts, ttlSeconds: 0 })).rejects.toThrow("token lifetime must be 1–3600 seconds");
    const token = await issuer.issue({ platform: "aws", facts, ttlSeconds: 3600 });
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [...(await issuer.jwks()).keys] }), { currentDate: new Date(clock) });
    expect((payload.exp as number) - (payload.iat as number)).toBe(3600);
  });
});
