/** Access records → proto messages. */
import { create } from "@bufbuild/protobuf";
import { durationFromMs, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { GrantSchema, type Grant } from "../../gen/openesc/v1/grant_pb.js";
import { MemberSchema, type Member } from "../../gen/openesc/v1/member_pb.js";
import { ServiceAccountSchema, type ServiceAccount } from "../../gen/openesc/v1/service_account_pb.js";
import { TeamSchema, type Team } from "../../gen/openesc/v1/team_pb.js";
import { TokenSchema, TokenScopeSchema, type Token, type TokenScope } from "../../gen/openesc/v1/token_pb.js";
import { TrustPolicySchema, type TrustPolicy } from "../../gen/openesc/v1/trust_policy_pb.js";
import type { GrantRecord, IdentityRecord, TeamRecord, TokenRecord, TrustPolicyRecord } from "../../store/index.js";
import { identitySubject } from "./subjects.js";

export function toScope(permission: string | null, resources: readonly string[]): TokenScope | undefined {
  if ((permission === null || permission === "") && resources.length === 0) return undefined;
  return create(TokenScopeSchema, { permission: permission ?? "", resources: [...resources] });
}

export function toAccessToken(record: TokenRecord, identity: Pick<IdentityRecord, "login" | "org" | "kind">): Token {
  return create(TokenSchema, {
    id: record.id,
    description: record.description,
    identity: identity.login,
    org: identity.org,
    identityKind: identity.kind,
    createTime: timestampFromDate(record.createdAt),
    expireTime: record.expiresAt === null ? undefined : timestampFromDate(record.expiresAt),
    revokeTime: record.revokedAt === null ? undefined : timestampFromDate(record.revokedAt),
    lastUseTime: record.lastUsedAt === null ? undefined : timestampFromDate(record.lastUsedAt),
    scope: toScope(record.scopePermission, record.scopeResources),
  });
}

export function toMember(identity: IdentityRecord): Member {
  return create(MemberSchema, { org: identity.org, login: identity.login, role: identity.role, createTime: timestampFromDate(identity.createdAt) });
}

export function toServiceAccount(identity: IdentityRecord): ServiceAccount {
  return create(ServiceAccountSchema, { org: identity.org, name: identity.login, createTime: timestampFromDate(identity.createdAt) });
}

export function toTeam(team: TeamRecord): Team {
  return create(TeamSchema, { org: team.org, name: team.name, description: team.description, createTime: timestampFromDate(team.createdAt), members: [...team.members] });
}

export function toGrant(grant: GrantRecord, subject: string): Grant {
  return create(GrantSchema, {
    org: grant.org,
    subject,
    project: grant.project,
    environment: grant.environment,
    permission: grant.permission,
    updateTime: timestampFromDate(grant.updatedAt),
    editor: grant.editor,
  });
}

export function toTrustPolicy(p: TrustPolicyRecord): TrustPolicy {
  return create(TrustPolicySchema, {
    org: p.org,
    name: p.name,
    issuer: p.issuer,
    audience: p.audience,
    subjectPattern: p.subjectPattern,
    claimConditions: { ...p.claimConditions },
    identity: identitySubject({ kind: p.identityKind === "user" ? "user" : "service_account", login: p.identityLogin }),
    maxLifetime: durationFromMs(p.maxLifetimeSeconds * 1000),
    scope: toScope(p.scopePermission, p.scopeResources),
    createTime: timestampFromDate(p.createdAt),
  });
}
