import type { Kysely } from "kysely";
import type { Database } from "./database.js";

/** The open_sessions table (migration 0003). Times in epoch milliseconds. */
export interface OpenSessionsTable {
  id: string;
  org: string;
  project: string;
  environment: string;
  revision: number;
  identity_id: string;
  created_at: number;
  expires_at: number;
  payload: string;
}

/** One stored session; `payload` is sealed by the caller (the store never sees plaintext). */
export interface SessionRecord {
  readonly id: string;
  readonly org: string;
  readonly project: string;
  readonly environment: string;
  readonly revision: number;
  readonly identityId: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly payload: Uint8Array;
}

/** Open sessions, shared by every replica through the database. */
export interface SessionRepository {
  create(session: SessionRecord): Promise<void>;
  /** undefined when there is no such session (expired ones are returned: the caller decides). */
  find(id: string): Promise<SessionRecord | undefined>;
  /** Deletes sessions that expired before `now`; returns how many. */
  sweep(now: Date): Promise<number>;
  /** How many sessions are still valid at `now` (for the open-sessions gauge). */
  countLive(now: Date): Promise<number>;
}

/** Creates the session repository over a kysely handle (the database or a transaction). */
export function createSessionRepository(db: Kysely<Database>): SessionRepository {
  const q = db.withTables<{ open_sessions: OpenSessionsTable }>();
  return {
    async create(s) {
      await q
        .insertInto("open_sessions")
        .values({
          id: s.id,
          org: s.org,
          project: s.project,
          environment: s.environment,
          revision: s.revision,
          identity_id: s.identityId,
          created_at: s.createdAt.getTime(),
          expires_at: s.expiresAt.getTime(),
          payload: Buffer.from(s.payload).toString("base64"),
        })
        .execute();
    },
    async find(id) {
      const row = await q.selectFrom("open_sessions").selectAll().where("id", "=", id).executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        id: row.id,
        org: row.org,
        project: row.project,
        environment: row.environment,
        revision: Number(row.revision),
        identityId: row.identity_id,
        createdAt: new Date(Number(row.created_at)),
        expiresAt: new Date(Number(row.expires_at)),
        payload: new Uint8Array(Buffer.from(row.payload, "base64")),
      };
    },
    async sweep(now) {
      const result = await q.deleteFrom("open_sessions").where("expires_at", "<", now.getTime()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async countLive(now) {
      const row = await q.selectFrom("open_sessions").select((eb) => eb.fn.countAll<number>().as("n")).where("expires_at", ">=", now.getTime()).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
