/**
 * The store module's front door: domain records, repository interfaces, `openStore`, the dialect
 * factory and the migration helpers. Anything not listed here is private to src/store.
 */

// Opening a store and running transactions.
export { openStore } from "./open-store.js";
export type { OpenStoreOptions, Store } from "./open-store.js";

// The seams and the records they return.
export type { EnvironmentRepository, IdentityRepository, OrganizationRepository } from "./repositories.js";
export type {
  EnvironmentKey,
  EnvironmentRecord,
  EnvironmentTagRecord,
  IdentityKind,
  IdentityRecord,
  OrganizationRecord,
  OrgRole,
  Page,
  PageRequest,
  RevisionPin,
  RevisionRecord,
  RevisionRef,
  RevisionTagRecord,
  TokenRecord,
} from "./types.js";

// Repositories over a kysely handle (the database or a transaction), for callers that hold one.
export { createEnvironmentRepository } from "./environment-repository.js";
export { createOrganizationRepository } from "./organization-repository.js";
export { createIdentityRepository, TOKEN_TOUCH_INTERVAL_MS } from "./identity-repository.js";
export { inTransaction } from "./repository-context.js";
export { createSessionRepository } from "./session-repository.js";
export type { SessionRecord, SessionRepository } from "./session-repository.js";
export { createOidcKeyRepository } from "./oidc-key-repository.js";
export type { NewOidcKey, OidcKeyRecord, OidcKeyRepository } from "./oidc-key-repository.js";
export { createKeyRepository } from "./key-repository.js";
export { createGrantRepository } from "./grant-repository.js";
export type { GrantKey, GrantRecord, GrantRepository, GrantSubjectKind } from "./grant-repository.js";
export { createTeamRepository, teamNotFound } from "./team-repository.js";
export type { TeamRecord, TeamRepository } from "./team-repository.js";
export { createTrustPolicyRepository } from "./trust-policy-repository.js";
export type { NewTrustPolicy, TrustPolicyRecord, TrustPolicyRepository } from "./trust-policy-repository.js";
export type { DataKeyRecord, KeyCheckRecord, KeyRepository, WrappedKey } from "./key-repository.js";
export type { RepositoryOptions } from "./repository-context.js";
export { LATEST_TAG } from "./revision-tags.js";

// Dialects, schema and migrations.
export { createStoreDialect, sqlitePath } from "./dialect.js";
export type { PoolStats, StoreCapabilities, StoreDialect, StoreDialectOptions, StoreKind } from "./dialect.js";
export type { Database } from "./database.js";
export { TABLES_CHILDREN_FIRST } from "./database.js";
export { MIGRATIONS } from "./migrations/index.js";
export type { StoreMigration } from "./migrations/index.js";
export { createStoreMigrator, migrateDown, migrateToLatest, MIGRATION_TABLE } from "./migrate.js";
export type { MigrateResult } from "./migrate.js";

// Errors and page tokens, for other modules' repositories.
export { formatKey, isUniqueViolation, storeErrors } from "./errors.js";
export { decodePageToken, encodePageToken } from "./page-token.js";

// The audit log's storage, and the request-scoped hook that puts an audit event in a mutation's transaction.
export { createAuditRepository } from "./audit-repository.js";
export type { AuditFilter, AuditRepository, AuditTables, AuditTimeKey } from "./audit-repository.js";
export { noteRevision, withTransactionHook } from "./transaction-hooks.js";
export type { TransactionFacts, TransactionHook } from "./transaction-hooks.js";

// Cross-replica cache invalidation: the version check and the PostgreSQL LISTEN connection (issue 9 §1).
export { CHANGE_TOPICS, createChangeFeed } from "./change-feed.js";
export type { ChangeFeed, ChangeFeedOptions, ChangeFeedState, ChangeListener, ChangeTopic } from "./change-feed.js";
export { CHANGE_CHANNEL, LISTENER_APPLICATION_NAME } from "./change-feed-postgres.js";
