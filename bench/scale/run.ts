// `npm run bench:scale` (issue 9 §3): the latency of Get, List (first page and a deep page), Resolve and
// audit queries (by environment, by a time window) on an empty database and on one seeded by
// bench/scale/seed.ts (100,000 environments, 1,000,000 revisions, 10,000,000 audit events by default;
// BENCH_SCALE_ENVIRONMENTS / _REVISIONS / _AUDIT to change), on SQLite and PostgreSQL, against the real
// server binary. Target: seeded ≤ 2 × empty. Also records the query plans (EXPLAIN) of the repositories'
// SQL for those queries on the seeded databases, and how long migration 0007 takes there. Writes its
// section of bench/RESULTS.md (not with BENCH_SCALE_DRY=1).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { CompiledQuery, Kysely } from "kysely";
import { AuditService } from "../../src/gen/openesc/v1/audit_pb.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { createAuditRepository, createEnvironmentRepository, createStoreDialect, encodePageToken, MIGRATIONS, openStore, type Database, type StoreCapabilities } from "../../src/store/index.js";
import { clientFor } from "../../test/support/clients.js";
import { createTestDatabase, startTestPostgres } from "../../test/support/postgres.js";
import { startTestServer } from "../../test/support/server.js";
import { machineLine, writeResultsSection } from "../support/results-file.js";
import { seed, seededKey } from "./seed.js";
import { sampleEach } from "./sample.js";

const SIZES = {
  environments: Number(process.env.BENCH_SCALE_ENVIRONMENTS ?? 100_000),
  revisions: Number(process.env.BENCH_SCALE_REVISIONS ?? 10),
  audit: Number(process.env.BENCH_SCALE_AUDIT ?? 10_000_000),
};
const SMALLER = SIZES.environments < 100_000 || SIZES.environments * SIZES.revisions < 1_000_000 || SIZES.audit < 10_000_000;
const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 300);
const DAY = 86_400_000;

// The environments the queries touch: the same names in both databases (created through the API in the
// empty one). The "deep page" starts three quarters of the way through the org's listing.
const TARGET = seededKey(Math.floor(SIZES.environments / 2) + 50);
const DEEP = seededKey(Math.floor((SIZES.environments * 3) / 4));

type Op = "get" | "list first page" | "list deep page" | "resolve" | "audit by environment" | "audit by time" | "audit by time, last hour";
const OPS: readonly Op[] = ["get", "list first page", "list deep page", "resolve", "audit by environment", "audit by time", "audit by time, last hour"];

interface Timing {
  readonly p50: number;
  readonly p99: number;
}

async function measure(url: string, token: string, now: number): Promise<Record<Op, Timing>> {
  const env = clientFor(EnvironmentService, "grpc", url, token);
  const open = clientFor(OpenService, "grpc", url, token);
  const audit = clientFor(AuditService, "grpc", url, token);
  const { since, until } = auditWindow(now);
  const window = { startTime: timestampFromDate(new Date(since)), endTime: timestampFromDate(new Date(until)) };
  const calls: Record<Op, () => Promise<unknown>> = {
    get: () => env.getEnvironment({ org: "default", project: TARGET.project, environment: TARGET.name }),
    "list first page": () => env.listEnvironments({ org: "default", pageSize: 50 }),
    "list deep page": () => env.listEnvironments({ org: "default", pageSize: 50, pageToken: encodePageToken(["default", DEEP.project, DEEP.name]) }),
    resolve: () => open.resolveEnvironment({ org: "default", project: "typical", environment: "app" }),
    "audit by environment": () => audit.listAuditEvents({ org: "default", filter: { project: TARGET.project, environment: TARGET.name }, pageSize: 50 }),
    "audit by time": () => audit.listAuditEvents({ org: "default", filter: window, pageSize: 50 }),
    // The benchmark's own calls of the last minutes: recent events, a full page on both databases.
    "audit by time, last hour": () => audit.listAuditEvents({ org: "default", filter: { startTime: timestampFromDate(new Date(now - 3_600_000)) }, pageSize: 50 }),
  };
  return sampleEach(OPS, calls, SAMPLES);
}

