/**
 * The access rule of every RPC of the contract, in one table: what a caller needs before the
 * handler runs. The pipeline looks a method up here and refuses a method without a rule (the
 * authorization matrix test, test/access/matrix.test.ts, fails on one too). Rules read the request
 * only to name the resource; validating the names is the same function the handlers use.
 */
import type { DescMethod } from "@bufbuild/protobuf";
import { DEFAULT_ORG, type Permission, type Principal, type Resource } from "../../auth/index.js";
import { invalidField } from "../errors.js";
import { validateSegment } from "../validate.js";

/** What one call needs. A rule returns one or more; all must hold. */
export type Requirement =
  /** No token at all (health, reflection, OIDC token exchange). */
  | { readonly kind: "public" }
  /** Any valid token; the handler shows only what the caller may see. */
  | { readonly kind: "authenticated" }
  /** The caller belongs to the organization (server admins belong to every one). */
  | { readonly kind: "member"; readonly org: string }
  /** Organization role `auditor`, or `admin` on the organization. */
  | { readonly kind: "auditor"; readonly org: string }
  /** An admin of organization `default`. */
  | { readonly kind: "server-admin" }
  /**
   * A permission on a resource. `hidden`: a caller below `read` is told the environment does not
   * exist (NotFound), so that nothing leaks about environments it cannot read.
   */
  | { readonly kind: "permission"; readonly permission: Permission; readonly resource: Resource; readonly hidden: boolean };

/** Request fields the rules read. */
type Fields = Readonly<Record<string, unknown>>;
/** A rule: the requirements of one call, from its request and caller. */
export type AccessRule = (request: Fields, principal: Principal | undefined) => readonly Requirement[];

const text = (req: Fields, field: string): string => (typeof req[field] === "string" ? (req[field] as string) : "");
const PUBLIC: AccessRule = () => [{ kind: "public" }];
const AUTHENTICATED: AccessRule = () => [{ kind: "authenticated" }];

function environmentOf(req: Fields): Resource {
  return {
    org: validateSegment("org", text(req, "org")),
    project: validateSegment("project", text(req, "project")),
    environment: validateSegment("environment", text(req, "environment")),
  };
}

/** The request's org, or the caller's when empty. */
function orgOf(req: Fields, principal: Principal | undefined, field = "org"): string {
  const org = text(req, field);
  return org === "" ? (principal?.org ?? DEFAULT_ORG) : validateSegment(field, org);
}

/** Needs `permission` on the environment the request names (hidden below read). */
const onEnvironment =
  (permission: Permission, revealNeeds?: Permission): AccessRule =>
  (req) => [{ kind: "permission", permission: revealNeeds !== undefined && req["reveal"] === true ? revealNeeds : permission, resource: environmentOf(req), hidden: true }];

const orgAdmin =
  (field = "org"): AccessRule =>
  (req, p) => [{ kind: "permission", permission: "admin", resource: { org: orgOf(req, p, field) }, hidden: false }];

const orgMember =
  (field = "org"): AccessRule =>
  (req, p) => [{ kind: "member", org: orgOf(req, p, field) }];

/** The resource a grant request names: org, org/project or org/project/environment. */
export function grantResourceOf(req: Fields, principal: Principal | undefined): Resource {
  const org = orgOf(req, principal);
  const project = text(req, "project");
  const environment = text(req, "environment");
  if (project === "") {
    if (environment !== "") throw invalidField("project", "is required with an environment");
    return { org };
  }
  validateSegment("project", project);
  return environment === "" ? { org, project } : { org, project, environment: validateSegment("environment", environment) };
}

/** True when a grant subject names the caller itself (its identity or its token). */
const isOwnSubject = (principal: Principal | undefined, subject: string): boolean =>
  principal !== undefined && (subject === `${principal.kind === "user" ? "user" : "service-account"}:${principal.login}` || subject === `token:${principal.tokenId}`);

