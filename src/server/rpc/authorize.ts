/**
 * The authorization step of the pipeline: looks the method's rule up (access-rules.ts), checks
 * every requirement against the caller's effective permissions (src/auth), and leaves an
 * AccessGuard in the call context for the checks a handler makes on what it finds (listing,
 * imports, tokens of other identities).
 */
import type { DescMethod } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextKey, type HandlerContext } from "@connectrpc/connect";
import { formatResource, isServerAdmin, permits, resourceKind, type Authorizer, type Permission, type PermissionLevel, type Principal, type Resource } from "../../auth/index.js";
import { accessRuleOf, type Requirement } from "./access-rules.js";
import { principalKey } from "./call-context.js";

/** A caller's permissions, for handlers. */
export interface AccessGuard {
  readonly principal: Principal;
  permissionOn(resource: Resource): Promise<PermissionLevel>;
  /** Throws NotFound (an environment below `read` when hidden, an organization the caller is not in) or PermissionDenied. */
  require(resource: Resource, permission: Permission, options?: { hidden?: boolean }): Promise<void>;
}

export const accessGuardKey = createContextKey<AccessGuard | undefined>(undefined, { description: "openesc access guard" });

/** The guard the pipeline left for this call; a broken invariant (no pipeline) throws. */
export function accessOf(ctx: HandlerContext): AccessGuard {
  const guard = ctx.values.get(accessGuardKey);
  if (guard === undefined) throw new Error(`no access guard for ${ctx.method.name}: the auth pipeline did not run`);
  return guard;
}

const denied = (message: string) => new ConnectError(`permission denied: ${message}`, Code.PermissionDenied);

/** The refusal of a resource the caller lacks `permission` on, given what it has. */
export function refusal(resource: Resource, permission: Permission, have: PermissionLevel, hidden: boolean): ConnectError {
  const kind = resourceKind(resource);
  if (hidden && kind === "environment" && !permits(have, "read")) {
    return new ConnectError(`environment "${formatResource(resource)}" not found`, Code.NotFound);
  }
  return denied(`needs "${permission}" on ${kind} "${formatResource(resource)}"`);
}

/** A guard over one caller. */
export function createAccessGuard(authorizer: Authorizer, principal: Principal): AccessGuard {
  const guard: AccessGuard = {
    principal,
    permissionOn: (resource) => authorizer.permissionOn(principal, resource),
    async require(resource, permission, options = {}) {
      const have = await guard.permissionOn(resource);
      if (permits(have, permission)) return;
      // Outside its own organization a caller learns nothing, not even that it exists.
      if (principal.org !== resource.org && !isServerAdmin(principal)) throw new ConnectError(`organization "${resource.org}" not found`, Code.NotFound);
      throw refusal(resource, permission, have, options.hidden ?? false);
    },
  };
  return guard;
}

const publicMethods = new WeakMap<DescMethod, boolean>();

/** True when the method needs no token (its rule is public whatever the request). */
export function isPublicMethod(method: DescMethod): boolean {
  let known = publicMethods.get(method);
  if (known === undefined) {
    const rule = accessRuleOf(method);
    try {
      known = rule !== undefined && rule({}, undefined).every((r) => r.kind === "public");
    } catch {
      known = false;
    }
    publicMethods.set(method, known);
  }
  return known;
}

/** Checks the method's rule for this call; throws the refusal. Needs the principal unless the rule is public. */
export async function authorize(method: DescMethod, input: unknown, ctx: HandlerContext, authorizer: Authorizer): Promise<void> {
  const rule = accessRuleOf(method);
  // A method without a rule is refused: denied is the default.
  if (rule === undefined) throw new ConnectError(`${method.parent.typeName}/${method.name} has no access rule`, Code.PermissionDenied);
  const principal = ctx.values.get(principalKey);
  const fields = typeof input === "object" && input !== null && !(Symbol.asyncIterator in input) ? (input as Readonly<Record<string, unknown>>) : {};
  const requirements = rule(fields, principal);
  if (requirements.every((r) => r.kind === "public")) return;
  if (principal === undefined) throw new ConnectError("missing authorization header: send `authorization: Bearer <token>`", Code.Unauthenticated);
  const guard = createAccessGuard(authorizer, principal);
  ctx.values.set(accessGuardKey, guard);
  for (const requirement of requirements) await check(requirement, guard);
}

async function check(r: Requirement, guard: AccessGuard): Promise<void> {
  const p = guard.principal;
  switch (r.kind) {
    case "public":
    case "authenticated":
      return;
    case "member":
      if (p.org !== r.org && !isServerAdmin(p)) throw new ConnectError(`organization "${r.org}" not found`, Code.NotFound);
      return;
    case "auditor":
      if (p.org === r.org && p.role === "auditor" && p.scope.resources.length === 0) return;
      if (permits(await guard.permissionOn({ org: r.org }), "admin")) return;
      if (p.org !== r.org && !isServerAdmin(p)) throw new ConnectError(`organization "${r.org}" not found`, Code.NotFound);
      throw denied(`needs the "auditor" or "admin" role in organization "${r.org}"`);
    case "server-admin":
      if (isServerAdmin(p) && p.scope.permission === undefined && p.scope.resources.length === 0) return;
      throw denied(`needs server admin (an admin of organization "default")`);
    case "permission":
      return guard.require(r.resource, r.permission, { hidden: r.hidden });
  }
}
