/**
 * The default key provider: AES-256-GCM key wrapping under a local master key, from
 * `DATA_DIR/master.key` (created at first use, mode 0600, versioned) or `OPENESC_MASTER_KEY`.
 */
import { join } from "node:path";
import { openAesGcm, sealAesGcm } from "./aes-gcm.js";
import { KeyProviderError } from "./crypto-errors.js";
import type { KeyProvider } from "./key-provider.js";
import { addKeyFileVersion, createKeyFile, newestVersion, parseMasterKeyVariable, readKeyFile, type Keyring } from "./master-key-file.js";

export const MASTER_KEY_FILE = "master.key";
export const MASTER_KEY_VARIABLE = "OPENESC_MASTER_KEY";

export interface LocalKeyProviderOptions {
  /** The data directory; the key file is `DATA_DIR/master.key`. */
  readonly dataDir: string;
  /** The key file. Default `DATA_DIR/master.key`. */
  readonly keyFile?: string;
  /**
   * The content of `OPENESC_MASTER_KEY`, when set: the keyring then comes from it and no file is
   * read or written. `rotate` refuses (add a version to the variable instead). Default: unset.
   */
  readonly masterKey?: string;
}

/**
 * Creates the local provider (name `local`). With a key file, `wrap` creates the file on first use
 * and re-reads it so a rotation by `openesc admin keys rotate` is picked up by running servers;
 * `unwrap` re-reads it when it meets an unknown version. Throws KeyProviderError for a malformed
 * `masterKey`.
 */
export function createLocalKeyProvider(options: LocalKeyProviderOptions): KeyProvider {
  if (options.masterKey !== undefined) return fromRing(parseMasterKeyVariable(options.masterKey, MASTER_KEY_VARIABLE), undefined);
  return fromRing(undefined, options.keyFile ?? join(options.dataDir, MASTER_KEY_FILE));
}

function fromRing(fixed: Keyring | undefined, path: string | undefined): KeyProvider {
  let ring = fixed;

  function load(create: boolean): Keyring {
    if (path === undefined) return ring as Keyring;
    let read = readKeyFile(path);
    if (read === undefined && create) {
      createKeyFile(path);
      read = readKeyFile(path);
    }
    if (read === undefined) {
      throw new KeyProviderError(`master key file ${path} does not exist (restore it, or set ${MASTER_KEY_VARIABLE})`);
    }
    ring = read;
    return read;
  }

  return {
    name: "local",
    async wrap(dek) {
      const keys = load(true);
      const keyVersion = newestVersion(keys);
      const sealed = sealAesGcm(keys.get(keyVersion) as Uint8Array, dek, aad(keyVersion));
      return { keyVersion, wrapped: Buffer.from(sealed).toString("base64") };
    },
    async unwrap(keyVersion, wrapped) {
      let key = ring?.get(keyVersion);
      if (key === undefined && path !== undefined) key = load(false).get(keyVersion);
      if (key === undefined) {
        const where = path === undefined ? MASTER_KEY_VARIABLE : `master key file ${path}`;
        throw new KeyProviderError(`master key version ${keyVersion} is not in ${where}`);
      }
      const dek = openAesGcm(key, new Uint8Array(Buffer.from(wrapped, "base64")), aad(keyVersion));
      if (dek === undefined) throw new KeyProviderError(`a key wrapped by master key version ${keyVersion} does not unwrap with the configured master key`);
      return dek;
    },
    async rotate() {
      if (path === undefined) {
        throw new KeyProviderError(
          `${MASTER_KEY_VARIABLE} cannot be rotated in place: add a new version to it (${MASTER_KEY_VARIABLE}=2:NEW_KEY,1:OLD_KEY), restart, then run "openesc admin keys rotate --rewrap-only"`,
        );
      }
      load(true);
      const version = addKeyFileVersion(path);
      load(false);
      return version;
    },
  };
}

// Binds a wrapped key to its version: a wrapping relabelled with another version does not open.
function aad(version: number): Uint8Array {
  return new TextEncoder().encode(`openesc:kek:local:v${version}`);
}
