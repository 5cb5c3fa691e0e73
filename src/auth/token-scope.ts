import type { Permission } from "./permission.js";
import { parsePermission } from "./permission.js";
import type { Resource } from "./resource.js";

/**
 * A token's scope: a ceiling on its permission, and optionally the only projects (`project`) and
 * environments (`project/env`) of its organization it reaches. An empty scope narrows nothing.
 */
export interface TokenScope {
  readonly permission?: Permission;
  readonly resources: readonly string[];
}

export const UNSCOPED: TokenScope = { resources: [] };

const SEGMENT = /^[A-Za-z0-9_.-]{1,100}$/;

/** True when the scope narrows anything. */
export function isScoped(scope: TokenScope): boolean {
  return scope.permission !== undefined || scope.resources.length > 0;
}

/** Checks a scope's parts; returns the problem (naming the part) or undefined. */
export function scopeProblem(permission: string, resources: readonly string[]): string | undefined {
  if (permission !== "" && parsePermission(permission) === undefined) return `permission "${permission}" must be read, open, write or admin`;
  if (resources.length > 100) return "at most 100 resources";
  for (const r of resources) {
    const parts = r.split("/");
    if (parts.length > 2 || !parts.every((p) => SEGMENT.test(p))) return `resource "${r}" must be "project" or "project/environment"`;
  }
  return undefined;
}

/** Builds a scope from validated parts (see scopeProblem). */
export function toTokenScope(permission: string, resources: readonly string[]): TokenScope {
  const p = parsePermission(permission);
  return { ...(p === undefined ? {} : { permission: p }), resources: [...new Set(resources)].sort() };
}

/**
 * True when the scope's resource list reaches `resource` of the token's own organization. A
 * restricted token reaches no organization-wide resource and no other organization.
 */
export function scopeReaches(scope: TokenScope, tokenOrg: string, resource: Resource): boolean {
  if (scope.resources.length === 0) return true;
  if (resource.org !== tokenOrg || resource.project === undefined) return false;
  return scope.resources.some((r) => {
    const [project, environment] = r.split("/");
    return project === resource.project && (environment === undefined || environment === resource.environment);
  });
}

/** True when `inner` narrows at least as much as `outer` (a token may only mint tokens inside its own scope). */
export function scopeWithin(inner: TokenScope, outer: TokenScope): boolean {
  if (outer.permission !== undefined) {
    if (inner.permission === undefined) return false;
    const order = ["read", "open", "write", "admin"];
    if (order.indexOf(inner.permission) > order.indexOf(outer.permission)) return false;
  }
  if (outer.resources.length === 0) return true;
  if (inner.resources.length === 0) return false;
  return inner.resources.every((r) => {
    const [project, environment] = r.split("/");
    return outer.resources.some((o) => {
      const [op, oe] = o.split("/");
      return op === project && (oe === undefined || oe === environment);
    });
  });
}

/** The narrower of a requested scope and an enforced one, for tokens minted by a scoped caller. */
export function intersectScope(requested: TokenScope, enforced: TokenScope): TokenScope | undefined {
  if (!isScoped(requested)) return enforced;
  return scopeWithin(requested, enforced) ? requested : undefined;
}
