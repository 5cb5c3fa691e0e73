import type {
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

/**
 * The seams between the server and the database. Every method throws a ConnectError with a
 * precise code and a short lower-case message naming the resource (never a value):
 * NotFound, AlreadyExists, Aborted (stale base revision), FailedPrecondition (retracted revision,
 * deletion protection, `latest` tag), InvalidArgument (malformed page token).
 */

/** Environments with their revisions, revision tags and environment tags (one aggregate). */
export interface EnvironmentRepository {
  /** Creates the environment and revision 1. AlreadyExists when the name is taken; NotFound when the org is missing. */
  create(input: { key: EnvironmentKey; definition: string; author: string }): Promise<{ environment: EnvironmentRecord; revision: RevisionRecord }>;
  /** NotFound when missing. */
  get(key: EnvironmentKey): Promise<EnvironmentRecord>;
  /** Ordered by org, project, name; stable across pages. `tags` filters on every given tag's value. */
  list(filter: { org?: string; project?: string; tags?: Readonly<Record<string, string>> } & PageRequest): Promise<Page<EnvironmentRecord>>;
  /** Writes revision base+1. Aborted (and nothing written) unless baseRevision is the latest. */
  update(input: { key: EnvironmentKey; definition: string; baseRevision: number; author: string }): Promise<{ environment: EnvironmentRecord; revision: RevisionRecord }>;
  /** Deletes the environment, its revisions and tags. FailedPrecondition when deletion-protected. */
  delete(key: EnvironmentKey): Promise<void>;
  /** Changes settings that are given; returns the environment after the change. */
  updateSettings(key: EnvironmentKey, settings: { deletionProtected?: boolean }): Promise<EnvironmentRecord>;
  /**
   * Copies `source` to `dest` (same org). Without history the copy gets one revision with the
   * latest served definition; with history every revision (retractions included) keeps its number.
   */
  clone(input: {
    source: EnvironmentKey;
    dest: EnvironmentKey;
    author: string;
    preserveHistory: boolean;
    preserveRevisionTags: boolean;
    preserveEnvironmentTags: boolean;
    /**
     * Replacement definitions by revision number, prepared by the caller (re-encrypted for the
     * destination). When given, every copied revision must have one; a revision written since the
     * caller read the source is Aborted (retry).
     */
    definitions?: ReadonlyMap<number, string>;
  }): Promise<EnvironmentRecord>;

  /** Turns `""`, `latest`, a number or a revision tag into a revision number. NotFound names the version. */
  resolveVersion(key: EnvironmentKey, version: string): Promise<number>;
  /**
   * The environment and one revision (by version, as resolveVersion) in one call: the read path of
   * GetEnvironment, with fewer queries than get + resolveVersion + getRevision.
   */
  getAt(key: EnvironmentKey, version: string, options?: { includeRetracted?: boolean }): Promise<{ environment: EnvironmentRecord; revision: RevisionRecord }>;
  /**
   * The definition a version names, for evaluation (imports, opens): two queries, failures as getAt
   * (a retracted revision is FailedPrecondition).
   */
  readDefinition(key: EnvironmentKey, version: string): Promise<{ revision: number; definition: string; environmentId: string }>;
  /**
   * Which revision each version names right now, in one query: the environment's id, the revision
   * number and whether it is retracted; undefined where the environment, tag or revision is missing.
   * Revisions are immutable, so an unchanged pin means unchanged content (the open caches' check).
   */
  pinRevisions(org: string, refs: readonly RevisionRef[]): Promise<(RevisionPin | undefined)[]>;
  /** One revision with its definition. FailedPrecondition for a retracted revision unless includeRetracted. */
  getRevision(key: EnvironmentKey, revision: number, options?: { includeRetracted?: boolean }): Promise<RevisionRecord>;
  /** Newest first, definitions left empty. */
  listRevisions(key: EnvironmentKey, page: PageRequest): Promise<Page<RevisionRecord>>;
  /**
   * Retracts a revision. The replacement defaults to the newest earlier revision that is not
   * retracted (FailedPrecondition when there is none). Retracting the latest revision writes a new
   * revision with the replacement's definition, returned as `newRevision`.
   */
  retractRevision(input: { key: EnvironmentKey; revision: number; replacementRevision?: number; reason: string; actor: string }): Promise<{ revision: RevisionRecord; newRevision: RevisionRecord | null }>;
  /** Writes a new revision with the definition of `revision`. Aborted when baseRevision is given and stale. */
  rollback(input: { key: EnvironmentKey; revision: number; baseRevision?: number; author: string }): Promise<RevisionRecord>;

  /** `latest` is built in: creating, moving or deleting it is FailedPrecondition. */
  createRevisionTag(key: EnvironmentKey, tag: { name: string; revision: number; editor: string }): Promise<RevisionTagRecord>;
  getRevisionTag(key: EnvironmentKey, name: string): Promise<RevisionTagRecord>;
  updateRevisionTag(key: EnvironmentKey, tag: { name: string; revision: number; editor: string }): Promise<RevisionTagRecord>;
  deleteRevisionTag(key: EnvironmentKey, name: string): Promise<void>;
  /** Ordered by name, `latest` included. */
  listRevisionTags(key: EnvironmentKey, page: PageRequest): Promise<Page<RevisionTagRecord>>;

  setTag(key: EnvironmentKey, tag: { name: string; value: string; editor: string }): Promise<EnvironmentTagRecord>;
  getTag(key: EnvironmentKey, name: string): Promise<EnvironmentTagRecord>;
  renameTag(key: EnvironmentKey, input: { name: string; newName: string; editor: string }): Promise<EnvironmentTagRecord>;
  deleteTag(key: EnvironmentKey, name: string): Promise<void>;
  listTags(key: EnvironmentKey, page: PageRequest): Promise<Page<EnvironmentTagRecord>>;
}

export interface OrganizationRepository {
  /** AlreadyExists when taken. */
  create(input: { name: string; description: string }): Promise<OrganizationRecord>;
  get(name: string): Promise<OrganizationRecord>;
  list(page: PageRequest): Promise<Page<OrganizationRecord>>;
}

/** Identities and their API tokens. */
export interface IdentityRepository {
  /** AlreadyExists when (org, login) is taken. */
  createIdentity(input: { org: string; login: string; kind: IdentityKind; role: OrgRole }): Promise<IdentityRecord>;
  getIdentity(id: string): Promise<IdentityRecord>;
  findIdentity(org: string, login: string): Promise<IdentityRecord | undefined>;
  /** Counts identities; the first start creates the bootstrap admin when this is 0. */
  countIdentities(): Promise<number>;
  createToken(input: {
    id: string;
    identityId: string;
    description: string;
    secretHash: string;
    expiresAt: Date | null;
    /** Validated by the caller (src/auth token-scope). */
    scope?: { permission: string | null; resources: readonly string[] };
  }): Promise<TokenRecord>;
  /** An organization's identities of one kind, ordered by login. */
  listIdentities(input: { org: string; kind: IdentityKind } & PageRequest): Promise<Page<IdentityRecord>>;
  /** NotFound when missing. */
  updateRole(id: string, role: OrgRole): Promise<IdentityRecord>;
  /** Deletes the identity with its tokens, team memberships and trust policies (not its grants). */
  deleteIdentity(id: string): Promise<void>;
  /** undefined when there is no such token (revoked and expired tokens are returned: the caller decides). */
  findToken(id: string): Promise<{ token: TokenRecord; identity: IdentityRecord } | undefined>;
  /** Records use at most once a minute per token, so reads stay cheap. */
  touchToken(id: string, at: Date): Promise<void>;
  /** Tokens of an org's identities, newest first. */
  listTokens(input: { org: string; identityId?: string; includeInactive: boolean; now: Date } & PageRequest): Promise<Page<TokenRecord & { identityLogin: string }>>;
  /** NotFound when missing; revoking twice keeps the first time. */
  revokeToken(id: string, at: Date): Promise<TokenRecord>;
}
