import { DEFAULT_ORG } from "./bootstrap.js";
import { higher, lower, type Permission, type PermissionLevel } from "./permission.js";
import type { Principal } from "./principal.js";
import type { Resource } from "./resource.js";
import { scopeReaches } from "./token-scope.js";

/** A grant that applies to the caller (its own, a team's, its token's); "" means "every". */
export interface GrantFact {
  readonly project: string;
  readonly environment: string;
  readonly permission: Permission;
}

/** What decides a caller's permissions in its organization, loaded once per caller and cached. */
export interface AccessFacts {
  /** The organization's default permission for members, on every project and environment. */
  readonly defaultPermission: PermissionLevel;
  readonly grants: readonly GrantFact[];
}

/** True for an admin of organization `default`: the server's operators, admins of every organization. */
export function isServerAdmin(principal: Principal): boolean {
  return principal.org === DEFAULT_ORG && principal.role === "admin";
}

function applies(grant: GrantFact, resource: Resource): boolean {
  if (grant.project === "") return true;
  if (grant.project !== resource.project) return false;
  return grant.environment === "" || grant.environment === resource.environment;
}

/**
 * The caller's effective permission on a resource: organization admins have `admin`; members the
 * highest of the organization's default (on projects and environments) and every grant that
 * applies; the result is capped by the token's scope (ceiling, then resource list).
 */
export function effectivePermission(principal: Principal, facts: AccessFacts, resource: Resource): PermissionLevel {
  let level: PermissionLevel = "none";
  if (isServerAdmin(principal) || (principal.org === resource.org && principal.role === "admin")) {
    level = "admin";
  } else if (principal.org === resource.org) {
    if (resource.project !== undefined) level = facts.defaultPermission;
    for (const grant of facts.grants) if (applies(grant, resource)) level = higher(level, grant.permission);
  }
  if (!scopeReaches(principal.scope, principal.org, resource)) return "none";
  return principal.scope.permission === undefined ? level : lower(level, principal.scope.permission);
}