/** Creates through the API what the queries read (the typical resolve set, and the target in an empty DB). */
async function prepare(url: string, token: string, empty: boolean): Promise<void> {
  const c = clientFor(EnvironmentService, "grpc", url, token);
  for (const base of ["net", "db", "obs"]) {
    const values = Array.from({ length: 10 }, (_, i) => (i < 3 ? `  ${base}_secret_${i}:\n    fn::secret: ${base}-s3cr3t-${i}\n` : `  ${base}_value_${i}: ${base}-${i}\n`)).join("");
    await c.createEnvironment({ org: "default", project: "typical", environment: base, definition: `values:\n${values}` });
  }
  const own = Array.from({ length: 19 }, (_, i) => `  app_${i}: \${net_value_${3 + (i % 7)}}-\${db_value_${3 + (i % 7)}}\n`).join("");
  await c.createEnvironment({ org: "default", project: "typical", environment: "app", definition: `imports: [typical/net, typical/db, typical/obs]\nvalues:\n${own}  app_token:\n    fn::secret: app-token\n` });
  if (empty) {
    for (const key of [TARGET, DEEP]) await c.createEnvironment({ org: "default", project: key.project, environment: key.name, definition: "values:\n  app: service\n" });
    // 50 more after DEEP: both list pages are full pages of 50 on the empty database too.
    for (let i = 0; i < 50; i++) await c.createEnvironment({ org: "default", project: DEEP.project, environment: `${DEEP.name}-${String(i).padStart(2, "0")}`, definition: "values:\n  app: service\n" });
  }
}

/** The empty database's audit log gets 60 events in the six-months-back window: a full page there too. */
async function fillEmptyWindow(url: string, now: number): Promise<void> {
  const store = await openStore({ url });
  try {
    const { since, until } = auditWindow(now);
    const drafts = Array.from({ length: 60 }, (_, i) => ({
      chain: "default",
      time: since + Math.floor(((until - since) * i) / 60),
      actor: "admin",
      actorId: "bench",
      tokenId: "bench",
      source: "127.0.0.1:1",
      userAgent: "bench-scale",
      action: "openesc.v1.EnvironmentService/GetEnvironment",
      org: "default",
      project: TARGET.project,
      environment: TARGET.name,
      revision: 1,
      providerCalls: [],
      outcome: "ok",
      requestId: `window-${i}`,
    }));
    await createAuditRepository(store.db, store.capabilities).appendBatch("default", drafts);
  } finally {
    await store.close();
  }
}

/**
 * The SQL the repositories run for each measured query: the repository methods the services call are
 * run on the seeded database through a kysely instance that logs every statement, and the SELECTs
 * it logged are EXPLAINed with the same parameters — so the plans are those of the real queries.
 */
async function repositoryQueries(db: Kysely<Database>, capabilities: StoreCapabilities, captured: CompiledQuery[], now: number): Promise<[string, CompiledQuery][]> {
  const environments = createEnvironmentRepository(db, { capabilities });
  const audit = createAuditRepository(db, capabilities);
  const target = { org: "default", project: TARGET.project, name: TARGET.name };
  const calls: [string, () => Promise<unknown>][] = [
    ["get (GetEnvironment: getAt)", () => environments.getAt(target, "")],
    ["resolve (each environment: readDefinition)", () => environments.readDefinition(target, "")],
    ["list first page", () => environments.list({ org: "default", tags: {}, pageSize: 50, pageToken: "" })],
    ["list deep page", () => environments.list({ org: "default", tags: {}, pageSize: 50, pageToken: encodePageToken(["default", DEEP.project, DEEP.name]) })],
    ["audit by environment", () => audit.list({ chain: "default", project: TARGET.project, environment: TARGET.name, pageSize: 50, pageToken: "" })],
    ["audit by time", () => audit.list({ chain: "default", ...auditWindow(now), pageSize: 50, pageToken: "" })],
    // Not timed through the server: the other filters of ListAuditEvents, and the batches of an export of the window.
    ["audit by time, a deep page (its last hour)", () => audit.list({ chain: "default", ...auditWindow(now), pageSize: 50, pageToken: encodePageToken(["t", auditWindow(now).since + 3_600_000, 1]) })],
    ["audit by project", () => audit.list({ chain: "default", project: TARGET.project, pageSize: 50, pageToken: "" })],
    ["audit by actor (every seeded event is admin's)", () => audit.list({ chain: "default", actor: "admin", pageSize: 50, pageToken: "" })],
    ["audit by an action never called", () => audit.list({ chain: "default", action: "openesc.v1.EnvironmentService/DeleteEnvironment", pageSize: 50, pageToken: "" })],
    ["audit by outcome (no seeded denial)", () => audit.list({ chain: "default", outcome: "permission_denied", pageSize: 50, pageToken: "" })],
    // ExportAuditEvents reads a window by (time, seq), each batch after the previous batch's last key.
    ["export of the window, first batch (scanByTime)", () => audit.scanByTime({ chain: "default", ...auditWindow(now) }, undefined, 1000)],
    ["export of the window, a batch from its middle (scanByTime after a key)", () => audit.scanByTime({ chain: "default", ...auditWindow(now) }, { time: auditWindow(now).since + DAY / 2, seq: 1 }, 1000)],
  ];
  const out: [string, CompiledQuery][] = [];
  for (const [name, call] of calls) {
    captured.length = 0;
    await call();
    const selects = captured.filter((q) => /^\s*select\b/i.test(q.sql));
    selects.forEach((q, i) => out.push([selects.length > 1 ? `${name}, statement ${i + 1}` : name, q]));
  }
  return out;
}

