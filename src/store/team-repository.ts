/** Teams of an organization and their members (identities). */
import { randomUUID } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Kysely } from "kysely";
import type { AccessTables } from "./access-tables.js";
import type { Database } from "./database.js";
import { isUniqueViolation } from "./errors.js";
import { decodePageToken, toPage } from "./page-token.js";
import type { Page, PageRequest } from "./types.js";

export interface TeamRecord {
  readonly id: string;
  readonly org: string;
  readonly name: string;
  readonly description: string;
  readonly createdAt: Date;
  /** Member logins, ordered. */
  readonly members: readonly string[];
}

export interface TeamRepository {
  /** AlreadyExists when the name is taken. */
  create(input: { org: string; name: string; description: string }): Promise<TeamRecord>;
  /** NotFound when missing. */
  get(org: string, name: string): Promise<TeamRecord>;
  list(org: string, page: PageRequest): Promise<Page<TeamRecord>>;
  /** Deletes the team and its memberships (its grants are the caller's). Returns its id. NotFound when missing. */
  delete(org: string, name: string): Promise<string>;
  /** Idempotent. */
  addMember(teamId: string, identityId: string): Promise<void>;
  /** False when the identity was not a member. */
  removeMember(teamId: string, identityId: string): Promise<boolean>;
  /** The names of the teams an identity belongs to, ordered. */
  teamsOf(identityId: string): Promise<string[]>;
  /** The ids of the teams an identity belongs to. */
  teamIdsOf(identityId: string): Promise<string[]>;
}

export const teamNotFound = (org: string, name: string) => new ConnectError(`team "${name}" not found in organization "${org}"`, Code.NotFound);

/** A TeamRepository over `db` (the database or a transaction). */
export function createTeamRepository(db: Kysely<Database>, now: () => number = Date.now): TeamRepository {
  const q = db.withTables<AccessTables>();
  async function membersOf(teamIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(teamIds.map((id) => [id, []]));
    if (teamIds.length === 0) return out;
    const rows = await q
      .selectFrom("team_members as m")
      .innerJoin("identities as i", "i.id", "m.identity_id")
      .select(["m.team_id", "i.login"])
      .where("m.team_id", "in", teamIds)
      .orderBy("i.login")
      .execute();
    for (const r of rows) out.get(r.team_id)?.push(r.login);
    return out;
  }
  const toRecord = (r: AccessTables["teams"], members: readonly string[]): TeamRecord => ({
    id: r.id,
    org: r.org,
    name: r.name,
    description: r.description,
    createdAt: new Date(Number(r.created_at)),
    members,
  });
  return {
    async create(input) {
      const row = { id: randomUUID(), org: input.org, name: input.name, description: input.description, created_at: now() };
      const taken = await q.selectFrom("teams").select("id").where("org", "=", input.org).where("name", "=", input.name).executeTakeFirst();
      const exists = () => new ConnectError(`team "${input.name}" already exists in organization "${input.org}"`, Code.AlreadyExists);
      if (taken !== undefined) throw exists();
      try {
        await q.insertInto("teams").values(row).execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw exists();
        throw err;
      }
      return toRecord(row, []);
    },
    async get(org, name) {
      const row = await q.selectFrom("teams").selectAll().where("org", "=", org).where("name", "=", name).executeTakeFirst();
      if (row === undefined) throw teamNotFound(org, name);
      return toRecord(row, (await membersOf([row.id])).get(row.id) ?? []);
    },
    async list(org, page) {
      const after = decodePageToken(page.pageToken, ["string"] as const);
      let query = q.selectFrom("teams").selectAll().where("org", "=", org);
      if (after !== undefined) query = query.where("name", ">", after[0]);
      const rows = await query.orderBy("name").limit(page.pageSize + 1).execute();
      const members = await membersOf(rows.slice(0, page.pageSize).map((r) => r.id));
      return toPage(rows, page.pageSize, (r) => toRecord(r, members.get(r.id) ?? []), (r) => [r.name]);
    },
    async delete(org, name) {
      const row = await q.selectFrom("teams").select("id").where("org", "=", org).where("name", "=", name).executeTakeFirst();
      if (row === undefined) throw teamNotFound(org, name);
      await q.deleteFrom("team_members").where("team_id", "=", row.id).execute();
      await q.deleteFrom("teams").where("id", "=", row.id).execute();
      return row.id;
    },
    async addMember(teamId, identityId) {
      const there = await q.selectFrom("team_members").select("team_id").where("team_id", "=", teamId).where("identity_id", "=", identityId).executeTakeFirst();
      if (there !== undefined) return;
      try {
        await q.insertInto("team_members").values({ team_id: teamId, identity_id: identityId, created_at: now() }).execute();
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    },
    async removeMember(teamId, identityId) {
      const there = await q.selectFrom("team_members").select("team_id").where("team_id", "=", teamId).where("identity_id", "=", identityId).executeTakeFirst();
      if (there === undefined) return false;
      await q.deleteFrom("team_members").where("team_id", "=", teamId).where("identity_id", "=", identityId).execute();
      return true;
    },
    async teamIdsOf(identityId) {
      const rows = await q.selectFrom("team_members").select("team_id").where("identity_id", "=", identityId).execute();
      return rows.map((r) => r.team_id);
    },
    async teamsOf(identityId) {
      const rows = await q
        .selectFrom("team_members as m")
        .innerJoin("teams as t", "t.id", "m.team_id")
        .select("t.name")
        .where("m.identity_id", "=", identityId)
        .orderBy("t.name")
        .execute();
      return rows.map((r) => r.name);
    },
  };
}