/** Every rule, by `package.Service/Method`. */
export const ACCESS_RULES: Readonly<Record<string, AccessRule>> = {
  // Environments: read < open < write < admin on the environment (README "Access control").
  "openesc.v1.EnvironmentService/CreateEnvironment": (req) => [{ kind: "permission", permission: "write", resource: environmentOf(req), hidden: false }],
  "openesc.v1.EnvironmentService/GetEnvironment": onEnvironment("read", "open"),
  "openesc.v1.EnvironmentService/UpdateEnvironment": onEnvironment("write"),
  "openesc.v1.EnvironmentService/DeleteEnvironment": onEnvironment("admin"),
  "openesc.v1.EnvironmentService/ListEnvironments": AUTHENTICATED,
  "openesc.v1.EnvironmentService/CloneEnvironment": (req) => {
    const source = environmentOf(req);
    const destProject = text(req, "destProject");
    const dest: Resource = {
      org: source.org,
      project: destProject === "" ? (source.project as string) : validateSegment("dest_project", destProject),
      environment: validateSegment("dest_environment", text(req, "destEnvironment")),
    };
    return [
      { kind: "permission", permission: req["preserveAccess"] === true ? "admin" : "write", resource: source, hidden: true },
      { kind: "permission", permission: req["preserveAccess"] === true ? "admin" : "write", resource: dest, hidden: false },
    ];
  },
  "openesc.v1.EnvironmentService/GetEnvironmentSettings": onEnvironment("read"),
  "openesc.v1.EnvironmentService/UpdateEnvironmentSettings": onEnvironment("admin"),
  // Imports are checked as they load (import-access.ts): read each, or open each with reveal.
  "openesc.v1.EnvironmentService/CheckEnvironment": onEnvironment("read", "open"),
  "openesc.v1.RevisionService/ListRevisions": onEnvironment("read"),
  "openesc.v1.RevisionService/GetRevision": onEnvironment("read", "open"),
  "openesc.v1.RevisionService/RetractRevision": onEnvironment("write"),
  "openesc.v1.RevisionService/RollbackEnvironment": onEnvironment("write"),
  "openesc.v1.RevisionTagService/CreateRevisionTag": onEnvironment("write"),
  "openesc.v1.RevisionTagService/GetRevisionTag": onEnvironment("read"),
  "openesc.v1.RevisionTagService/UpdateRevisionTag": onEnvironment("write"),
  "openesc.v1.RevisionTagService/DeleteRevisionTag": onEnvironment("write"),
  "openesc.v1.RevisionTagService/ListRevisionTags": onEnvironment("read"),
  "openesc.v1.EnvironmentTagService/SetEnvironmentTag": onEnvironment("write"),
  "openesc.v1.EnvironmentTagService/GetEnvironmentTag": onEnvironment("read"),
  "openesc.v1.EnvironmentTagService/RenameEnvironmentTag": onEnvironment("write"),
  "openesc.v1.EnvironmentTagService/DeleteEnvironmentTag": onEnvironment("write"),
  "openesc.v1.EnvironmentTagService/ListEnvironmentTags": onEnvironment("read"),
  // Opening: `open` on the environment here, and on every import as it loads (import-access.ts).
  "openesc.v1.OpenService/OpenEnvironment": onEnvironment("open"),
  "openesc.v1.OpenService/ReadOpenEnvironment": onEnvironment("open"),
  "openesc.v1.OpenService/ResolveEnvironment": onEnvironment("open"),
  "openesc.v1.OpenService/ResolveAnonymousEnvironment": orgMember(),

  // Organizations.
  "openesc.v1.OrganizationService/CreateOrganization": () => [{ kind: "server-admin" }],
  "openesc.v1.OrganizationService/GetOrganization": orgMember("name"),
  "openesc.v1.OrganizationService/ListOrganizations": AUTHENTICATED,
  "openesc.v1.OrganizationService/GetOrganizationSettings": orgMember(),
  "openesc.v1.OrganizationService/UpdateOrganizationSettings": orgAdmin(),
  "openesc.v1.MemberService/CreateMember": orgAdmin(),
  "openesc.v1.MemberService/ListMembers": orgMember(),
  "openesc.v1.MemberService/UpdateMemberRole": orgAdmin(),
  "openesc.v1.MemberService/RemoveMember": orgAdmin(),
  "openesc.v1.ServiceAccountService/CreateServiceAccount": orgAdmin(),
  "openesc.v1.ServiceAccountService/ListServiceAccounts": orgMember(),
  "openesc.v1.ServiceAccountService/DeleteServiceAccount": orgAdmin(),
  "openesc.v1.TeamService/CreateTeam": orgAdmin(),
  "openesc.v1.TeamService/ListTeams": orgMember(),
  "openesc.v1.TeamService/DeleteTeam": orgAdmin(),
  "openesc.v1.TeamService/AddTeamMember": orgAdmin(),
  "openesc.v1.TeamService/RemoveTeamMember": orgAdmin(),
  "openesc.v1.TeamService/ListTeamMembers": orgMember(),

  // Grants: `admin` on the resource the grant is on.
  "openesc.v1.GrantService/SetGrant": (req, p) => [{ kind: "permission", permission: "admin", resource: grantResourceOf(req, p), hidden: false }],
  "openesc.v1.GrantService/RemoveGrant": (req, p) => [{ kind: "permission", permission: "admin", resource: grantResourceOf(req, p), hidden: false }],
  "openesc.v1.GrantService/ListGrants": (req, p) =>
    isOwnSubject(p, text(req, "subject")) && text(req, "project") === "" ? [{ kind: "member", org: orgOf(req, p) }] : [{ kind: "permission", permission: "admin", resource: grantResourceOf(req, p), hidden: false }],

  // Tokens: the handler decides per token (own tokens, or an org admin's).
  "openesc.v1.TokenService/CreateToken": (req, p) =>
    text(req, "user") === "" && text(req, "serviceAccount") === "" && (text(req, "org") === "" || text(req, "org") === p?.org)
      ? [{ kind: "authenticated" }]
      : [{ kind: "permission", permission: "admin", resource: { org: orgOf(req, p) }, hidden: false }],
  "openesc.v1.TokenService/ListTokens": AUTHENTICATED,
  "openesc.v1.TokenService/RevokeToken": AUTHENTICATED,
  "openesc.v1.IdentityService/WhoAmI": AUTHENTICATED,
  "openesc.v1.TrustPolicyService/CreateTrustPolicy": (req, p) => {
    const policy = (req["policy"] ?? {}) as Fields;
    return [{ kind: "permission", permission: "admin", resource: { org: orgOf(policy, p) }, hidden: false }];
  },
  "openesc.v1.TrustPolicyService/ListTrustPolicies": orgAdmin(),
  "openesc.v1.TrustPolicyService/DeleteTrustPolicy": orgAdmin(),
  // The OIDC token is the credential; the handler verifies it.
  "openesc.v1.TrustPolicyService/ExchangeToken": PUBLIC,

  // Providers: their names and schemas are no secret to any caller.
  "openesc.v1.ProviderService/ListProviders": AUTHENTICATED,
  "openesc.v1.ProviderService/GetProviderSchema": AUTHENTICATED,

  // The audit log: organization auditors and admins; the system chain (org "") server admins.
  "openesc.v1.AuditService/ListAuditEvents": auditRule,
  "openesc.v1.AuditService/VerifyAuditLog": auditRule,
  "openesc.v1.AuditService/ExportAuditEvents": auditRule,

  // Health and reflection describe the server, never its data.
  "grpc.health.v1.Health/Check": PUBLIC,
  "grpc.health.v1.Health/Watch": PUBLIC,
  "grpc.reflection.v1.ServerReflection/ServerReflectionInfo": PUBLIC,
  "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo": PUBLIC,
};

function auditRule(req: Fields): readonly Requirement[] {
  const org = text(req, "org");
  return org === "" ? [{ kind: "server-admin" }] : [{ kind: "auditor", org: validateSegment("org", org) }];
}

/** The rule of a method; undefined when the table has none (the pipeline then refuses the call). */
export function accessRuleOf(method: DescMethod): AccessRule | undefined {
  return ACCESS_RULES[`${method.parent.typeName}/${method.name}`];
}
