import type { Authenticator, Authorizer } from "../../auth/index.js";
import type { SecretCrypto } from "../../crypto/index.js";
import type { BuiltinProviders } from "../../providers/index.js";
import type { ChangeFeed, Store } from "../../store/index.js";
import type { SessionSealer } from "../session-sealer.js";

/** What the service handlers need; passed explicitly so tests can build them around a temp store. */
export interface ServiceDeps {
  readonly store: Store;
  readonly authenticator: Authenticator;
  /** Effective permissions (src/auth); handlers reach a caller's through accessOf(ctx). */
  readonly authorizer: Authorizer;
  /** http:// OIDC issuers trust policies may name (OPENESC_OIDC_HTTP_ISSUERS); default none: https only. */
  readonly allowHttpIssuers?: readonly string[];
  readonly serverVersion: string;
  /** Encrypts secrets at rest, reveals them, decrypts for evaluation. */
  readonly crypto: SecretCrypto;
  /** Seals open sessions. */
  readonly sealer: SessionSealer;
  /** The built-in providers (aws-login, vault-secrets, …); none when absent. */
  readonly providers?: BuiltinProviders;
  /** Told how long each open-mode evaluation took (metrics). */
  readonly onEvaluated?: (outcome: "ok" | "error", seconds: number) => void;
  /** The change feed (synced by the authenticator at the start of every request); caches subscribe. */
  readonly changes?: Pick<ChangeFeed, "subscribe">;
}
