/**
 * The audit log's storage: append (serialized per chain by locking the chain's head row), filtered
 * newest-first listing with page tokens, ascending scans for export and verification, and chain
 * heads. Rows are never updated or deleted by the application.
 */
import type { Kysely, SelectQueryBuilder, Selectable } from "kysely";
import { GENESIS_HASH, linkEvent, type AuditEventDraft, type AuditEventRecord, type AuditProviderCall, type ChainHead } from "../audit/index.js";
import type { Database } from "./database.js";
import type { StoreCapabilities } from "./dialect.js";
import { decodePageToken, toPage } from "./page-token.js";
import type { Page, PageRequest } from "./types.js";

/** audit_chains (migration 0006): each chain's last sequence number and hash. */
export interface AuditChainsTable {
  chain: string;
  seq: number;
  hash: string;
}

/** audit_events (migration 0006). */
export interface AuditEventsTable {
  chain: string;
  seq: number;
  time: number;
  actor: string;
  actor_id: string;
  token_id: string;
  source: string;
  user_agent: string;
  action: string;
  org: string;
  project: string;
  environment: string;
  revision: number | null;
  provider_calls: string;
  outcome: string;
  request_id: string;
  prev_hash: string;
  hash: string;
}

export interface AuditTables {
  audit_chains: AuditChainsTable;
  audit_events: AuditEventsTable;
}

/** Which events of one chain to return; unset fields do not filter. Times in ms, `until` exclusive. */
export interface AuditFilter {
  readonly chain: string;
  readonly since?: number;
  readonly until?: number;
  readonly actor?: string;
  readonly project?: string;
  readonly environment?: string;
  readonly action?: string;
  readonly outcome?: string;
}

export interface AuditRepository {
  /**
   * Appends one event to its chain: in the transaction `db` is (a mutation's own), or in a
   * transaction of its own. Holds the chain head's lock until that transaction ends.
   */
  append(draft: AuditEventDraft): Promise<AuditEventRecord>;
  /** Newest first (descending seq); the page token is the last seq returned. */
  list(filter: AuditFilter & PageRequest): Promise<Page<AuditEventRecord>>;
  /** Up to `limit` events with seq > afterSeq that match, ascending (export, verification). */
  scan(filter: AuditFilter, afterSeq: number, limit: number): Promise<AuditEventRecord[]>;
  /** The chain's head as the writers recorded it; undefined for a chain never written. */
  head(chain: string): Promise<ChainHead | undefined>;
}

type AuditDb = Kysely<Database & AuditTables>;

/** An AuditRepository over `db` (the database or a transaction). */
export function createAuditRepository(db: Kysely<Database>, capabilities: Pick<StoreCapabilities, "supportsRowLocks">): AuditRepository {
  const q = db as unknown as AuditDb;
  const rowLocks = capabilities.supportsRowLocks;

  async function lockHead(trx: AuditDb, chain: string): Promise<ChainHead | undefined> {
    let query = trx.selectFrom("audit_chains").select(["seq", "hash"]).where("chain", "=", chain);
    // SQLite: the transaction already holds the database's write lock (BEGIN IMMEDIATE).
    if (rowLocks) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    return row === undefined ? undefined : { seq: Number(row.seq), hash: row.hash };
  }

  async function appendIn(trx: AuditDb, draft: AuditEventDraft): Promise<AuditEventRecord> {
    let head = await lockHead(trx, draft.chain);
    if (head === undefined) {
      // A new chain: concurrent first writers both insert; the loser's insert does nothing, and
      // both then queue on the row lock.
      await trx.insertInto("audit_chains").values({ chain: draft.chain, seq: 0, hash: GENESIS_HASH }).onConflict((oc) => oc.column("chain").doNothing()).execute();
      head = await lockHead(trx, draft.chain);
      if (head === undefined) throw new Error(`audit chain "${draft.chain}" has no head after creating it`);
    }
    const event = linkEvent(draft, head);
    await trx.insertInto("audit_events").values(toRow(event)).execute();
    const moved = await trx
      .updateTable("audit_chains")
      .set({ seq: event.seq, hash: event.hash })
      .where("chain", "=", draft.chain)
      .where("seq", "=", head.seq)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new Error(`audit chain "${draft.chain}" moved while locked`);
    return event;
  }

  return {
    append(draft) {
      // Not inTransaction: a stand-alone append must not run the request's transaction hook.
      return q.isTransaction ? appendIn(q, draft) : q.transaction().execute((trx) => appendIn(trx, draft));
    },

    async list(filter) {
      const after = decodePageToken(filter.pageToken, ["number"] as const);
      let query = filtered(q, filter);
      if (after !== undefined) query = query.where("seq", "<", after[0]);
      const rows = await query.orderBy("seq", "desc").limit(filter.pageSize + 1).execute();
      return toPage(rows, filter.pageSize, toRecord, (r) => [Number(r.seq)]);
    },

    async scan(filter, afterSeq, limit) {
      const rows = await filtered(q, filter).where("seq", ">", afterSeq).orderBy("seq", "asc").limit(limit).execute();
      return rows.map(toRecord);
    },

    async head(chain) {
      const row = await q.selectFrom("audit_chains").select(["seq", "hash"]).where("chain", "=", chain).executeTakeFirst();
      return row === undefined ? undefined : { seq: Number(row.seq), hash: row.hash };
    },
  };
}

function filtered(q: AuditDb, filter: AuditFilter): SelectQueryBuilder<Database & AuditTables, "audit_events", Selectable<AuditEventsTable>> {
  let query = q.selectFrom("audit_events").selectAll().where("chain", "=", filter.chain);
  if (filter.since !== undefined) query = query.where("time", ">=", filter.since);
  if (filter.until !== undefined) query = query.where("time", "<", filter.until);
  if (filter.actor !== undefined) query = query.where("actor", "=", filter.actor);
  if (filter.project !== undefined) query = query.where("project", "=", filter.project);
  if (filter.environment !== undefined) query = query.where("environment", "=", filter.environment);
  if (filter.action !== undefined) query = query.where("action", "=", filter.action);
  if (filter.outcome !== undefined) query = query.where("outcome", "=", filter.outcome);
  return query;
}

function toRow(event: AuditEventRecord): AuditEventsTable {
  return {
    chain: event.chain,
    seq: event.seq,
    time: event.time,
    actor: event.actor,
    actor_id: event.actorId,
    token_id: event.tokenId,
    source: event.source,
    user_agent: event.userAgent,
    action: event.action,
    org: event.org,
    project: event.project,
    environment: event.environment,
    revision: event.revision,
    provider_calls: JSON.stringify(event.providerCalls),
    outcome: event.outcome,
    request_id: event.requestId,
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}

function toRecord(row: Selectable<AuditEventsTable>): AuditEventRecord {
  return {
    chain: row.chain,
    seq: Number(row.seq),
    time: Number(row.time),
    actor: row.actor,
    actorId: row.actor_id,
    tokenId: row.token_id,
    source: row.source,
    userAgent: row.user_agent,
    action: row.action,
    org: row.org,
    project: row.project,
    environment: row.environment,
    revision: row.revision === null ? null : Number(row.revision),
    providerCalls: parseProviderCalls(row.provider_calls),
    outcome: row.outcome,
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A row edited into invalid JSON reads as a marker, so verification reports it instead of crashing. */
function parseProviderCalls(text: string): AuditProviderCall[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? (value as AuditProviderCall[]) : [{ provider: "?", path: text, durationMs: 0, outcome: "?" }];
  } catch {
    return [{ provider: "?", path: text, durationMs: 0, outcome: "?" }];
  }
}
