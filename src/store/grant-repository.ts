/**
 * Grants and organization access settings, and the one query the authorizer needs per caller: the
 * grants that apply to an identity (directly, through its teams, through its token).
 */
import type { Kysely } from "kysely";
import type { AccessTables } from "./access-tables.js";
import type { Database } from "./database.js";
import type { EnvironmentKey } from "./types.js";

export type GrantSubjectKind = "identity" | "team" | "token";

/** One grant; project/environment "" mean "every". Subject names are resolved for display. */
export interface GrantRecord {
  readonly org: string;
  readonly subjectKind: GrantSubjectKind;
  readonly subjectId: string;
  readonly project: string;
  readonly environment: string;
  readonly permission: string;
  readonly updatedAt: Date;
  readonly editor: string;
}

export interface GrantKey {
  readonly org: string;
  readonly subjectKind: GrantSubjectKind;
  readonly subjectId: string;
  readonly project: string;
  readonly environment: string;
}

export interface GrantRepository {
  /** Creates or replaces the grant of a subject on a resource. */
  set(grant: GrantKey & { permission: string; editor: string }): Promise<GrantRecord>;
  /** False when there was none. */
  remove(key: GrantKey): Promise<boolean>;
  /**
   * Grants of an organization, ordered by project, environment, subject. `subjectIds` keeps only
   * those subjects; `appliesTo` only grants that apply to the project / environment.
   */
  list(filter: { org: string; subjectIds?: readonly string[]; appliesTo?: { project: string; environment?: string } }): Promise<GrantRecord[]>;
  /** The grants that apply to an identity: its own, its teams', and those of the token. */
  forCaller(input: { org: string; identityId: string; tokenId: string }): Promise<{ project: string; environment: string; permission: string }[]>;
  /** Removes every grant of a subject (it is being deleted). */
  removeSubject(subjectId: string): Promise<void>;
  /** Removes every grant on one environment (it is being deleted). */
  removeOnEnvironment(key: EnvironmentKey): Promise<void>;
  /** Copies the grants on one environment to another (clone with preserve_access). */
  copyEnvironmentGrants(from: EnvironmentKey, to: EnvironmentKey, editor: string): Promise<number>;
  /** The organization's default permission for members; "none" when never set. */
  defaultPermission(org: string): Promise<string>;
  setDefaultPermission(org: string, permission: string): Promise<void>;
}

/** A GrantRepository over `db` (the database or a transaction). */
export function createGrantRepository(db: Kysely<Database>, now: () => number = Date.now): GrantRepository {
  const q = db.withTables<AccessTables>();
  const toRecord = (r: AccessTables["grants"]): GrantRecord => ({
    org: r.org,
    subjectKind: r.subject_kind as GrantSubjectKind,
    subjectId: r.subject_id,
    project: r.project,
    environment: r.environment,
    permission: r.permission,
    updatedAt: new Date(Number(r.updated_at)),
    editor: r.editor,
  });
  const keyed = (key: GrantKey) =>
    q
      .selectFrom("grants")
      .selectAll()
      .where("org", "=", key.org)
      .where("subject_kind", "=", key.subjectKind)
      .where("subject_id", "=", key.subjectId)
      .where("project", "=", key.project)
      .where("environment", "=", key.environment);
  return {
    async set(grant) {
      const row = {
        org: grant.org,
        subject_kind: grant.subjectKind,
        subject_id: grant.subjectId,
        project: grant.project,
        environment: grant.environment,
        permission: grant.permission,
        updated_at: now(),
        editor: grant.editor,
      };
      await q
        .insertInto("grants")
        .values(row)
        .onConflict((oc) =>
          oc.columns(["org", "subject_kind", "subject_id", "project", "environment"]).doUpdateSet({ permission: row.permission, updated_at: row.updated_at, editor: row.editor }),
        )
        .execute();
      return toRecord(row);
    },
    async remove(key) {
      const existing = await keyed(key).executeTakeFirst();
      if (existing === undefined) return false;
      await q
        .deleteFrom("grants")
        .where("org", "=", key.org)
        .where("subject_kind", "=", key.subjectKind)
        .where("subject_id", "=", key.subjectId)
        .where("project", "=", key.project)
        .where("environment", "=", key.environment)
        .execute();
      return true;
    },
    async list(filter) {
      let query = q.selectFrom("grants").selectAll().where("org", "=", filter.org);
      if (filter.subjectIds !== undefined) {
        if (filter.subjectIds.length === 0) return [];
        query = query.where("subject_id", "in", filter.subjectIds);
      }
      const on = filter.appliesTo;
      if (on !== undefined) {
        query = query.where((eb) =>
          eb.or([
            eb("project", "=", ""),
            eb.and([eb("project", "=", on.project), on.environment === undefined ? eb("environment", "=", "") : eb("environment", "in", ["", on.environment])]),
          ]),
        );
      }
      const rows = await query.orderBy("project").orderBy("environment").orderBy("subject_kind").orderBy("subject_id").execute();
      return rows.map(toRecord);
    },
    async forCaller(input) {
      const teams = q.selectFrom("team_members").select("team_id").where("identity_id", "=", input.identityId);
      return q
        .selectFrom("grants")
        .select(["project", "environment", "permission"])
        .where("org", "=", input.org)
        .where((eb) =>
          eb.or([
            eb.and([eb("subject_kind", "=", "identity"), eb("subject_id", "=", input.identityId)]),
            eb.and([eb("subject_kind", "=", "token"), eb("subject_id", "=", input.tokenId)]),
            eb.and([eb("subject_kind", "=", "team"), eb("subject_id", "in", teams)]),
          ]),
        )
        .execute();
    },
    async removeSubject(subjectId) {
      await q.deleteFrom("grants").where("subject_id", "=", subjectId).execute();
    },
    async removeOnEnvironment(key) {
      await q.deleteFrom("grants").where("org", "=", key.org).where("project", "=", key.project).where("environment", "=", key.name).execute();
    },
    async copyEnvironmentGrants(from, to, editor) {
      const rows = await q.selectFrom("grants").selectAll().where("org", "=", from.org).where("project", "=", from.project).where("environment", "=", from.name).execute();
      for (const r of rows) {
        const row = { ...r, org: to.org, project: to.project, environment: to.name, updated_at: now(), editor };
        await q
          .insertInto("grants")
          .values(row)
          .onConflict((oc) => oc.columns(["org", "subject_kind", "subject_id", "project", "environment"]).doUpdateSet({ permission: row.permission, updated_at: row.updated_at, editor }))
          .execute();
      }
      return rows.length;
    },
    async defaultPermission(org) {
      const row = await q.selectFrom("org_access_settings").select("default_permission").where("org", "=", org).executeTakeFirst();
      return row?.default_permission ?? "none";
    },
    async setDefaultPermission(org, permission) {
      await q
        .insertInto("org_access_settings")
        .values({ org, default_permission: permission })
        .onConflict((oc) => oc.column("org").doUpdateSet({ default_permission: permission }))
        .execute();
    },
  };
}
