/**
 * Envelope encryption of secret values: one data key (DEK) per environment, created on first use and
 * stored only wrapped by the key provider; values sealed with AES-256-GCM under the environment's
 * identity as associated data. Unwrapped DEKs are cached (bounded LRU).
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Decrypter } from "../esc/index.js";
import type { EnvironmentKey, KeyRepository } from "../store/index.js";
import { KEY_BYTES, openAesGcm, sealAesGcm } from "./aes-gcm.js";
import { SecretDecryptionError } from "./crypto-errors.js";
import { encryptDefinition, reencryptDefinition, revealDefinition } from "./definition-rewrite.js";
import type { KeyProvider } from "./key-provider.js";
import { createLruCache } from "./lru-cache.js";
import { decodePayload, encodePayload, environmentAad, environmentName } from "./secret-payload.js";

/** The part of the key repository envelope encryption needs. */
export type DataKeyStore = Pick<KeyRepository, "getDataKey" | "findActiveDataKey" | "insertActiveDataKey" | "replaceActiveDataKey">;

export interface SecretCryptoOptions {
  /** Where wrapped data keys live (`store.keys`). Use the database handle, not a transaction's. */
  readonly keys: DataKeyStore;
  readonly provider: KeyProvider;
  /** Unwrapped data keys kept in memory. Default 1024. */
  readonly cacheSize?: number;
  /**
   * How long an environment's active data key is reused before the store is asked again, so a
   * key rotated by another process is picked up. Default 60 000 ms.
   */
  readonly activeKeyTtlMs?: number;
  /** Clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** Seals and opens secret values of environments. */
export interface SecretCrypto {
  readonly provider: KeyProvider;
  /**
   * Seals `plaintext` for `env` under its active data key (created on first use). `context`
   * narrows the binding further (e.g. a session id): the same context must be given to decrypt.
   * Returns the payload that goes inside an `escx` envelope.
   */
  encrypt(env: EnvironmentKey, plaintext: Uint8Array, context?: string): Promise<Uint8Array>;
  /**
   * Opens a payload of `env`. Throws SecretDecryptionError: `malformed` (not our format),
   * `unknown-key` (no such data key), `wrong-environment` (sealed for another environment),
   * `tampered` (authentication failed). Key provider failures are KeyProviderErrors.
   */
  decrypt(env: EnvironmentKey, payload: Uint8Array, context?: string): Promise<Uint8Array>;
  /** The evaluator's decrypter for ciphertext found in `env`'s definition. */
  decrypterFor(env: EnvironmentKey): Decrypter;
  /** Gives `env` a new active data key (older keys keep decrypting); returns its id. */
  rotateDataKey(env: EnvironmentKey): Promise<string>;
  /** The id of `env`'s active data key, creating one when it has none. */
  activeDataKeyId(env: EnvironmentKey): Promise<string>;
  /** Drops every cached data key (e.g. after a rotation by another process). */
  clearCache(): void;

