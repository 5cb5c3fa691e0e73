/** The tables of migration 0005 (access control), for the repositories that own them. */
import type { Millis } from "./database.js";

export interface TeamsTable {
  id: string;
  org: string;
  name: string;
  description: string;
  created_at: Millis;
}

export interface TeamMembersTable {
  team_id: string;
  identity_id: string;
  created_at: Millis;
}

export interface GrantsTable {
  org: string;
  /** "identity" | "team" | "token" */
  subject_kind: string;
  subject_id: string;
  /** "" for the whole organization. */
  project: string;
  /** "" for the whole project. */
  environment: string;
  permission: string;
  updated_at: Millis;
  editor: string;
}

export interface OrgAccessSettingsTable {
  org: string;
  default_permission: string;
}

export interface TrustPoliciesTable {
  org: string;
  name: string;
  issuer: string;
  audience: string;
  subject_pattern: string;
  claim_conditions: string;
  identity_id: string;
  max_lifetime_seconds: number;
  scope_permission: string | null;
  scope_resources: string | null;
  created_at: Millis;
}

/** The access tables, for `db.withTables<AccessTables>()`. */
// A type alias (not an interface): kysely's withTables needs an index-signature-compatible type.
export type AccessTables = {
  teams: TeamsTable;
  team_members: TeamMembersTable;
  grants: GrantsTable;
  org_access_settings: OrgAccessSettingsTable;
  trust_policies: TrustPoliciesTable;
};
