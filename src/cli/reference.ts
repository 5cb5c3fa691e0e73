/** The default project of one-part references (`cli.md` "Environment references"). */
export const DEFAULT_PROJECT = "default";
/** The org used when neither the reference nor the login names one. */
export const DEFAULT_ORG = "default";

/** A parsed `[org/][project/]env[@version]`. */
export interface EnvironmentRef {
  readonly org: string;
  readonly project: string;
  readonly environment: string;
  /** A revision number, a revision tag or `latest`; undefined when the reference has none. */
  readonly version?: string;
}

const SEGMENT = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Parses an environment reference: three parts are org/project/env, two are project/env in
 * `defaultOrg`, one is env in project `default`. Returns `{error}` (a one-line message) on bad input.
 */
export function parseReference(text: string, defaultOrg: string): { value: EnvironmentRef } | { error: string } {
  const at = text.indexOf("@");
  const path = at < 0 ? text : text.slice(0, at);
  const version = at < 0 ? undefined : text.slice(at + 1);
  if (version !== undefined) {
    if (version === "") return { error: `invalid reference "${text}": empty version after "@"` };
    if (!SEGMENT.test(version)) return { error: `invalid reference "${text}": invalid version "${version}"` };
  }
  const parts = path.split("/");
  if (parts.length > 3) return { error: `invalid reference "${text}": expected [org/][project/]env[@version]` };
  for (const part of parts) {
    if (part === "") return { error: `invalid reference "${text}": expected [org/][project/]env[@version]` };
    if (!SEGMENT.test(part)) {
      return { error: `invalid reference "${text}": "${part}" may hold only letters, digits, "-", "_" and "." (1–100)` };
    }
  }
  const [org, project, environment] =
    parts.length === 3
      ? (parts as [string, string, string])
      : parts.length === 2
        ? [defaultOrg, parts[0] as string, parts[1] as string]
        : [defaultOrg, DEFAULT_PROJECT, parts[0] as string];
  return { value: version === undefined ? { org, project, environment } : { org, project, environment, version } };
}

/** `org/project/env`, with `@version` when the reference has one and `withVersion` is set. */
export function formatReference(ref: EnvironmentRef, withVersion = false): string {
  const name = `${ref.org}/${ref.project}/${ref.environment}`;
  return withVersion && ref.version !== undefined ? `${name}@${ref.version}` : name;
}

/** Whether a version names a revision number (`12`) rather than a tag. */
export function isRevisionNumber(version: string): boolean {
  return /^[1-9][0-9]{0,17}$/.test(version);
}

/** The request fields that name an environment. */
export function refKey(ref: EnvironmentRef): { org: string; project: string; environment: string } {
  return { org: ref.org, project: ref.project, environment: ref.environment };
}
