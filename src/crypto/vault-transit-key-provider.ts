/**
 * Wraps data keys with HashiCorp Vault's (or OpenBao's) transit engine through node-vault: the
 * key-encryption key never leaves Vault. Key versions are transit's (`vault:vN:…`).
 */
import vault from "node-vault";
import { KeyProviderError } from "./crypto-errors.js";
import type { KeyProvider } from "./key-provider.js";

export interface VaultTransitKeyProviderOptions {
  /** Vault's address, e.g. `https://vault.internal:8200`. */
  readonly address: string;
  /** A token allowed to encrypt, decrypt and rewrap with the key (and rotate it, for key rotation). */
  readonly token: string;
  /** The transit engine's mount path. Default `transit`. */
  readonly mount?: string;
  /** The transit key's name. Default `openesc`. Created by the first wrap when the token may. */
  readonly keyName?: string;
  /** Per-request time-out in milliseconds. Default 10 000. */
  readonly timeoutMs?: number;
  /** Vault Enterprise namespace. Default none. */
  readonly namespace?: string;
}

/** Creates the provider, named `vault-transit:MOUNT/KEY`. Errors are KeyProviderErrors without key material. */
export function createVaultTransitKeyProvider(options: VaultTransitKeyProviderOptions): KeyProvider {
  const mount = (options.mount ?? "transit").replace(/^\/+|\/+$/g, "");
  const keyName = options.keyName ?? "openesc";
  const client = vault({
    apiVersion: "v1",
    endpoint: options.address.replace(/\/+$/, ""),
    token: options.token,
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
  });
  const requestOptions = { timeout: options.timeoutMs ?? 10_000 };
  const path = (op: string): string => `${mount}/${op}/${encodeURIComponent(keyName)}`;

  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw new KeyProviderError(`vault transit ${what} with key "${mount}/${keyName}" failed: ${describe(err)}`);
    }
  }

  return {
    name: `vault-transit:${mount}/${keyName}`,
    async wrap(dek) {
      const res = await call("encrypt", () => client.write(path("encrypt"), { plaintext: Buffer.from(dek).toString("base64") }, requestOptions));
      const wrapped = String(res?.data?.ciphertext ?? "");
      return { keyVersion: versionOf(wrapped), wrapped };
    },
    async unwrap(keyVersion, wrapped) {
      if (versionOf(wrapped) !== keyVersion) throw new KeyProviderError(`a wrapped key's version does not match its record (${keyVersion})`);
      const res = await call("decrypt", () => client.write(path("decrypt"), { ciphertext: wrapped }, requestOptions));
      const bytes = Buffer.from(String(res?.data?.plaintext ?? ""), "base64");
      return new Uint8Array(bytes);
    },
    async rewrap(keyVersion, wrapped) {
      if (versionOf(wrapped) !== keyVersion) throw new KeyProviderError(`a wrapped key's version does not match its record (${keyVersion})`);
      const res = await call("rewrap", () => client.write(path("rewrap"), { ciphertext: wrapped }, requestOptions));
      const next = String(res?.data?.ciphertext ?? "");
      return { keyVersion: versionOf(next), wrapped: next };
    },
    async rotate() {
      await call("rotate", () => client.write(`${mount}/keys/${encodeURIComponent(keyName)}/rotate`, {}, requestOptions));
      const res = await call("read key", () => client.read(`${mount}/keys/${encodeURIComponent(keyName)}`, requestOptions));
      const latest = Number(res?.data?.latest_version);
      if (!Number.isInteger(latest) || latest < 1) throw new KeyProviderError(`vault transit key "${mount}/${keyName}" reported no latest version`);
      return latest;
    },
  };
}

function versionOf(ciphertext: string): number {
  const m = /^vault:v(\d+):/.exec(ciphertext);
  if (m === null) throw new KeyProviderError("vault transit returned a ciphertext without a key version");
  return Number(m[1]);
}

// Vault's error bodies name the problem ("permission denied", "encryption key not found"); they
// never echo the plaintext. Keep the status and the first error only.
function describe(err: unknown): string {
  const e = err as { response?: { statusCode?: number; body?: { errors?: unknown[] } }; message?: string; code?: string };
  const status = e.response?.statusCode;
  const first = e.response?.body?.errors?.[0];
  if (status !== undefined) return `status ${status}${typeof first === "string" ? `: ${first}` : ""}`;
  return e.code ?? e.message ?? String(err);
}
