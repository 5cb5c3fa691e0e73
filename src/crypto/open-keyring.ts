/**
 * The server's one call at start: build the configured key provider, check it against the
 * database (refusing a foreign master key), and return the envelope encryption over it.
 */
import type { KeyRepository } from "../store/index.js";
import { resolveKeyProvider, type KeyProviderFlags } from "./key-provider-config.js";
import { initKeyring, type KeyringStatus } from "./init-keyring.js";
import { createSecretCrypto, type SecretCrypto, type SecretCryptoOptions } from "./secret-crypto.js";

export interface OpenKeyringOptions {
  /** `store.keys` of the database handle (not a transaction's). */
  readonly keys: KeyRepository;
  /** The server's data directory (holds `master.key`). */
  readonly dataDir: string;
  /** `OPENESC_*` variables (OPENESC_KEY_PROVIDER, OPENESC_MASTER_KEY, OPENESC_VAULT_…). */
  readonly env: NodeJS.ProcessEnv;
  /** Flags that override the variables. Default none. */
  readonly flags?: KeyProviderFlags;
  /** DEK cache tuning, see SecretCryptoOptions. */
  readonly cacheSize?: SecretCryptoOptions["cacheSize"];
  readonly activeKeyTtlMs?: SecretCryptoOptions["activeKeyTtlMs"];
}

export interface OpenedKeyring {
  readonly crypto: SecretCrypto;
  readonly status: KeyringStatus;
  /** Where the key comes from, for the start-up log line (never the key). */
  readonly source: string;
}

/**
 * Resolves the provider, runs `initKeyring` and creates the SecretCrypto. Throws
 * KeyringMismatchError (refuse to start, print the message), KeyProviderError (bad configuration or
 * provider unreachable: refuse to start too).
 */
export async function openKeyring(options: OpenKeyringOptions): Promise<OpenedKeyring> {
  const { provider, source } = resolveKeyProvider(options.flags ?? {}, options.env, options.dataDir);
  const status = await initKeyring({ keys: options.keys, provider, keySource: source });
  const crypto = createSecretCrypto({
    keys: options.keys,
    provider,
    ...(options.cacheSize === undefined ? {} : { cacheSize: options.cacheSize }),
    ...(options.activeKeyTtlMs === undefined ? {} : { activeKeyTtlMs: options.activeKeyTtlMs }),
  });
  return { crypto, status, source };
}
