/**
 * Envelope encryption for secrets at rest (ARCHITECTURE.md "crypto/", esc-language.md §16): a key
 * provider's key-encryption key wraps one data key per environment; values are sealed with
 * AES-256-GCM under the environment's identity and stored in ESC's `escx` envelope.
 *
 * Server wiring: `openKeyring` at start (= `resolveKeyProvider` → `initKeyring`, which refuses a
 * foreign master key → `createSecretCrypto`), then `encryptDefinition` on Create/Update,
 * `reencryptDefinition` on Clone, `revealDefinition` for reads with secrets shown, `decrypterFor`
 * for the evaluator, `createSessionCipher` for open sessions.
 */

// Envelope encryption of values and definitions.
export { createSecretCrypto } from "./secret-crypto.js";
export type { DataKeyStore, SecretCrypto, SecretCryptoOptions } from "./secret-crypto.js";
export { createSessionCipher } from "./session-cipher.js";
export type { SessionCipher } from "./session-cipher.js";
export { environmentAad } from "./secret-payload.js";

// Key providers.
export type { KeyProvider } from "./key-provider.js";
export { createLocalKeyProvider, MASTER_KEY_FILE, MASTER_KEY_VARIABLE } from "./local-key-provider.js";
export type { LocalKeyProviderOptions } from "./local-key-provider.js";
export { createVaultTransitKeyProvider } from "./vault-transit-key-provider.js";
export type { VaultTransitKeyProviderOptions } from "./vault-transit-key-provider.js";
export { resolveKeyProvider } from "./key-provider-config.js";
export type { KeyProviderFlags, ResolvedKeyProvider } from "./key-provider-config.js";

// Start-up: provider + key check + SecretCrypto in one call; or the parts.
export { openKeyring } from "./open-keyring.js";
export type { OpenKeyringOptions, OpenedKeyring } from "./open-keyring.js";
export { initKeyring, verifyMasterKey, KEY_CHECK_VALUE } from "./init-keyring.js";
export type { InitKeyringOptions, KeyringStatus } from "./init-keyring.js";
export { rotateKeys, KEY_ROTATION_AUTHOR } from "./rotate-keys.js";
export type { RotateKeysOptions, RotateKeysResult } from "./rotate-keys.js";

// Errors.
export { DefinitionRewriteError, KeyProviderError, KeyringMismatchError, SecretDecryptionError } from "./crypto-errors.js";
export type { SecretDecryptionReason } from "./crypto-errors.js";
