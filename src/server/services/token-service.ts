import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { TokenService, type TokenScope as TokenScopeMessage } from "../../gen/openesc/v1/token_pb.js";
import { intersectScope, isScoped, mintToken, permits, scopeProblem, toTokenScope, UNSCOPED, type TokenScope } from "../../auth/index.js";
import type { IdentityRecord, Store } from "../../store/index.js";
import { toAccessToken } from "../access/convert.js";
import { invalidField } from "../errors.js";
import { accessOf } from "../rpc/authorize.js";
import { pageRequestOf, validateSegment } from "../validate.js";
import type { ServiceDeps } from "./deps.js";
import { roleOf } from "../access/roles.js";

const MAX_TTL_SECONDS = 10n * 365n * 24n * 3600n;

/** Validates a scope message; UNSCOPED when absent. */
export function scopeFromMessage(field: string, scope: TokenScopeMessage | undefined): TokenScope {
  if (scope === undefined) return UNSCOPED;
  const problem = scopeProblem(scope.permission, scope.resources);
  if (problem !== undefined) throw invalidField(field, problem);
  return toTokenScope(scope.permission, scope.resources);
}

/** The token's scope given the caller's own: a scoped caller mints only inside its scope. */
export function narrowedScope(requested: TokenScope, callerScope: TokenScope): TokenScope {
  const scope = intersectScope(requested, callerScope);
  if (scope === undefined) throw new ConnectError("permission denied: a scoped token can only create tokens inside its own scope", Code.PermissionDenied);
  return scope;
}

/** The identity a CreateToken request names (the caller's when it names none); creates a missing user. */
async function targetIdentity(store: Store, ctx: HandlerContext, req: { org: string; user: string; serviceAccount: string; role: string }): Promise<IdentityRecord> {
  const principal = accessOf(ctx).principal;
  if (req.user !== "" && req.serviceAccount !== "") throw invalidField("user", "give either user or service_account, not both");
  const org = req.org === "" ? principal.org : validateSegment("org", req.org);
  if (req.user === "" && req.serviceAccount === "") {
    if (org !== principal.org) throw invalidField("user", "is required for a token in another organization");
    return store.identities.getIdentity(principal.identityId);
  }
  if (req.serviceAccount !== "") {
    const name = validateSegment("service_account", req.serviceAccount);
    const found = await store.identities.findIdentity(org, name);
    if (found === undefined || found.kind !== "service_account") throw new ConnectError(`service account "${name}" not found in organization "${org}"`, Code.NotFound);
    return found;
  }
  const login = validateSegment("user", req.user);
  const role = roleOf("role", req.role, "member");
  const found = await store.identities.findIdentity(org, login);
  if (found !== undefined) {
    if (found.kind !== "user") throw new ConnectError(`"${login}" is a service account: use service_account`, Code.FailedPrecondition);
    return found;
  }
  await store.organizations.get(org);
  return store.identities.createIdentity({ org, login, kind: "user", role });
}

/** openesc.v1.TokenService: API tokens; secrets shown once, stored hashed. */
export function createTokenService(deps: ServiceDeps): ServiceImpl<typeof TokenService> {
  const { store } = deps;
  return {
    async createToken(req, ctx) {
      const principal = accessOf(ctx).principal;
      if (req.ttlSeconds < 0n || req.ttlSeconds > MAX_TTL_SECONDS) throw invalidField("ttl_seconds", "must be between 0 (never expires) and 10 years");
      if (req.description.length > 200) throw invalidField("description", "must be at most 200 characters");
      if (req.role !== "" && req.user === "") throw invalidField("role", "applies only to a user created with the token");
      const requested = scopeFromMessage("scope", req.scope);
      const scope = narrowedScope(requested, principal.scope);
      const identity = await targetIdentity(store, ctx, req);
      const minted = mintToken();
      const expiresAt = req.ttlSeconds === 0n ? null : new Date(Date.now() + Number(req.ttlSeconds) * 1000);
      const token = await store.identities.createToken({
        id: minted.id,
        identityId: identity.id,
        description: req.description,
        secretHash: minted.secretHash,
        expiresAt,
        ...(isScoped(scope) ? { scope: { permission: scope.permission ?? null, resources: scope.resources } } : {}),
      });
      return { token: toAccessToken(token, identity), secret: minted.secret };
    },
    async listTokens(req, ctx) {
      const access = accessOf(ctx);
      const principal = access.principal;
      // Organization admins see every token of the organization; others their own.
      const all = permits(await access.permissionOn({ org: principal.org }), "admin");
      const page = await store.identities.listTokens({
        org: principal.org,
        ...(all ? {} : { identityId: principal.identityId }),
        includeInactive: req.includeInactive,
        now: new Date(),
        ...pageRequestOf(req),
      });
      const kinds = new Map<string, IdentityRecord>();
      const tokens = [];
      for (const t of page.items) {
        let identity = kinds.get(t.identityId);
        if (identity === undefined) kinds.set(t.identityId, (identity = await store.identities.getIdentity(t.identityId)));
        tokens.push(toAccessToken(t, identity));
      }
      return { tokens, nextPageToken: page.nextPageToken };
    },
    async revokeToken(req, ctx) {
      const access = accessOf(ctx);
      if (!/^[0-9a-f]{16}$/.test(req.id)) throw invalidField("id", "must be a token id (16 hex digits)");
      const found = await store.identities.findToken(req.id);
      // Tokens of other organizations do not exist for the caller.
      if (found === undefined || (found.identity.org !== access.principal.org && !permits(await access.permissionOn({ org: found.identity.org }), "admin"))) {
        throw new ConnectError(`token "${req.id}" not found`, Code.NotFound);
      }
      if (found.identity.id !== access.principal.identityId) await access.require({ org: found.identity.org }, "admin");
      const token = await store.identities.revokeToken(req.id, new Date());
      deps.authenticator.forget(req.id);
      deps.authorizer.invalidate();
      return { token: toAccessToken(token, found.identity) };
    },
  };
}
