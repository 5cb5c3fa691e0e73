// `npm run bench:seed -- DATABASE_URL [--environments N] [--revisions N] [--audit N]` (issue 9 §3): fills a
// migrated OpenESC database with bulk data for the scale benchmark — a seeding script, not a test.
// Defaults: 100,000 environments (1,000 projects × 100, org "default", one environment tag each),
// 10 revisions each (1,000,000 revisions, "latest" the 10th), 10,000,000 audit events on the "default"
// chain spread over the last year, by environment, continuing the chain's head.
//
// Bounded in time: PostgreSQL generates the rows in the server (INSERT … SELECT FROM generate_series, in
// batches of 1,000,000 rows, the fastest bulk path — faster than COPY, nothing crosses the wire); SQLite
// inserts through one prepared statement per table in transactions of 100,000 rows. Audit hashes are
// placeholders (64 hex chars, each event linking the previous one's), so `audit verify` does not pass on
// seeded data; the chain head is moved to the last seeded event so that new events append normally.
import { createHash } from "node:crypto";
import SqliteDatabase from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import { openStore, sqlitePath, type Database } from "../../src/store/index.js";

export interface SeedOptions {
  readonly url: string;
  readonly environments: number;
  readonly revisions: number;
  readonly audit: number;
  /** Progress lines; default console.log. */
  readonly log?: (line: string) => void;
}

const PER_PROJECT = 100;
const YEAR_MS = 365 * 24 * 3600_000;

/** The seeded environment `i` (0-based): project p0000…, name e00…e99. */
export function seededKey(i: number): { project: string; name: string } {
  return { project: `p${String(Math.floor(i / PER_PROJECT)).padStart(4, "0")}`, name: `e${String(i % PER_PROJECT).padStart(2, "0")}` };
}

const definitionOf = (i: number, r: number) => `values:\n  app: service-${i}\n  revision: ${r}\n  region: eu-west-1\n  replicas: ${1 + (i % 5)}\n`;
const ACTIONS = ["openesc.v1.OpenService/ResolveEnvironment", "openesc.v1.EnvironmentService/GetEnvironment", "openesc.v1.EnvironmentService/UpdateEnvironment", "openesc.v1.OpenService/OpenEnvironment"];

export async function seed(options: SeedOptions): Promise<{ seconds: number }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const store = await openStore({ url: options.url });
  try {
    const migrated = await store.migrate();
    if (migrated.error !== undefined) throw migrated.error;
    const now = Date.now();
    await store.db.insertInto("organizations").values({ name: "default", description: "", created_at: now }).onConflict((oc) => oc.column("name").doNothing()).execute();
    const head = await sql<{ seq: number; hash: string }>`SELECT seq, hash FROM audit_chains WHERE chain = 'default'`.execute(store.db);
    const first = Number(head.rows[0]?.seq ?? 0) + 1;
    const prevHash = head.rows[0]?.hash ?? "0".repeat(64);
    if (store.kind === "postgres") await seedPostgres(store.db, options, now, first, prevHash, log);
    else {
      await store.close();
      seedSqlite(sqlitePath(options.url), options, now, first, prevHash, log);
    }
  } finally {
    await store.close();
  }
  const seconds = (Date.now() - started) / 1000;
  log(`seeded in ${seconds.toFixed(0)} s`);
  return { seconds };
}

