import { Code, ConnectError } from "@connectrpc/connect";
import type { CliClient } from "./client.js";
import type { CliContext } from "./context.js";
import { rpcError, staleBaseError, writeWarnings } from "./errors.js";
import { formatReference, refKey, type EnvironmentRef } from "./reference.js";

/** The latest definition of an environment and the revision it belongs to. */
export interface LatestDefinition {
  readonly definition: string;
  readonly revision: bigint;
}

/** Reads the latest definition (the base of a read-modify-write). */
export async function readLatestDefinition(client: CliClient, ref: EnvironmentRef): Promise<LatestDefinition> {
  const got = await client.environments.getEnvironment({ ...refKey(ref), version: "" });
  return { definition: got.revision?.definition ?? "", revision: got.revision?.number ?? 0n };
}

/**
 * Writes a new revision based on `base`, prints the server's warnings on stderr and returns the
 * revision's number. A stale base becomes a clear CliError; a refused definition a CliError with
 * its diagnostics.
 */
export async function writeDefinition(ctx: CliContext, client: CliClient, ref: EnvironmentRef, definition: string, base: bigint): Promise<bigint> {
  const name = formatReference(ref);
  try {
    const updated = await client.environments.updateEnvironment({ ...refKey(ref), definition, baseRevision: base });
    writeWarnings(ctx, updated.diagnostics, name);
    return updated.revision?.number ?? 0n;
  } catch (e) {
    if (e instanceof ConnectError && e.code === Code.Aborted) throw staleBaseError(name, base, e);
    throw rpcError(e, name);
  }
}
