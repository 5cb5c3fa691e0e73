/**
 * The start-up check that binds a database to its master key: each key-encryption-key version
 * that wrapped data keys has a check value (a known constant wrapped by it) in `key_checks`. At
 * start every recorded check must unwrap to the constant, else the server refuses to start — it
 * never creates a new key over a database written with another one.
 */
import { createHash } from "node:crypto";
import type { KeyRepository } from "../store/index.js";
import { KeyringMismatchError } from "./crypto-errors.js";
import type { KeyProvider } from "./key-provider.js";

/** The constant every check value wraps. */
export const KEY_CHECK_VALUE: Uint8Array = new Uint8Array(createHash("sha256").update("openesc:key-check:v1").digest());

/** What `initKeyring` found. */
export interface KeyringStatus {
  readonly provider: string;
  /** The version new data keys are wrapped with. */
  readonly activeVersion: number;
  /** Versions whose check values unwrapped. */
  readonly verifiedVersions: readonly number[];
  /** True when this call recorded the active version's check (first start, or after a rotation). */
  readonly recorded: boolean;
}

export interface InitKeyringOptions {
  readonly keys: Pick<KeyRepository, "listKeyChecks" | "insertKeyCheck" | "countDataKeysByVersion">;
  readonly provider: KeyProvider;
  /** Shown in messages: where the operator configures the key. Default "the master key". */
  readonly keySource?: string;
}

/**
 * Verifies the provider against every recorded check value, then records the active version's
 * check when missing (the first start creates the local key file this way). Throws
 * KeyringMismatchError (with a message for the operator) when a recorded version does not unwrap,
 * or when data keys are wrapped by another provider. Provider outages are KeyProviderErrors.
 */
export async function initKeyring(options: InitKeyringOptions): Promise<KeyringStatus> {
  const { keys, provider } = options;
  const source = options.keySource ?? "the master key";
  const others = (await keys.countDataKeysByVersion()).filter((c) => c.provider !== provider.name && c.count > 0);
  if (others.length > 0) {
    const names = [...new Set(others.map((o) => o.provider))].join(", ");
    throw new KeyringMismatchError(
      `refusing to start: this database's data keys are wrapped by key provider ${names}, but the server is configured with ${provider.name}`,
    );
  }
  const checks = (await keys.listKeyChecks()).filter((c) => c.provider === provider.name);
  const verified: number[] = [];
  for (const check of checks) {
    let ok = false;
    try {
      ok = equal(await provider.unwrap(check.keyVersion, check.wrapped), KEY_CHECK_VALUE);
    } catch (err) {
      throw new KeyringMismatchError(
        `refusing to start: ${source} does not match the one this database was written with (key version ${check.keyVersion} of ${provider.name}, recorded ${check.createdAt.toISOString()}): ${(err as Error).message}. Restore the original key; the server never re-keys a database by itself`,
        { cause: err },
      );
    }
    if (!ok) {
      throw new KeyringMismatchError(
        `refusing to start: ${source} does not match the one this database was written with (key version ${check.keyVersion} of ${provider.name})`,
      );
    }
    verified.push(check.keyVersion);
  }
  const check = await provider.wrap(KEY_CHECK_VALUE);
  if (verified.includes(check.keyVersion)) {
    return { provider: provider.name, activeVersion: check.keyVersion, verifiedVersions: verified, recorded: false };
  }
  if (!(await keys.insertKeyCheck({ provider: provider.name, ...check }))) {
    // another server recorded this version first (two first starts at once): it must be our key too
    const theirs = (await keys.listKeyChecks()).find((c) => c.provider === provider.name && c.keyVersion === check.keyVersion);
    const ok = theirs !== undefined && equal(await provider.unwrap(theirs.keyVersion, theirs.wrapped).catch(() => new Uint8Array()), KEY_CHECK_VALUE);
    if (!ok) {
      throw new KeyringMismatchError(
        `refusing to start: ${source} does not match the one another server recorded for key version ${check.keyVersion} of ${provider.name} at the same time`,
      );
    }
    return { provider: provider.name, activeVersion: check.keyVersion, verifiedVersions: [...verified, check.keyVersion], recorded: false };
  }
  return { provider: provider.name, activeVersion: check.keyVersion, verifiedVersions: verified, recorded: true };
}

/** Alias of initKeyring, for callers that only mean to check. */
export const verifyMasterKey = initKeyring;

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
