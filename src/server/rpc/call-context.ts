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

/** One provider call made while serving an RPC (for the audit event: never inputs or outputs). */
export interface ProviderCallRecord {
  /** The provider's name, e.g. `aws-login`. */
  readonly provider: string;
  /** The environment and path of the `fn::open` node, e.g. `acme/app/prod:aws.login`. */
  readonly path: string;
  readonly durationMs: number;
  /** `ok`, or the Connect-style code / short reason of the failure (no secrets). */
  readonly outcome: string;
}

/**
 * What a handler learned while serving a call that the audit event records: the revision it touched and
 * the provider calls it made. Created by the pipeline before the handler runs; handlers append to it.
 */
export interface CallDetails {
  revision?: number;
  readonly providerCalls: ProviderCallRecord[];
}

export const callDetailsKey = createContextKey<CallDetails | undefined>(undefined, { description: "openesc call details" });

/** The call's details record, created on first use. */
export function callDetailsOf(ctx: HandlerContext): CallDetails {
  let details = ctx.values.get(callDetailsKey);
  if (details === undefined) {
    details = { providerCalls: [] };
    ctx.values.set(callDetailsKey, details);
  }
  return details;
}
