import { durationMs } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { exchangedLifetimeMs, issuerAllowed, mintToken, OidcRejection, trustRefusal, unverifiedIssuer, type OidcVerifier } from "../../auth/index.js";
import { TrustPolicyService } from "../../gen/openesc/v1/trust_policy_pb.js";
import { createTrustPolicyRepository, type TrustPolicyRecord } from "../../store/index.js";
import { toAccessToken, toTrustPolicy } from "../access/convert.js";
import { invalidField } from "../errors.js";
import { validateSegment } from "../validate.js";
import type { ServiceDeps } from "./deps.js";
import { scopeFromMessage } from "./token-service.js";

const MIN_LIFETIME_S = 60;
const MAX_LIFETIME_S = 12 * 3600;
const MAX_JWT_BYTES = 16 * 1024;

const rejected = (reason: string) => new ConnectError(`oidc token rejected: ${reason}`, Code.Unauthenticated);

/** openesc.v1.TrustPolicyService: trust policies, and exchanging OIDC tokens for short-lived API tokens. */
export function createTrustPolicyService(deps: ServiceDeps, verifier: OidcVerifier, allowHttpIssuers: readonly string[]): ServiceImpl<typeof TrustPolicyService> {
  const { store } = deps;
  const policies = createTrustPolicyRepository(store.db);
  return {
    async createTrustPolicy(req) {
      const p = req.policy;
      if (p === undefined) throw invalidField("policy", "is required");
      const org = validateSegment("policy.org", p.org);
      const name = validateSegment("policy.name", p.name);
      if (!issuerAllowed(p.issuer, allowHttpIssuers)) throw invalidField("policy.issuer", "must be an https URL (http only for issuers the server allows)");
      if (p.audience === "" || p.audience.length > 1000) throw invalidField("policy.audience", "is required (at most 1000 characters)");
      if (p.subjectPattern === "" || p.subjectPattern.length > 1000) throw invalidField("policy.subject_pattern", "is required (at most 1000 characters)");
      if (Object.keys(p.claimConditions).length > 50) throw invalidField("policy.claim_conditions", "at most 50 conditions");
      const lifetime = p.maxLifetime === undefined ? 3600 : durationMs(p.maxLifetime) / 1000;
      if (!Number.isInteger(lifetime) || lifetime < MIN_LIFETIME_S || lifetime > MAX_LIFETIME_S) throw invalidField("policy.max_lifetime", "must be whole seconds between 1 minute and 12 hours");
      const scope = scopeFromMessage("policy.scope", p.scope);
      const [kind, login] = p.identity.startsWith("user:") ? ["user", p.identity.slice(5)] : p.identity.startsWith("service-account:") ? ["service_account", p.identity.slice(16)] : ["", ""];
      if (kind === "") throw invalidField("policy.identity", "must be user:LOGIN or service-account:NAME");
      const identity = await store.identities.findIdentity(org, validateSegment("policy.identity", login));
      if (identity === undefined || identity.kind !== kind) throw new ConnectError(`identity "${p.identity}" not found in organization "${org}"`, Code.NotFound);
      await policies.create({
        org,
        name,
        issuer: p.issuer,
        audience: p.audience,
        subjectPattern: p.subjectPattern,
        claimConditions: { ...p.claimConditions },
        identityId: identity.id,
        maxLifetimeSeconds: lifetime,
        scopePermission: scope.permission ?? null,
        scopeResources: scope.resources,
      });
      const created = (await policies.list(org)).find((x) => x.name === name) as TrustPolicyRecord;
      return { policy: toTrustPolicy(created) };
    },
    async listTrustPolicies(req) {
      return { policies: (await policies.list(validateSegment("org", req.org))).map(toTrustPolicy) };
    },
    async deleteTrustPolicy(req) {
      await policies.delete(validateSegment("org", req.org), validateSegment("name", req.name));
      return {};
    },
    async exchangeToken(req) {
      const org = validateSegment("org", req.org);
      if (req.oidcToken === "" || req.oidcToken.length > MAX_JWT_BYTES) throw invalidField("oidc_token", `is required (at most ${MAX_JWT_BYTES} bytes)`);
      const requestedMs = req.lifetime === undefined ? undefined : durationMs(req.lifetime);
      if (requestedMs !== undefined && requestedMs < 1000) throw invalidField("lifetime", "must be at least 1s");
      const issuer = unverifiedIssuer(req.oidcToken);
      const candidates = (await policies.list(org)).filter((p) => p.issuer === issuer && (req.policy === "" || p.name === req.policy));
      if (issuer === undefined || candidates.length === 0) throw rejected(`no trust policy of organization "${org}" accepts its issuer`);
      let reason = "";
      for (const policy of candidates) {
        let claims;
        try {
          claims = await verifier.verify(req.oidcToken, { issuer: policy.issuer, audience: policy.audience });
        } catch (e) {
          if (!(e instanceof OidcRejection)) throw e;
          reason = e.message;
          continue;
        }
        const refusal = trustRefusal(policy, claims);
        if (refusal !== undefined) {
          reason = refusal;
          continue;
        }
        const now = Date.now();
        const ms = exchangedLifetimeMs(policy.maxLifetimeSeconds, requestedMs, claims.exp, now);
        if (ms < 1000) throw rejected("token expires too soon");
        const minted = mintToken();
        const scoped = policy.scopePermission !== null || policy.scopeResources.length > 0;
        const token = await store.identities.createToken({
          id: minted.id,
          identityId: policy.identityId,
          description: `oidc exchange: policy ${policy.name}`,
          secretHash: minted.secretHash,
          expiresAt: new Date(now + ms),
          ...(scoped ? { scope: { permission: policy.scopePermission, resources: policy.scopeResources } } : {}),
        });
        const identity = await store.identities.getIdentity(policy.identityId);
        return { token: toAccessToken(token, identity), secret: minted.secret, policy: policy.name };
      }
      throw rejected(reason);
    },
  };
}
