/**
 * @openesc/sdk — TypeScript client for OpenESC.
 *
 * Re-exports the messages and service descriptors generated from `proto/openesc/v1` (protoc-gen-es v2).
 * Use them with `createClient` from `@connectrpc/connect` and a transport from `@connectrpc/connect-node`.
 * Every file under `src/gen/openesc/v1` must be listed here (the contract test checks it).
 */
export * from "./gen/openesc/v1/audit_pb.js";
export * from "./gen/openesc/v1/diagnostic_pb.js";
export * from "./gen/openesc/v1/environment_pb.js";
export * from "./gen/openesc/v1/environment_tag_pb.js";
export * from "./gen/openesc/v1/grant_pb.js";
export * from "./gen/openesc/v1/identity_pb.js";
export * from "./gen/openesc/v1/member_pb.js";
export * from "./gen/openesc/v1/open_pb.js";
export * from "./gen/openesc/v1/organization_pb.js";
export * from "./gen/openesc/v1/provider_pb.js";
export * from "./gen/openesc/v1/revision_pb.js";
export * from "./gen/openesc/v1/revision_tag_pb.js";
export * from "./gen/openesc/v1/service_account_pb.js";
export * from "./gen/openesc/v1/team_pb.js";
export * from "./gen/openesc/v1/token_pb.js";
export * from "./gen/openesc/v1/trust_policy_pb.js";
export * from "./gen/openesc/v1/value_pb.js";

// The client (hand-written); the browser build swaps platform.js for platform-web.js.
export { createOpenEscClient } from "./create-client.js";
export { createOpenEscClientOver } from "./client.js";
export type { OpenEscClient, OpenEscClientCore, OpenEscCallOptions, OpenSession, OpenSessionOptions } from "./client.js";
export type { OpenEscClientOptions } from "./options.js";
export type { RetryOptions } from "./retry.js";
export { createRetryInterceptor } from "./retry.js";
export type { OpenedEnvironment, ProjectedText } from "./opened-environment.js";
export { parseEnvironmentRef, formatEnvironmentRef } from "./environment-ref.js";
export type { EnvironmentRef } from "./environment-ref.js";
export { parsePropertyPath, valueAtPath } from "./property-path.js";
export type { PropertyPath } from "./property-path.js";
export { fromValue } from "./value.js";
export type { EscValue, EscObject } from "./value.js";
export { Secret, isSecret, reveal, REDACTED } from "./secret.js";
export type { PlainValue } from "./secret.js";
export {
  OpenEscError,
  NotFoundError,
  PermissionDeniedError,
  UnauthenticatedError,
  ConflictError,
  InvalidError,
  TimeoutError,
  CancelledError,
  UnavailableError,
  toOpenEscError,
} from "./errors.js";