async function seedPostgres(db: Kysely<Database>, o: SeedOptions, now: number, first: number, prevHash: string, log: (l: string) => void): Promise<void> {
  const id = (g: string) => sql.raw(`'00000000-0000-4000-8000-' || lpad(to_hex(${g}), 12, '0')`);
  const step = 1_000_000;
  // numbers go in as literals: generate_series and integer arithmetic need typed operands
  const L = (x: number) => sql.raw(String(Math.trunc(x)));
  const envRows = o.environments;
  log(`environments: ${envRows.toLocaleString("en-US")}`);
  await sql`INSERT INTO environments (id, org, project, name, latest_revision, created_at, created_by, updated_at, updated_by, deletion_protected)
    SELECT ${id("g")}, 'default', 'p' || lpad((g / ${L(PER_PROJECT)})::text, 4, '0'), 'e' || lpad((g % ${L(PER_PROJECT)})::text, 2, '0'),
           ${L(o.revisions)}, ${L(now - YEAR_MS)}::bigint, 'seed', ${L(now - YEAR_MS)}::bigint + g, 'seed', 0
    FROM generate_series(0, ${L(envRows - 1)}) g`.execute(db);
  await sql`INSERT INTO environment_tags (environment_id, name, value, created_at, updated_at, editor)
    SELECT ${id("g")}, 'team', 'team-' || (g % 50), ${L(now)}::bigint, ${L(now)}::bigint, 'seed' FROM generate_series(0, ${L(envRows - 1)}) g`.execute(db);
  const total = envRows * o.revisions;
  for (let from = 0; from < total; from += step) {
    const to = Math.min(total, from + step) - 1;
    log(`revisions ${from.toLocaleString("en-US")}…${to.toLocaleString("en-US")}`);
    // row k: environment k / revisions, revision k % revisions + 1
    await sql`INSERT INTO revisions (environment_id, number, definition, author, created_at, etag, retracted, retraction_reason, retracted_by)
      SELECT ${id(`(k / ${o.revisions})`)}, (k % ${L(o.revisions)}) + 1, d, 'seed', ${L(now - YEAR_MS)}::bigint + k, encode(sha256(convert_to(d, 'UTF8')), 'hex'), 0, '', ''
      FROM (SELECT k, 'values:' || chr(10) || '  app: service-' || (k / ${L(o.revisions)}) || chr(10) || '  revision: ' || ((k % ${L(o.revisions)}) + 1) || chr(10)
                   || '  region: eu-west-1' || chr(10) || '  replicas: ' || (1 + (k / ${L(o.revisions)}) % 5) || chr(10) AS d
            FROM generate_series(${L(from)}, ${L(to)}) k) s`.execute(db);
  }
  for (let from = 0; from < o.audit; from += step) {
    const to = Math.min(o.audit, from + step) - 1;
    log(`audit events ${from.toLocaleString("en-US")}…${to.toLocaleString("en-US")}`);
    const h = (x: string) => sql.raw(`CASE WHEN ${x} < 0 THEN '${prevHash}' ELSE md5(${x}::text) || md5((${x} + 1)::text) END`);
    await sql`INSERT INTO audit_events (chain, seq, time, actor, actor_id, token_id, source, user_agent, action, org, project, environment, revision, provider_calls, outcome, request_id, prev_hash, hash)
      SELECT 'default', ${L(first)}::bigint + a, ${L(now - YEAR_MS)}::bigint + (a::bigint * ${L(Math.floor((YEAR_MS - 86_400_000) / Math.max(1, o.audit)))}),
             'admin', 'seed-identity', 'seed-token', '127.0.0.1:50000', 'openesc-seed',
             (ARRAY[${sql.join(ACTIONS)}])[1 + a % ${L(ACTIONS.length)}], 'default',
             'p' || lpad(((a % ${L(envRows)}) / ${L(PER_PROJECT)})::text, 4, '0'), 'e' || lpad(((a % ${L(envRows)}) % ${L(PER_PROJECT)})::text, 2, '0'),
             1 + a % ${L(o.revisions)}, '[]', 'ok', md5(a::text)::uuid::text, ${h("(a - 1)")}, ${h("a")}
      FROM generate_series(${L(from)}, ${L(to)}) a`.execute(db);
  }
  if (o.audit > 0) {
    const last = o.audit - 1;
    const lastHash = createHash("md5").update(String(last)).digest("hex") + createHash("md5").update(String(last + 1)).digest("hex");
    await sql`INSERT INTO audit_chains (chain, seq, hash) VALUES ('default', ${L(first + last)}, ${lastHash})
      ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`.execute(db);
  }
  log("ANALYZE");
  await sql`ANALYZE`.execute(db);
}

