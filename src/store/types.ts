/**
 * Domain records returned by the repositories. They are plain, row-shaped values; the server's
 * convert/ layer maps them to proto messages. Times are Date objects in UTC.
 */

/** Names one environment: `org/project/name`. */
export interface EnvironmentKey {
  readonly org: string;
  readonly project: string;
  readonly name: string;
}

/** A version of one environment of an org, as an import or a request names it (`""` is latest). */
export interface RevisionRef {
  readonly project: string;
  readonly name: string;
  readonly version: string;
}

/** The revision a version names at one moment (EnvironmentRepository.pinRevisions). */
export interface RevisionPin {
  readonly environmentId: string;
  readonly revision: number;
  readonly retracted: boolean;
}

export interface EnvironmentRecord {
  readonly org: string;
  readonly project: string;
  readonly name: string;
  /** The newest revision number (revisions are 1, 2, 3… per environment). */
  readonly latestRevision: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly createdBy: string;
  readonly updatedBy: string;
  readonly deletionProtected: boolean;
  /** Environment (key/value) tags. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface RevisionRecord {
  readonly number: number;
  /** The stored YAML definition; empty string in listings. */
  readonly definition: string;
  readonly createdAt: Date;
  readonly author: string;
  /** SHA-256 (hex) of the definition: identifies the content. */
  readonly etag: string;
  readonly retracted: boolean;
  readonly retractionReason: string;
  readonly retractedBy: string;
  readonly retractedAt: Date | null;
  /** The revision served instead after retraction; null when not retracted. */
  readonly replacementRevision: number | null;
  /** Revision tags pointing at this revision, `latest` included, sorted by name. */
  readonly tags: readonly string[];
}

export interface RevisionTagRecord {
  readonly name: string;
  readonly revision: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly editor: string;
}

export interface EnvironmentTagRecord {
  readonly name: string;
  readonly value: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly editor: string;
}

export interface OrganizationRecord {
  readonly name: string;
  readonly description: string;
  readonly createdAt: Date;
}

export type IdentityKind = "user" | "service_account";
/** `auditor` is a member who may also read the audit log. */
export type OrgRole = "admin" | "member" | "auditor";

export interface IdentityRecord {
  readonly id: string;
  readonly org: string;
  readonly login: string;
  readonly kind: IdentityKind;
  readonly role: OrgRole;
  readonly createdAt: Date;
}

export interface TokenRecord {
  /** The public id, also embedded in the secret, used to look the token up. */
  readonly id: string;
  readonly identityId: string;
  readonly description: string;
  /** SHA-256 (hex) of the whole secret. The secret itself is never stored. */
  readonly secretHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
  /** The scope's ceiling (`read`…`admin`); null for none. */
  readonly scopePermission: string | null;
  /** The scope's projects and `project/environment`s; empty for all. */
  readonly scopeResources: readonly string[];
}

/** One page of a listing. `nextPageToken` is empty on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextPageToken: string;
}

export interface PageRequest {
  /** Already validated by the caller: 1–1000. */
  readonly pageSize: number;
  /** Opaque token from a previous page; "" for the first page. A malformed token → InvalidArgument. */
  readonly pageToken: string;
}