function ms(x: number): string {
  return x.toFixed(2);
}

/** The median time of three executions of `q` in this process (the database's part of a call). */
async function medianMs(db: Kysely<Database>, q: CompiledQuery): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await db.executeQuery(q);
    xs.push(performance.now() - t);
  }
  return xs.sort((a, b) => a - b)[1] as number;
}

/** Plan lines naming 50 ids are clipped. */
function clip(line: string): string {
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** The window of "audit by time": one day, six months back. */
function auditWindow(now: number): { since: number; until: number } {
  return { since: now - 180 * DAY, until: now - 179 * DAY };
}

async function explain(url: string, now: number): Promise<string> {
  const captured: CompiledQuery[] = [];
  const dialect = createStoreDialect(url);
  const db = new Kysely<Database>({ dialect: dialect.dialect, log: (e) => void (e.level === "query" && captured.push(e.query)) });
  const lines: string[] = [];
  try {
    for (const [name, q] of await repositoryQueries(db, dialect.capabilities, captured, now)) {
      const shown = q.parameters.slice(0, 4).map((p) => (typeof p === "string" ? `'${p}'` : String(p)));
      const params = shown.join(", ") + (q.parameters.length > shown.length ? `, … (${q.parameters.length} in all)` : "");
      lines.push(`${name}:`, `  SQL: ${q.sql}`, ...(params === "" ? [] : [`  parameters: ${params}`]), `  in-process: ${ms(await medianMs(db, q))} ms (median of 3)`);
      if (dialect.capabilities.kind === "sqlite") {
        const plan = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]));
        lines.push(...plan.rows.map((p) => `    ${p.detail}`));
      } else {
        const plan = await db.executeQuery<{ "QUERY PLAN": string }>(CompiledQuery.raw(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${q.sql}`, [...q.parameters]));
        lines.push(...plan.rows.map((r) => `    ${clip(r["QUERY PLAN"])}`));
      }
    }
  } finally {
    await db.destroy();
  }
  return lines.join("\n");
}

/**
 * How long migration 0007 (the audit time and action indexes) takes on the seeded audit table: its
 * `down` is run, then its `up` is timed (directly, so later migrations are left alone).
 */
async function timeMigration0007(url: string): Promise<number> {
  const migration = MIGRATIONS["0007-audit-time-order"];
  if (migration === undefined) throw new Error("migration 0007-audit-time-order is not registered");
  const store = await openStore({ url });
  try {
    await migration.down(store.db, store.capabilities);
    const t = performance.now();
    await migration.up(store.db, store.capabilities);
    return (performance.now() - t) / 1000;
  } finally {
    await store.close();
  }
}

interface Result {
  readonly dialect: string;
  readonly empty: Record<Op, Timing>;
  readonly seeded: Record<Op, Timing>;
  readonly seedSeconds: number;
  readonly plans: string;
  readonly migrationSeconds: number;
}

async function runDialect(kind: "sqlite" | "postgres", adminUrl: string | undefined): Promise<Result> {
  const timings: Partial<Record<"empty" | "seeded", Record<Op, Timing>>> = {};
  let seedSeconds = 0;
  let plans = "";
  let migrationSeconds = 0;
  for (const phase of ["empty", "seeded"] as const) {
    const dir = mkdtempSync(join(tmpdir(), "openesc-scale-"));
    const database = kind === "postgres" ? await createTestDatabase(adminUrl) : { url: `sqlite:${join(dir, "openesc.db")}`, drop: async () => {} };
    const env = { OPENESC_LOG_LEVEL: "warn", OPENESC_MASTER_KEY: randomBytes(32).toString("base64") };
    try {
      let server = await startTestServer({ database: database.url, env });
      const token = server.token;
      await prepare(server.url, token, phase === "empty");
      const now = Date.now();
      if (phase === "empty") await fillEmptyWindow(database.url, now);
      if (phase === "seeded") {
        await server.stop();
        console.log(`[${kind}] seeding ${JSON.stringify(SIZES)}…`);
        seedSeconds = (await seed({ url: database.url, ...SIZES, log: (l) => console.log(`[${kind}]   ${l}`) })).seconds;
        server = await startTestServer({ database: database.url, env });
      }
      try {
        console.log(`[${kind}] measuring on the ${phase} database…`);
        timings[phase] = await measure(server.url, token, now);
        if (phase === "seeded") plans = await explain(database.url, now);
      } finally {
        await server.stop();
      }
      if (phase === "seeded") migrationSeconds = await timeMigration0007(database.url);
    } finally {
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { dialect: kind === "sqlite" ? "SQLite" : "PostgreSQL", empty: timings.empty!, seeded: timings.seeded!, seedSeconds, plans, migrationSeconds };
}

const only = process.env.BENCH_ONLY;
const results: Result[] = [];
if (only === undefined || only === "sqlite") results.push(await runDialect("sqlite", undefined));
if (only === undefined || only === "postgres") {
  const server = await startTestPostgres();
  if (server === undefined) console.warn("*** PostgreSQL not found: the PostgreSQL half is SKIPPED ***");
  else {
    try {
      results.push(await runDialect("postgres", server.url));
    } finally {
      await server.stop();
    }
  }
}

const sections = results.map((r) => {
  const rows = OPS.map((op) => {
    const ratio = r.seeded[op].p50 / r.empty[op].p50;
    return `| ${op} | ${ms(r.empty[op].p50)} / ${ms(r.empty[op].p99)} | ${ms(r.seeded[op].p50)} / ${ms(r.seeded[op].p99)} | ${ratio.toFixed(2)}× ${ratio <= 2 ? "✓" : "✗"} |`;
  });
  return `### ${r.dialect} (seeded in ${r.seedSeconds.toFixed(0)} s)\n\n| query | empty p50 / p99 ms | seeded p50 / p99 ms | seeded / empty (p50, target ≤ 2×) |\n|---|---|---|---|\n${rows.join("\n")}\n\nMigration 0007 (indexes (chain, time, seq) and (chain, action, seq)) on the seeded audit table: ${r.migrationSeconds.toFixed(1)} s (reverted, then applied again with the server stopped).\n\nQuery plans on the seeded database:\n\n\`\`\`\n${r.plans}\n\`\`\`\n`;
});
const section = `## Data at scale (\`npm run bench:scale\`)

- Date: ${new Date().toISOString()}
- Machine: ${machineLine()}; load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(", ")} (other sessions share the 2 cores)
${SMALLER ? "- **Smaller than the issue's 100,000 / 1,000,000 / 10,000,000: these figures are not the target scale.**\n" : ""}- Seeded: ${SIZES.environments.toLocaleString("en-US")} environments (1 tag each), ${(SIZES.environments * SIZES.revisions).toLocaleString("en-US")} revisions, ${SIZES.audit.toLocaleString("en-US")} audit events over a year (bench/scale/seed.ts, also \`npm run bench:seed -- DATABASE_URL\`).
- Each query: ${SAMPLES} sequential calls over h2c gRPC after 20 warm-up calls, against the real server binary; the empty database holds only the environments the queries read, and enough of them (and of audit events in the window six months back) that every listing reads a full page of 50 on both.
- Queries: Get of one environment; List of the org, first page and a page three quarters deep (page size 50); Resolve of the typical environment (3 imports, 50 values, 10 secrets); ListAuditEvents of one environment, of a one-day window six months back, and of the last hour (page size 50; a full page on both databases).
- Plans: the repository methods behind these queries run on the seeded database through a kysely instance that logs their SQL; each SELECT is shown with its parameters, its median time over 3 runs in the benchmark's process, and its plan (EXPLAIN with the same parameters; PostgreSQL: ANALYZE, no timings). Besides the timed queries: the other ListAuditEvents filters and two batches of an export of the window.

${sections.join("\n")}`;
// BENCH_SCALE_DRY=1: print only (trying the script at small sizes without replacing the recorded figures).
if (process.env.BENCH_SCALE_DRY !== "1") writeResultsSection("scale", section);
console.log(section);
