/**
 * The kysely table interfaces: one per table. Times are integer milliseconds since the epoch (UTC)
 * in every dialect (BIGINT; Postgres int8 is parsed to number by the dialect). Booleans are integers
 * 0/1, because SQLite has no boolean type and better-sqlite3 does not bind JavaScript booleans.
 */
import type { ColumnType } from "kysely";

/** Milliseconds since the epoch. */
export type Millis = number;
/** 0 or 1. */
export type Flag = 0 | 1;

export interface Database {
  organizations: OrganizationsTable;
  environments: EnvironmentsTable;
  revisions: RevisionsTable;
  revision_tags: RevisionTagsTable;
  environment_tags: EnvironmentTagsTable;
  identities: IdentitiesTable;
  tokens: TokensTable;
}

export interface OrganizationsTable {
  name: string;
  description: string;
  created_at: Millis;
}

export interface EnvironmentsTable {
  /** A random UUID: rows of other tables point here, names stay free to be unique per parent. */
  id: ColumnType<string, string, never>;
  org: string;
  project: string;
  name: string;
  latest_revision: number;
  created_at: Millis;
  created_by: string;
  updated_at: Millis;
  updated_by: string;
  deletion_protected: Flag;
}

export interface RevisionsTable {
  environment_id: ColumnType<string, string, never>;
  number: ColumnType<number, number, never>;
  definition: ColumnType<string, string, never>;
  author: ColumnType<string, string, never>;
  created_at: ColumnType<Millis, Millis, never>;
  /** SHA-256 (hex) of the definition. */
  etag: ColumnType<string, string, never>;
  retracted: Flag;
  retraction_reason: string;
  retracted_by: string;
  retracted_at: Millis | null;
  replacement_revision: number | null;
}

export interface RevisionTagsTable {
  environment_id: ColumnType<string, string, never>;
  name: string;
  revision: number;
  created_at: Millis;
  updated_at: Millis;
  editor: string;
}

export interface EnvironmentTagsTable {
  environment_id: ColumnType<string, string, never>;
  name: string;
  value: string;
  created_at: Millis;
  updated_at: Millis;
  editor: string;
}

export interface IdentitiesTable {
  id: ColumnType<string, string, never>;
  org: string;
  login: string;
  /** "user" | "service_account" */
  kind: string;
  /** "admin" | "member" */
  role: string;
  created_at: Millis;
}

export interface TokensTable {
  id: ColumnType<string, string, never>;
  identity_id: string;
  description: string;
  secret_hash: string;
  created_at: Millis;
  expires_at: Millis | null;
  revoked_at: Millis | null;
  last_used_at: Millis | null;
  /** Migration 0005: the scope's ceiling, null for none. */
  scope_permission: string | null;
  /** Migration 0005: JSON array of projects and `project/environment`s, null for all. */
  scope_resources: string | null;
}

/** The tables in an order that respects foreign keys when deleting (children first). */
export const TABLES_CHILDREN_FIRST = [
  "tokens",
  "identities",
  "revision_tags",
  "environment_tags",
  "revisions",
  "environments",
  "organizations",
] as const satisfies readonly (keyof Database)[];
