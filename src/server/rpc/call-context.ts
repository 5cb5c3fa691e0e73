import { createContextKey, type HandlerContext } from "@connectrpc/connect";
import type { Principal } from "../../auth/index.js";

/** Facts about one RPC call that the transport knows and the pipeline and handlers need. */
export interface CallInfo {
  /** Unique per call; echoed in the `x-request-id` response header and in logs. */
  readonly requestId: string;
  /** The peer's address, `ip:port`. */
  readonly peer: string;
}

/** Set by the transport (Connect or gRPC) before the pipeline runs. */
export const callInfoKey = createContextKey<CallInfo | undefined>(undefined, { description: "openesc call info" });

/** Set by the pipeline once the caller is authenticated. */
export const principalKey = createContextKey<Principal | undefined>(undefined, { description: "openesc principal" });

/** The authenticated caller of a call; a broken invariant (no pipeline) throws. */
export function principalOf(ctx: HandlerContext): Principal {
  const principal = ctx.values.get(principalKey);
  if (principal === undefined) {
    throw new Error(`no principal for ${ctx.method.name}: the auth pipeline did not run`);
  }
  return principal;
}
