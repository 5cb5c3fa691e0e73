import { Code } from "@connectrpc/connect";
import { InvalidError } from "./errors.js";

/** Names an environment and, optionally, a version (a revision number, a revision tag or `latest`). */
export interface EnvironmentRef {
  readonly org: string;
  readonly project: string;
  readonly environment: string;
  /** Empty means the latest revision. */
  readonly version: string;
}

const SEGMENT = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * Parses `org/project/env`, `org/project/env@12` or `org/project/env@stable`; `project/env` takes
 * `defaultOrg` when one is given. An EnvironmentRef object passes through. Throws InvalidError.
 */
export function parseEnvironmentRef(ref: string | EnvironmentRef, defaultOrg?: string): EnvironmentRef {
  if (typeof ref !== "string") return ref;
  const at = ref.indexOf("@");
  const name = at < 0 ? ref : ref.slice(0, at);
  const version = at < 0 ? "" : ref.slice(at + 1);
  const parts = name.split("/");
  if (parts.length === 2 && defaultOrg !== undefined) parts.unshift(defaultOrg);
  const [org, project, environment] = parts;
  if (parts.length !== 3 || org === undefined || project === undefined || environment === undefined) {
    throw new InvalidError(`invalid environment reference "${ref}": expected org/project/environment[@version]`, Code.InvalidArgument);
  }
  for (const segment of parts) {
    if (!SEGMENT.test(segment)) {
      throw new InvalidError(`invalid environment reference "${ref}": "${segment}" must be 1-100 letters, digits, '-', '_' or '.'`, Code.InvalidArgument);
    }
  }
  if (at >= 0 && version === "") throw new InvalidError(`invalid environment reference "${ref}": empty version after "@"`, Code.InvalidArgument);
  return { org, project, environment, version };
}

/** `org/project/env` or `org/project/env@version`. */
export function formatEnvironmentRef(ref: EnvironmentRef): string {
  const name = `${ref.org}/${ref.project}/${ref.environment}`;
  return ref.version === "" ? name : `${name}@${ref.version}`;
}
