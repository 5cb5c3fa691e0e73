/**
 * Sealing for what the open caches keep between requests: decrypted secrets stay encrypted in memory
 * (AES-256-GCM under a random key that exists only in this process), so they are never lying around
 * in plaintext — in a heap snapshot, a core file or freed memory — between the requests that use them.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface Sealed {
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly sealed: Buffer;
}

export interface MemorySealer {
  seal(plaintext: Uint8Array): Sealed;
  /** Throws when `sealed` was not made by this sealer or was altered. */
  open(sealed: Sealed): Buffer;
}

export function createMemorySealer(): MemorySealer {
  const key = randomBytes(32);
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { iv, tag: cipher.getAuthTag(), sealed };
    },
    open(entry) {
      const decipher = createDecipheriv("aes-256-gcm", key, entry.iv);
      decipher.setAuthTag(entry.tag);
      return Buffer.concat([decipher.update(entry.sealed), decipher.final()]);
    },
  };
}
