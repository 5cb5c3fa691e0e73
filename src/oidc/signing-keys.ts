/**
 * The issuer's view of the signing keys in the database, shared by every replica: the active key
 * (created at first start), and the public keys still in their grace period. The active key is
 * cached and re-read at most every `refreshMs`, so a rotation by `openesc admin oidc rotate-key` (or
 * another replica) is picked up without a restart; a changed kid is opened once. The public keys are
 * read on every JWKS request (one query on a table of a few rows; the JWKS is fetched rarely): a
 * replica that already signs with the new key may send the relying party to any other replica for
 * the JWKS, which must then list it at once (issue 9 §1). Signing with the previous key meanwhile is
 * harmless: it stays published for the grace period.
 */
import type { JWK } from "jose";
import type { OidcKeyRecord, OidcKeyRepository } from "../store/index.js";
import { createSigningKey, openSigningKey, type KeySealer, type OpenedSigningKey } from "./signing-key.js";

export interface SigningKeysOptions {
  readonly repository: OidcKeyRepository;
  readonly sealer: KeySealer;
  /** How long a retired key stays in the JWKS. Default 24 h. */
  readonly graceMs?: number;
  /** How often the active (signing) key is re-read from the database. Default 5 000 ms. */
  readonly refreshMs?: number;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** The signing keys of one process. */
export interface SigningKeys {
  /** Creates the first key unless one exists (any replica may win the race); returns the active kid. */
  ensureActive(): Promise<string>;
  /** The key that signs new tokens. */
  active(): Promise<OpenedSigningKey>;
  /** The public keys: the active one and the retired ones within their grace period, newest first. */
  publicKeys(): Promise<readonly JWK[]>;
}

export const DEFAULT_GRACE_MS = 24 * 3600_000;
export const DEFAULT_REFRESH_MS = 5_000;

export function createSigningKeys(options: SigningKeysOptions): SigningKeys {
  const { repository, sealer } = options;
  const now = options.now ?? Date.now;
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  let opened: { key: OpenedSigningKey; checkedAt: number } | undefined;

  async function ensureActive(): Promise<string> {
    const existing = await repository.findActive();
    if (existing !== undefined) return existing.kid;
    // Sealing happens outside any transaction; a lost race leaves nothing behind.
    const created = await createSigningKey(sealer, new Date(now()));
    if (await repository.insertFirst(created)) return created.kid;
    const winner = await repository.findActive();
    if (winner === undefined) throw new Error("oidc: no active signing key after creating one");
    return winner.kid;
  }

  async function active(): Promise<OpenedSigningKey> {
    const t = now();
    if (opened !== undefined && t - opened.checkedAt < refreshMs) return opened.key;
    let record: OidcKeyRecord | undefined = await repository.findActive();
    if (record === undefined) {
      await ensureActive();
      record = await repository.findActive();
      if (record === undefined) throw new Error("oidc: no active signing key");
    }
    const key = opened !== undefined && opened.key.kid === record.kid ? opened.key : await openSigningKey(sealer, record);
    opened = { key, checkedAt: t };
    return key;
  }

  async function publicKeys(): Promise<readonly JWK[]> {
    const t = now();
    const records = await repository.list();
    return records.filter((r) => r.active || (r.retiredAt !== undefined && r.retiredAt.getTime() + graceMs > t)).map((r) => JSON.parse(r.publicJwk) as JWK);
  }

  return { ensureActive, active, publicKeys };
}

/**
 * Makes a new key active and retires the current one. Retired keys stay in the table: each server
 * publishes them for its own grace period, so they are never deleted from under a longer one.
 */
export async function rotateSigningKey(options: Pick<SigningKeysOptions, "repository" | "sealer" | "now">): Promise<{ kid: string; retired?: string }> {
  const now = options.now ?? Date.now;
  const previous = await options.repository.findActive();
  const created = await createSigningKey(options.sealer, new Date(now()));
  await options.repository.rotate(created);
  return { kid: created.kid, ...(previous === undefined ? {} : { retired: previous.kid }) };
}
