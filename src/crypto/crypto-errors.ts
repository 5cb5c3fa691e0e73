/**
 * The crypto module's failures. Messages are short, lower case, and never carry key material or
 * plaintext: they are safe to log and to show to the caller.
 */

/** Why a secret payload did not decrypt. */
export type SecretDecryptionReason = "malformed" | "unknown-key" | "wrong-environment" | "tampered";

/** A ciphertext that does not decrypt for the environment it was presented to. */
export class SecretDecryptionError extends Error {
  override readonly name = "SecretDecryptionError";
  constructor(
    readonly reason: SecretDecryptionReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The configured master key (or key provider) is not the one the database was written with, or is
 * missing. The server must refuse to start: it never re-keys a database by itself.
 */
export class KeyringMismatchError extends Error {
  override readonly name = "KeyringMismatchError";
}

/** A key provider could not do its job (key file unreadable, Vault unreachable, rotation refused). */
export class KeyProviderError extends Error {
  override readonly name = "KeyProviderError";
}

/** A definition could not be rewritten (invalid YAML, or a ciphertext that does not decrypt). */
export class DefinitionRewriteError extends Error {
  override readonly name = "DefinitionRewriteError";
}
