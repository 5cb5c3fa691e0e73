/**
 * Seals open sessions with the environment's data key, bound to the environment and the session id:
 * a sealed session copied to another session or environment does not open. It fits the server's
 * `SessionSealer` seam structurally.
 */
import type { EnvironmentKey } from "../store/index.js";
import type { SecretCrypto } from "./secret-crypto.js";

export interface SessionCipher {
  seal(key: EnvironmentKey, sessionId: string, plaintext: Uint8Array): Promise<Uint8Array>;
  open(key: EnvironmentKey, sessionId: string, sealed: Uint8Array): Promise<Uint8Array>;
}

/** Creates the session sealer over the envelope encryption. */
export function createSessionCipher(crypto: Pick<SecretCrypto, "encrypt" | "decrypt">): SessionCipher {
  return {
    seal: (key, sessionId, plaintext) => crypto.encrypt(key, plaintext, `session:${sessionId}`),
    open: (key, sessionId, sealed) => crypto.decrypt(key, sealed, `session:${sessionId}`),
  };
}
