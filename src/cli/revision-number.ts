import type { CliClient } from "./client.js";
import { usageError } from "./context.js";
import { isRevisionNumber, refKey, type EnvironmentRef } from "./reference.js";

/**
 * The revision number a version names: a number as is, a tag (or `latest`) as the server
 * resolves it. Accepts `@N` as well as `N`.
 */
export async function resolveRevisionNumber(client: CliClient, ref: EnvironmentRef, version: string): Promise<bigint> {
  const v = version.startsWith("@") ? version.slice(1) : version;
  if (v === "") throw usageError(`invalid version "${version}"`);
  if (isRevisionNumber(v)) return BigInt(v);
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(v)) throw usageError(`invalid version "${version}": expected a revision number or tag`);
  const got = await client.revisions.getRevision({ ...refKey(ref), version: v, includeRetracted: true });
  return got.revision?.number ?? 0n;
}
