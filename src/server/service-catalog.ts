import type { DescFile, DescService } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import { file_grpc_health_v1_health, Health } from "../gen/grpc/health/v1/health_pb.js";
import * as reflectionV1 from "../gen/grpc/reflection/v1/reflection_pb.js";
import * as reflectionV1alpha from "../gen/grpc/reflection/v1alpha/reflection_pb.js";
import { EnvironmentService, file_openesc_v1_environment } from "../gen/openesc/v1/environment_pb.js";
import { EnvironmentTagService, file_openesc_v1_environment_tag } from "../gen/openesc/v1/environment_tag_pb.js";
import { IdentityService, file_openesc_v1_identity } from "../gen/openesc/v1/identity_pb.js";
import { OrganizationService, file_openesc_v1_organization } from "../gen/openesc/v1/organization_pb.js";
import { RevisionService, file_openesc_v1_revision } from "../gen/openesc/v1/revision_pb.js";
import { RevisionTagService, file_openesc_v1_revision_tag } from "../gen/openesc/v1/revision_tag_pb.js";
import { TokenService, file_openesc_v1_token } from "../gen/openesc/v1/token_pb.js";
import { OpenService, file_openesc_v1_open } from "../gen/openesc/v1/open_pb.js";
import { ProviderService, file_openesc_v1_provider } from "../gen/openesc/v1/provider_pb.js";
import { AuditService, file_openesc_v1_audit } from "../gen/openesc/v1/audit_pb.js";
import { MemberService, file_openesc_v1_member } from "../gen/openesc/v1/member_pb.js";
import { ServiceAccountService, file_openesc_v1_service_account } from "../gen/openesc/v1/service_account_pb.js";
import { TeamService, file_openesc_v1_team } from "../gen/openesc/v1/team_pb.js";
import { GrantService, file_openesc_v1_grant } from "../gen/openesc/v1/grant_pb.js";
import { TrustPolicyService, file_openesc_v1_trust_policy } from "../gen/openesc/v1/trust_policy_pb.js";
import { file_openesc_v1_value } from "../gen/openesc/v1/value_pb.js";
import { file_openesc_v1_diagnostic } from "../gen/openesc/v1/diagnostic_pb.js";
import { wrapService, type Pipeline } from "./rpc/pipeline.js";
import type { ServiceRegistration } from "./transport/grpc-js-server.js";
import type { ServiceDeps } from "./services/deps.js";
import { createEnvironmentService } from "./services/environment-service.js";
import { createEnvironmentTagService } from "./services/environment-tag-service.js";
import { createHealthService, type Readiness } from "./services/health-service.js";
import { createIdentityService } from "./services/identity-service.js";
import { createOrganizationService } from "./services/organization-service.js";
import { createReflectionServices } from "./services/reflection-service.js";
import { createRevisionService } from "./services/revision-service.js";
import { createRevisionTagService } from "./services/revision-tag-service.js";
import { createTokenService } from "./services/token-service.js";
import { createOpenService } from "./services/open-service.js";
import { createEvaluationCache } from "./cache/evaluation-cache.js";
import { createResolveCache } from "./cache/resolve-cache.js";
import { createProviderService } from "./services/provider-service.js";
import { createAuditService } from "./services/audit-service.js";
import { createBuiltinProviders } from "../providers/index.js";
import { createOidcVerifier } from "../auth/index.js";
import { createMemberService } from "./services/member-service.js";
import { createServiceAccountService } from "./services/service-account-service.js";
import { createTeamService } from "./services/team-service.js";
import { createGrantService } from "./services/grant-service.js";
import { createTrustPolicyService } from "./services/trust-policy-service.js";

/** Every proto file the server serves, for reflection. */
export const serverFiles: readonly DescFile[] = [
  file_openesc_v1_environment,
  file_openesc_v1_revision,
  file_openesc_v1_revision_tag,
  file_openesc_v1_environment_tag,
  file_openesc_v1_organization,
  file_openesc_v1_token,
  file_openesc_v1_identity,
  file_openesc_v1_diagnostic,
  file_openesc_v1_open,
  file_openesc_v1_member,
  file_openesc_v1_service_account,
  file_openesc_v1_team,
  file_openesc_v1_grant,
  file_openesc_v1_trust_policy,
  file_openesc_v1_provider,
  file_openesc_v1_audit,
  file_openesc_v1_value,
  file_grpc_health_v1_health,
  reflectionV1.file_grpc_reflection_v1_reflection,
  reflectionV1alpha.file_grpc_reflection_v1alpha_reflection,
];

/** The services of the public contract, in the order they are listed. */
export const contractServices: readonly DescService[] = [
  EnvironmentService,
  RevisionService,
  RevisionTagService,
  EnvironmentTagService,
  OrganizationService,
  TokenService,
  IdentityService,
  OpenService,
  MemberService,
  ServiceAccountService,
  TeamService,
  GrantService,
  TrustPolicyService,
  ProviderService,
  AuditService,
];

/** Builds every service, each wrapped in the pipeline; health and reflection need no token. */
export function createServiceRegistrations(deps: ServiceDeps, pipeline: Pipeline, readiness: Readiness): ServiceRegistration[] {
  const names = [
    ...contractServices.map((s) => s.typeName),
    Health.typeName,
    reflectionV1.ServerReflection.typeName,
    reflectionV1alpha.ServerReflection.typeName,
  ];
  const reflection = createReflectionServices(serverFiles, names);
  // Without a configured set (in-process tests), the built-ins with no OIDC issuer.
  const providers = deps.providers ?? createBuiltinProviders();
  const entry = <S extends DescService>(service: S, impl: Partial<ServiceImpl<S>>, isPublic = false): ServiceRegistration => ({
    service,
    impl: wrapService(service, impl, pipeline, { public: isPublic }) as unknown as ServiceImpl<DescService>,
  });
  return [
    entry(EnvironmentService, createEnvironmentService(deps)),
    entry(RevisionService, createRevisionService(deps)),
    entry(RevisionTagService, createRevisionTagService(deps)),
    entry(EnvironmentTagService, createEnvironmentTagService(deps)),
    entry(OrganizationService, createOrganizationService(deps)),
    entry(TokenService, createTokenService(deps)),
    entry(IdentityService, createIdentityService(deps)),
    entry(OpenService, createOpenService({ store: deps.store, sealer: deps.sealer, decrypterFor: (key) => deps.crypto.decrypterFor(key), onEvaluated: deps.onEvaluated, providersFor: (record) => providers.registry(record), providerTimeoutMs: providers.timeoutMs, evaluationCache: createEvaluationCache(), resolveCache: createResolveCache({ pinRevisions: (org, refs) => deps.store.environments.pinRevisions(org, refs), changes: deps.changes }) })),
    entry(ProviderService, createProviderService(providers)),
    entry(AuditService, createAuditService(deps)),
    entry(MemberService, createMemberService(deps)),
    entry(ServiceAccountService, createServiceAccountService(deps)),
    entry(TeamService, createTeamService(deps)),
    entry(GrantService, createGrantService(deps)),
    entry(TrustPolicyService, createTrustPolicyService(deps, createOidcVerifier({ allowHttpIssuers: deps.allowHttpIssuers ?? [] }), deps.allowHttpIssuers ?? [])),
    entry(Health, createHealthService(readiness, names), true),
    entry(reflectionV1.ServerReflection, reflection.v1, true),
    entry(reflectionV1alpha.ServerReflection, reflection.v1alpha, true),
  ];
}