function seedSqlite(path: string, o: SeedOptions, now: number, first: number, prevHash: string, log: (l: string) => void): void {
  const db = new SqliteDatabase(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  const batch = 100_000;
  const id = (g: number) => `00000000-0000-4000-8000-${g.toString(16).padStart(12, "0")}`;
  const inBatches = (count: number, label: string, row: (k: number) => void) => {
    for (let from = 0; from < count; from += batch) {
      log(`${label} ${from.toLocaleString("en-US")}…${(Math.min(count, from + batch) - 1).toLocaleString("en-US")}`);
      db.transaction(() => {
        for (let k = from; k < Math.min(count, from + batch); k++) row(k);
      })();
    }
  };
  const env = db.prepare(
    "INSERT INTO environments (id, org, project, name, latest_revision, created_at, created_by, updated_at, updated_by, deletion_protected) VALUES (?, 'default', ?, ?, ?, ?, 'seed', ?, 'seed', 0)",
  );
  const tag = db.prepare("INSERT INTO environment_tags (environment_id, name, value, created_at, updated_at, editor) VALUES (?, 'team', ?, ?, ?, 'seed')");
  inBatches(o.environments, "environments", (g) => {
    const key = seededKey(g);
    env.run(id(g), key.project, key.name, o.revisions, now - YEAR_MS, now - YEAR_MS + g);
    tag.run(id(g), `team-${g % 50}`, now, now);
  });
  const rev = db.prepare("INSERT INTO revisions (environment_id, number, definition, author, created_at, etag, retracted, retraction_reason, retracted_by) VALUES (?, ?, ?, 'seed', ?, ?, 0, '', '')");
  inBatches(o.environments * o.revisions, "revisions", (k) => {
    const g = Math.floor(k / o.revisions);
    const r = (k % o.revisions) + 1;
    const d = definitionOf(g, r);
    rev.run(id(g), r, d, now - YEAR_MS + k, createHash("sha256").update(d).digest("hex"));
  });
  const ev = db.prepare(
    "INSERT INTO audit_events (chain, seq, time, actor, actor_id, token_id, source, user_agent, action, org, project, environment, revision, provider_calls, outcome, request_id, prev_hash, hash) " +
      "VALUES ('default', ?, ?, 'admin', 'seed-identity', 'seed-token', '127.0.0.1:50000', 'openesc-seed', ?, 'default', ?, ?, ?, '[]', 'ok', ?, ?, ?)",
  );
  const spacing = Math.floor((YEAR_MS - 86_400_000) / Math.max(1, o.audit));
  const hashOf = (a: number) => (a < 0 ? prevHash : `${(a * 2654435761 >>> 0).toString(16).padStart(8, "0")}${a.toString(16).padStart(56, "0")}`);
  inBatches(o.audit, "audit events", (a) => {
    const key = seededKey(a % o.environments);
    ev.run(first + a, now - YEAR_MS + a * spacing, ACTIONS[a % ACTIONS.length], key.project, key.name, 1 + (a % o.revisions), `seed-${a}`, hashOf(a - 1), hashOf(a));
  });
  if (o.audit > 0) {
    db.prepare("INSERT INTO audit_chains (chain, seq, hash) VALUES ('default', ?, ?) ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash").run(first + o.audit - 1, hashOf(o.audit - 1));
  }
  log("ANALYZE");
  db.exec("ANALYZE");
  db.close();
}

function flag(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const url = args[0];
  if (url === undefined || url.startsWith("--")) {
    console.error("usage: npm run bench:seed -- DATABASE_URL [--environments 100000] [--revisions 10] [--audit 10000000]");
    process.exit(2);
  }
  await seed({ url, environments: flag(args, "--environments", 100_000), revisions: flag(args, "--revisions", 10), audit: flag(args, "--audit", 10_000_000) });
}
