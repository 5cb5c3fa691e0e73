/**
 * Key rotation without downtime: a new key-encryption-key version (or a transit key rotation), then
 * every data key rewrapped under it. Data keys themselves do not change, so every ciphertext keeps
 * decrypting, in running servers too. With `reencrypt`, each environment with a data key also gets a
 * new one, and every environment whose latest definition changes when re-sealed (ciphertext under an
 * older data key, or plaintext secrets stored before encryption was enabled) gets a new revision.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { EnvironmentKey, EnvironmentRepository, KeyRepository } from "../store/index.js";
import type { KeyProvider } from "./key-provider.js";
import { KEY_CHECK_VALUE } from "./init-keyring.js";
import type { SecretCrypto } from "./secret-crypto.js";

/** The author of revisions written by `--reencrypt`. */
export const KEY_ROTATION_AUTHOR = "system:key-rotation";

export interface RotateKeysOptions {
  readonly keys: Pick<
    KeyRepository,
    "listDataKeys" | "rewrapDataKey" | "insertKeyCheck" | "deleteKeyCheck" | "listKeyChecks" | "countDataKeysByVersion" | "listKeyedEnvironments"
  >;
  readonly provider: KeyProvider;
  /**
   * Create a new key version first. Default true. False only rewraps under the provider's newest
   * version (after adding one to `OPENESC_MASTER_KEY`, which cannot rotate in place).
   */
  readonly rotateKek?: boolean;
  /** Also give every environment a new data key and rewrite its latest definition under it. Default none. */
  readonly reencrypt?: {
    readonly crypto: SecretCrypto;
    readonly environments: Pick<EnvironmentRepository, "list" | "get" | "getRevision" | "update">;
  };
  /** Data keys read per page. Default 200. */
  readonly batchSize?: number;
}

export interface RotateKeysResult {
  readonly provider: string;
  /** The version data keys are now wrapped with. */
  readonly activeVersion: number;
  /** Data keys rewrapped under it. */
  readonly rewrapped: number;
  /** Data keys already under it (or changed by someone else meanwhile). */
  readonly unchanged: number;
  /** Data keys of another provider, left alone. */
  readonly foreign: number;
  /** Environments given a new data key (with `reencrypt`). */
  readonly newDataKeys: number;
  /** New revisions written (with `reencrypt`); environments without ciphertext get none. */
  readonly revisionsWritten: number;
}

/** Rotates; provider failures throw (work done so far stays done and consistent). */
export async function rotateKeys(options: RotateKeysOptions): Promise<RotateKeysResult> {
  const { keys, provider } = options;
  if (options.rotateKek ?? true) await provider.rotate();
  const check = await provider.wrap(KEY_CHECK_VALUE);
  const activeVersion = check.keyVersion;
  await keys.insertKeyCheck({ provider: provider.name, ...check });

  let rewrapped = 0;
  let unchanged = 0;
  let foreign = 0;
  const limit = options.batchSize ?? 200;
  for (let afterId = ""; ; ) {
    const page = await keys.listDataKeys({ afterId, limit });
    for (const k of page) {
      if (k.provider !== provider.name) foreign++;
      else if (k.keyVersion >= activeVersion) unchanged++;
      else {
        const next = provider.rewrap
          ? await provider.rewrap(k.keyVersion, k.wrapped)
          : await provider.wrap(await provider.unwrap(k.keyVersion, k.wrapped));
        if (await keys.rewrapDataKey(k.id, k, { provider: provider.name, ...next })) rewrapped++;
        else unchanged++;
      }
    }
    if (page.length < limit) break;
    afterId = (page[page.length - 1] as { id: string }).id;
  }

  let newDataKeys = 0;
  let revisionsWritten = 0;
  if (options.reencrypt !== undefined) {
    const keyed = new Set((await keys.listKeyedEnvironments()).map(keyText));
    for (let pageToken = ""; ; ) {
      const page = await options.reencrypt.environments.list({ pageSize: 100, pageToken });
      for (const record of page.items) {
        const env = { org: record.org, project: record.project, name: record.name };
        const hasKey = keyed.has(keyText(env));
        const written = await reencryptEnvironment(options.reencrypt, env, hasKey);
        if (written === undefined) continue;
        if (hasKey) newDataKeys++;
        if (written) revisionsWritten++;
      }
      if (page.nextPageToken === "") break;
      pageToken = page.nextPageToken;
    }
  }

  // Versions no data key uses any more need no check at start (e.g. dropped from OPENESC_MASTER_KEY).
  const used = new Set((await keys.countDataKeysByVersion()).filter((c) => c.provider === provider.name).map((c) => c.keyVersion));
  for (const c of await keys.listKeyChecks()) {
    if (c.provider === provider.name && c.keyVersion !== activeVersion && !used.has(c.keyVersion)) {
      await keys.deleteKeyCheck(c.provider, c.keyVersion);
    }
  }
  return { provider: provider.name, activeVersion, rewrapped, unchanged, foreign, newDataKeys, revisionsWritten };
}

/**
 * Gives `env` a new data key (when it has one) and writes its latest definition re-encrypted, with
 * any plaintext secret sealed, as a new revision. Returns undefined when the environment no longer
 * exists, else whether a revision was written.
 */
async function reencryptEnvironment(
  r: NonNullable<RotateKeysOptions["reencrypt"]>,
  env: EnvironmentKey,
  hasKey: boolean,
): Promise<boolean | undefined> {
  if (hasKey) await r.crypto.rotateDataKey(env);
  for (let attempt = 0; ; attempt++) {
    let latest: number;
    try {
      latest = (await r.environments.get(env)).latestRevision;
    } catch (err) {
      if (err instanceof ConnectError && err.code === Code.NotFound) return undefined; // deleted meanwhile
      throw err;
    }
    const current = await r.environments.getRevision(env, latest);
    const resealed = await r.crypto.reencryptDefinition(current.definition, env, env);
    const next = await r.crypto.encryptDefinition(resealed, env);
    if (next === current.definition) return false;
    try {
      await r.environments.update({ key: env, definition: next, baseRevision: latest, author: KEY_ROTATION_AUTHOR });
      return true;
    } catch (err) {
      // someone wrote a revision meanwhile: re-encrypt theirs
      if (!(err instanceof ConnectError && err.code === Code.Aborted) || attempt >= 4) throw err;
    }
  }
}

function keyText(env: EnvironmentKey): string {
  return `${env.org}/${env.project}/${env.name}`;
}
