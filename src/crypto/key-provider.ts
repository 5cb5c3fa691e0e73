/**
 * The seam between envelope encryption and whatever holds the key-encryption key (KEK): a local
 * key file, an environment variable, or Vault's transit engine. Data keys (DEKs) pass through it
 * only to be wrapped or unwrapped; the KEK itself never leaves the provider.
 */
export interface KeyProvider {
  /**
   * Names the provider and the key it uses, e.g. `local` or `vault-transit:transit/openesc`. Stored
   * beside every wrapped key: a database is bound to it.
   */
  readonly name: string;
  /** Wraps a data key under the newest key version. */
  wrap(dek: Uint8Array): Promise<{ keyVersion: number; wrapped: string }>;
  /** Unwraps a data key; throws KeyProviderError when the version is unknown or the wrapping is not authentic. */
  unwrap(keyVersion: number, wrapped: string): Promise<Uint8Array>;
  /** Creates a new key version that `wrap` uses from now on; older versions keep unwrapping. Returns it. */
  rotate(): Promise<number>;
  /** Optional: moves a wrapped key to the newest version without exposing it (Vault's rewrap). */
  rewrap?(keyVersion: number, wrapped: string): Promise<{ keyVersion: number; wrapped: string }>;
}
