/**
 * The store's refusals, as ConnectErrors with short lower-case messages that name the resource
 * and never carry a value. One constructor per case so messages stay consistent.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import type { EnvironmentKey } from "./types.js";

/** `org/project/name`, quoted in messages. */
export function formatKey(key: EnvironmentKey): string {
  return `${key.org}/${key.project}/${key.name}`;
}

export const storeErrors = {
  organizationNotFound: (org: string) => new ConnectError(`organization "${org}" not found`, Code.NotFound),
  organizationExists: (org: string) => new ConnectError(`organization "${org}" already exists`, Code.AlreadyExists),

  environmentNotFound: (key: EnvironmentKey) => new ConnectError(`environment "${formatKey(key)}" not found`, Code.NotFound),
  environmentExists: (key: EnvironmentKey) => new ConnectError(`environment "${formatKey(key)}" already exists`, Code.AlreadyExists),
  deletionProtected: (key: EnvironmentKey) =>
    new ConnectError(`environment "${formatKey(key)}" is deletion-protected`, Code.FailedPrecondition),
  crossOrgClone: (source: EnvironmentKey, dest: EnvironmentKey) =>
    new ConnectError(`cannot clone "${formatKey(source)}" to another organization ("${dest.org}")`, Code.InvalidArgument),
  revisionTagsNeedHistory: () =>
    new ConnectError("preserving revision tags requires preserving history", Code.InvalidArgument),

  staleRevision: (base: number, latest: number) =>
    new ConnectError(`base revision ${base} is stale: latest is ${latest}`, Code.Aborted),
  revisionNotFound: (key: EnvironmentKey, revision: number) =>
    new ConnectError(`revision ${revision} of "${formatKey(key)}" not found`, Code.NotFound),
  sourceChangedDuringClone: (key: EnvironmentKey) =>
    new ConnectError(`"${formatKey(key)}" changed while it was being cloned: retry`, Code.Aborted),
  versionNotFound: (key: EnvironmentKey, version: string) =>
    new ConnectError(`version "${version}" of "${formatKey(key)}" not found`, Code.NotFound),
  revisionRetracted: (key: EnvironmentKey, revision: number, reason: string) =>
    new ConnectError(
      `revision ${revision} of "${formatKey(key)}" is retracted${reason === "" ? "" : `: ${reason}`}`,
      Code.FailedPrecondition,
    ),
  alreadyRetracted: (key: EnvironmentKey, revision: number) =>
    new ConnectError(`revision ${revision} of "${formatKey(key)}" is already retracted`, Code.FailedPrecondition),
  noReplacement: (key: EnvironmentKey, revision: number) =>
    new ConnectError(`revision ${revision} of "${formatKey(key)}" has no earlier revision to replace it`, Code.FailedPrecondition),
  selfReplacement: (revision: number) =>
    new ConnectError(`revision ${revision} cannot replace itself`, Code.InvalidArgument),

  revisionTagNotFound: (key: EnvironmentKey, name: string) =>
    new ConnectError(`revision tag "${name}" of "${formatKey(key)}" not found`, Code.NotFound),
  revisionTagExists: (key: EnvironmentKey, name: string) =>
    new ConnectError(`revision tag "${name}" of "${formatKey(key)}" already exists`, Code.AlreadyExists),
  latestTagReadOnly: () => new ConnectError(`revision tag "latest" is built in and read-only`, Code.FailedPrecondition),

  environmentTagNotFound: (key: EnvironmentKey, name: string) =>
    new ConnectError(`environment tag "${name}" of "${formatKey(key)}" not found`, Code.NotFound),
  environmentTagExists: (key: EnvironmentKey, name: string) =>
    new ConnectError(`environment tag "${name}" of "${formatKey(key)}" already exists`, Code.AlreadyExists),

  identityNotFound: (id: string) => new ConnectError(`identity "${id}" not found`, Code.NotFound),
  identityExists: (org: string, login: string) =>
    new ConnectError(`identity "${login}" already exists in organization "${org}"`, Code.AlreadyExists),
  tokenNotFound: (id: string) => new ConnectError(`token "${id}" not found`, Code.NotFound),
  tokenExists: (id: string) => new ConnectError(`token "${id}" already exists`, Code.AlreadyExists),

  invalidPageToken: () => new ConnectError("invalid page token", Code.InvalidArgument),
} as const;

/**
 * True for a unique/primary-key violation on either dialect (SQLite `SQLITE_CONSTRAINT_*`,
 * Postgres SQLSTATE 23505). Used to turn a lost insert race into AlreadyExists.
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== "object" || err === null || !("code" in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