  /**
   * §16.2 before storage: seals every plaintext `fn::secret: STRING` of the YAML text for `env`,
   * keeping everything else byte for byte. Throws DefinitionRewriteError for invalid YAML.
   */
  encryptDefinition(yamlText: string, env: EnvironmentKey): Promise<string>;
  /**
   * §16.2 for display with secrets shown: opens the ciphertexts under `values`. Throws
   * DefinitionRewriteError (path and reason, never a value) when one does not decrypt.
   */
  revealDefinition(yamlText: string, env: EnvironmentKey): Promise<string>;
  /** Clone and rotation: re-seals for `to` every ciphertext that opens under `from`; others are kept. */
  reencryptDefinition(yamlText: string, from: EnvironmentKey, to: EnvironmentKey): Promise<string>;
}

interface CachedKey {
  readonly key: Uint8Array;
  readonly environment: string;
}

/** Creates the envelope encryption over a key store and a key provider. */
export function createSecretCrypto(options: SecretCryptoOptions): SecretCrypto {
  const { keys, provider } = options;
  const now = options.now ?? Date.now;
  const ttl = options.activeKeyTtlMs ?? 60_000;
  const byId = createLruCache<string, CachedKey>(options.cacheSize ?? 1024);
  const active = createLruCache<string, { id: string; until: number }>(options.cacheSize ?? 1024);
  const pending = new Map<string, Promise<string>>();

  const unwrapping = new Map<string, Promise<CachedKey | undefined>>();

  async function unwrapById(id: string): Promise<CachedKey | undefined> {
    const hit = byId.get(id);
    if (hit !== undefined) return hit;
    // concurrent opens on a cold cache share one read and one unwrap (a Vault call, maybe)
    let p = unwrapping.get(id);
    if (p === undefined) {
      p = (async () => {
        const record = await keys.getDataKey(id);
        if (record === undefined) return undefined;
        const entry = { key: await provider.unwrap(record.keyVersion, record.wrapped), environment: environmentName(record.environment) };
        byId.set(id, entry);
        return entry;
      })().finally(() => unwrapping.delete(id));
      unwrapping.set(id, p);
    }
    return p;
  }

  async function newWrappedKey(): Promise<{ id: string; key: Uint8Array; provider: string; keyVersion: number; wrapped: string }> {
    const key = new Uint8Array(randomBytes(KEY_BYTES));
    const w = await provider.wrap(key);
    return { id: randomUUID(), key, provider: provider.name, keyVersion: w.keyVersion, wrapped: w.wrapped };
  }

  async function loadActive(env: EnvironmentKey, name: string): Promise<string> {
    let record = await keys.findActiveDataKey(env);
    if (record === undefined) {
      const k = await newWrappedKey();
      if (await keys.insertActiveDataKey({ ...k, environment: env })) {
        byId.set(k.id, { key: k.key, environment: name });
        return k.id;
      }
      // another process created the environment's key first: use that one
      record = await keys.findActiveDataKey(env);
      if (record === undefined) throw new Error(`no active data key for "${name}" after a lost insert race`);
    }
    return record.id;
  }

  async function activeDataKeyId(env: EnvironmentKey): Promise<string> {
    const name = environmentName(env);
    const cached = active.get(name);
    if (cached !== undefined && cached.until > now()) return cached.id;
    let p = pending.get(name);
    if (p === undefined) {
      p = loadActive(env, name).finally(() => pending.delete(name));
      pending.set(name, p);
    }
    const id = await p;
    active.set(name, { id, until: now() + ttl });
    return id;
  }

  async function decrypt(env: EnvironmentKey, payload: Uint8Array, context?: string): Promise<Uint8Array> {
    const { dataKeyId, sealed } = decodePayload(payload);
    const entry = await unwrapById(dataKeyId);
    if (entry === undefined) throw new SecretDecryptionError("unknown-key", "ciphertext names a data key this server does not have");
    if (entry.environment !== environmentName(env)) {
      throw new SecretDecryptionError("wrong-environment", `ciphertext belongs to another environment, not "${environmentName(env)}"`);
    }
    const plain = openAesGcm(entry.key, sealed, environmentAad(env, context));
    if (plain === undefined) throw new SecretDecryptionError("tampered", "ciphertext failed authentication (it was altered or sealed for another context)");
    return plain;
  }

  async function encrypt(env: EnvironmentKey, plaintext: Uint8Array, context?: string): Promise<Uint8Array> {
    const id = await activeDataKeyId(env);
    const entry = await unwrapById(id);
    if (entry === undefined) throw new Error(`the active data key of "${environmentName(env)}" disappeared`);
    return encodePayload(id, sealAesGcm(entry.key, plaintext, environmentAad(env, context)));
  }
  const cipher = { encrypt: (env: EnvironmentKey, p: Uint8Array) => encrypt(env, p), decrypt: (env: EnvironmentKey, p: Uint8Array) => decrypt(env, p) };

  return {
    provider,
    encrypt,
    decrypt,
    encryptDefinition: (text, env) => encryptDefinition(cipher, text, env),
    revealDefinition: (text, env) => revealDefinition(cipher, text, env),
    reencryptDefinition: (text, from, to) => reencryptDefinition(cipher, text, from, to),
    decrypterFor: (env) => ({ decrypt: (payload) => decrypt(env, payload) }),
    async rotateDataKey(env) {
      const name = environmentName(env);
      const k = await newWrappedKey();
      await keys.replaceActiveDataKey({ ...k, environment: env });
      byId.set(k.id, { key: k.key, environment: name });
      active.set(name, { id: k.id, until: now() + ttl });
      return k.id;
    },
    activeDataKeyId,
    clearCache() {
      byId.clear();
      active.clear();
    },
  };
}
