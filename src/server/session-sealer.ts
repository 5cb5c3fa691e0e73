import type { EnvironmentKey } from "../store/index.js";

/**
 * Seals open sessions at rest so the database never holds their plaintext. A payload is bound to its
 * environment and session id: copied to another session, it does not open.
 */
export interface SessionSealer {
  seal(key: EnvironmentKey, sessionId: string, plaintext: Uint8Array): Promise<Uint8Array>;
  open(key: EnvironmentKey, sessionId: string, sealed: Uint8Array): Promise<Uint8Array>;
}
