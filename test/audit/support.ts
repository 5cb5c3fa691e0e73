/**
 * Shared helpers of the audit tests: event drafts, direct (attacker-style) SQL on the audit
 * tables, and a trigger that makes every audit insert fail for real, on either dialect.
 */
import { sql, type Kysely } from "kysely";
import type { AuditEventDraft } from "../../src/audit/index.js";
import { createAuditRepository, type AuditFilter, type AuditRepository, type Store } from "../../src/store/index.js";

/** A draft with every field set; override what the test cares about. */
export function draft(overrides: Partial<AuditEventDraft> = {}): AuditEventDraft {
  return {
    chain: "acme",
    time: Date.UTC(2026, 0, 1),
    actor: "alice",
    actorId: "id-alice",
    tokenId: "0123456789abcdef",
    source: "127.0.0.1:5000",
    userAgent: "test/1",
    action: "openesc.v1.EnvironmentService/GetEnvironment",
    org: "acme",
    project: "payments",
    environment: "prod",
    revision: 3,
    providerCalls: [],
    outcome: "ok",
    requestId: "req-1",
    ...overrides,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function raw(store: Store): Kysely<any> {
  return store.db;
}

/** Runs one SQL statement directly on the database (what an attacker with DB access could do). */
export async function execSql(store: Store, text: string): Promise<void> {
  await sql.raw(text).execute(raw(store));
}

/** Empties the audit tables (useTestStore resets only the core tables). */
export async function resetAudit(store: Store): Promise<void> {
  await execSql(store, "DELETE FROM audit_events");
  await execSql(store, "DELETE FROM audit_chains");
}

/** Installs a trigger that makes every INSERT into audit_events raise an error. */
export async function breakAuditInserts(store: Store): Promise<void> {
  if (store.kind === "sqlite") {
    await execSql(store, "CREATE TRIGGER audit_insert_fails BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit insert refused by test trigger'); END");
    return;
  }
  await execSql(store, "CREATE OR REPLACE FUNCTION audit_insert_fails() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit insert refused by test trigger'; END $$ LANGUAGE plpgsql");
  await execSql(store, "CREATE TRIGGER audit_insert_fails BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_insert_fails()");
}

/** Removes the trigger of breakAuditInserts. */
export async function repairAuditInserts(store: Store): Promise<void> {
  await execSql(store, store.kind === "sqlite" ? "DROP TRIGGER IF EXISTS audit_insert_fails" : "DROP TRIGGER IF EXISTS audit_insert_fails ON audit_events");
}

/** Counts the stored events of `chain`. */
export async function countEvents(store: Store, chain = "acme"): Promise<number> {
  const row = await raw(store).selectFrom("audit_events").select((eb) => eb.fn.countAll<number>().as("n")).where("chain", "=", chain).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The chain of the time-order tests. */
export const ACME: AuditFilter = { chain: "acme" };
export const S = 1000;
/** `seconds` after 2026-01-01T00:00:00Z, in milliseconds. */
export const at = (seconds: number): number => Date.UTC(2026, 0, 1) + seconds * S;

/**
 * Events appended in this order (seq 1…10) with these times (seconds), for the time-order tests: d, g, i
 * go back in time, like an event of a replica whose clock is behind; b, c, e, j share a time.
 */
export const APPENDED: readonly (readonly [string, number])[] = [
  ["a", 10], ["b", 20], ["c", 20], ["d", 15], ["e", 20], ["f", 30], ["g", 5], ["h", 25], ["i", 10], ["j", 20],
];

/** Empties the audit tables and appends APPENDED (request id = its letter); the repository it used. */
export async function appendOutOfOrder(store: Store): Promise<AuditRepository> {
  await resetAudit(store);
  const audit = createAuditRepository(store.db, store.capabilities);
  for (const [id, seconds] of APPENDED) await audit.append(draft({ requestId: id, time: at(seconds) }));
  return audit;
}
