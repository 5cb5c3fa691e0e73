import type { Authenticator } from "../../auth/index.js";
import type { Store } from "../../store/index.js";

/** What the service handlers need; passed explicitly so tests can build them around a temp store. */
export interface ServiceDeps {
  readonly store: Store;
  readonly authenticator: Authenticator;
  readonly serverVersion: string;
}
