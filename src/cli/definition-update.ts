import { Code, ConnectError } from "@connectrpc/connect";
import type { Environment } from "../gen/openesc/v1/environment_pb.js";
import type { CliClient } from "./client.js";
import type { CliContext } from "./context.js";
import { rpcError, staleBaseError, writeWarnings } from "./errors.js";
import { formatReference, refKey, type EnvironmentRef } from "./reference.js";

/** The latest definition of an environment and the revision it belongs to. */
export interface LatestDefinition {
  readonly definition: string;
  readonly revision: bigint;
  /** The environment as read (for `--output json`). */
  readonly environment?: Environment;
}

/** What a write produced: the new revision's number and the environment after it. */
export interface WrittenDefinition {
  readonly revision: bigint;
  readonly environment?: Environment;
}

/** Reads the latest definition (the base of a read-modify-write). */
export async function readLatestDefinition(client: CliClient, ref: EnvironmentRef): Promise<LatestDefinition> {
  const got = await client.environments.getEnvironment({ ...refKey(ref), version: "" });
  return { definition: got.revision?.definition ?? "", revision: got.revision?.number ?? 0n, ...(got.environment !== undefined ? { environment: got.environment } : {}) };
}

/**
 * Writes a new revision based on `base`, prints the server's warnings on stderr and returns the
 * revision's number with the environment after the write. A stale base becomes a clear CliError; a refused definition a CliError with
 * its diagnostics.
 */
export async function writeDefinition(ctx: CliContext, client: CliClient, ref: EnvironmentRef, definition: string, base: bigint): Promise<WrittenDefinition> {
  const name = formatReference(ref);
  try {
    const updated = await client.environments.updateEnvironment({ ...refKey(ref), definition, baseRevision: base });
    writeWarnings(ctx, updated.diagnostics, name);
    return { revision: updated.revision?.number ?? 0n, ...(updated.environment !== undefined ? { environment: updated.environment } : {}) };
  } catch (e) {
    if (e instanceof ConnectError && e.code === Code.Aborted) throw staleBaseError(name, base, e);
    throw rpcError(e, name);
  }
}
