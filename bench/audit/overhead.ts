// `npm run bench:audit`: what authorization and the audit write add to GetEnvironment. Three
// in-process servers in the same run — as production runs; without the audit step; without
// authorization and audit (internal startServer options, never CLI flags) — answer GetEnvironment
// over h2c gRPC for a member whose access comes from a `read` grant on the environment, measured in
// interleaved rounds so that machine noise falls on all alike. Sequential calls (latency) and 16
// concurrent streams (throughput), on SQLite and PostgreSQL. BENCH_ROUNDS (default 20) ×
// BENCH_CALLS (default 100) calls per server and mode; BENCH_SQLITE_ONLY=1 skips PostgreSQL.
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { GrantService } from "../../src/gen/openesc/v1/grant_pb.js";
import { TokenService } from "../../src/gen/openesc/v1/token_pb.js";
import { resolveServerConfig } from "../../src/server/config.js";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { createTestDatabase, startTestPostgres, testPostgresUrl } from "../../test/support/postgres.js";
import { machineLine, writeResultsSection } from "../support/results-file.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const CALLS = Number(process.env.BENCH_CALLS ?? 100);
const STREAMS = 16;
const ENV = { org: "default", project: "bench", environment: "app" };
const DEFINITION = `values:\n${Array.from({ length: 40 }, (_, i) => `  key_${i}: value-${i}\n`).join("")}  db:\n    password:\n      fn::secret: s3cr3t\n`;

interface Target {
  readonly server: RunningServer;
  readonly client: Client<typeof EnvironmentService>;
  readonly dispose: () => Promise<void>;
  readonly latencies: { sequential: number[]; concurrent: number[] };
  concurrentMs: number;
  /** This process's CPU time (µs) spent in the concurrent phases: client and server share the process. */
  concurrentCpuUs: number;
}

interface Mode {
  readonly label: string;
  readonly withoutAudit: boolean;
  readonly withoutAuthz: boolean;
}

const FULL: Mode = { label: "authz + audit", withoutAudit: false, withoutAuthz: false };
const NO_AUDIT: Mode = { label: "authz, no audit", withoutAudit: true, withoutAuthz: false };
const NEITHER: Mode = { label: "neither", withoutAudit: true, withoutAuthz: true };

async function startTarget(database: string | undefined, mode: Mode): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), "openesc-bench-audit-"));
  const config = resolveServerConfig({ listen: "127.0.0.1:0", dataDir, ...(database === undefined ? {} : { database }), logLevel: "warn" }, process.env);
  let token = "";
  const server = await startServer(config, {
    logger: pino({ level: "warn" }),
    benchOnlyWithoutAudit: mode.withoutAudit,
    benchOnlyWithoutAuthz: mode.withoutAuthz,
    announce: (s) => (token = s.bootstrap.adminToken ?? ""),
  });
  const transportFor = (bearer: () => string) =>
    createGrpcTransport({ baseUrl: server.url, interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${bearer()}`), next(req))] });
  const admin = transportFor(() => token);
  await createClient(EnvironmentService, admin).createEnvironment({ ...ENV, definition: DEFINITION });
  // The measured caller: a member reading through a grant, so authorization loads real facts.
  const reader = (await createClient(TokenService, admin).createToken({ org: "default", user: "reader", role: "member", description: "bench" })).secret;
  await createClient(GrantService, admin).setGrant({ org: "default", subject: "user:reader", project: ENV.project, environment: ENV.environment, permission: "read" });
  const client = createClient(EnvironmentService, transportFor(() => reader));
  return {
    server,
    client,
    latencies: { sequential: [], concurrent: [] },
    concurrentMs: 0,
    concurrentCpuUs: 0,
    dispose: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function timed(target: Target, into: number[]): Promise<void> {
  const t0 = performance.now();
  await target.client.getEnvironment({ ...ENV, version: "" });
  into.push(performance.now() - t0);
}

async function round(target: Target): Promise<void> {
  for (let i = 0; i < CALLS; i++) await timed(target, target.latencies.sequential);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: STREAMS }, async () => {
      while (next++ < CALLS * 4) await timed(target, target.latencies.concurrent);
    }),
  );
  target.concurrentMs += performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  target.concurrentCpuUs += cpu.user + cpu.system;
}

function cpuPerCall(t: Target): number {
  return t.concurrentCpuUs / Math.max(1, t.latencies.concurrent.length);
}

function pct(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function benchDialect(name: string, database: () => Promise<string | undefined>): Promise<string[]> {
  const full = await startTarget(await database(), FULL);
  const noAudit = await startTarget(await database(), NO_AUDIT);
  const neither = await startTarget(await database(), NEITHER);
  const targets = [full, noAudit, neither];
  try {
    // Warm-up: JIT, statement caches, pools.
    for (const t of targets) for (let i = 0; i < 200; i++) await t.client.getEnvironment({ ...ENV, version: "" });
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate the order so that no server always runs first or last.
      for (let i = 0; i < targets.length; i++) await round(targets[(r + i) % targets.length] as Target);
    }
    const f = (n: number) => n.toFixed(3);
    const row = (mode: Mode, t: Target) => {
      const rps = t.latencies.concurrent.length / (t.concurrentMs / 1000);
      return `| ${name} | ${mode.label} | ${f(pct(t.latencies.sequential, 50))} | ${f(pct(t.latencies.sequential, 99))} | ${f(pct(t.latencies.concurrent, 50))} | ${f(pct(t.latencies.concurrent, 99))} | ${Math.round(rps)} | ${Math.round(cpuPerCall(t))} |`;
    };
    const delta = (a: Target, b: Target, p: "sequential" | "concurrent") => f(pct(a.latencies[p], 50) - pct(b.latencies[p], 50));
    const cpuDelta = (a: Target, b: Target) => Math.round(cpuPerCall(a) - cpuPerCall(b));
    return [
      row(FULL, full),
      row(NO_AUDIT, noAudit),
      row(NEITHER, neither),
      `| ${name} | **audit adds (p50)** | **${delta(full, noAudit, "sequential")}** |  | **${delta(full, noAudit, "concurrent")}** |  |  | **${cpuDelta(full, noAudit)}** |`,
      `| ${name} | **authz + audit add (p50)** | **${delta(full, neither, "sequential")}** |  | **${delta(full, neither, "concurrent")}** |  |  | **${cpuDelta(full, neither)}** |`,
    ];
  } finally {
    for (const t of targets) await t.dispose();
  }
}

const postgres = testPostgresUrl() === undefined && process.env.BENCH_SQLITE_ONLY !== "1" ? await startTestPostgres() : undefined;
if (postgres !== undefined) process.env.OPENESC_TEST_POSTGRES_URL = postgres.url;
const drops: (() => Promise<void>)[] = [];
try {
  const rows = [...(await benchDialect("SQLite", async () => undefined))];
  if (testPostgresUrl() !== undefined && process.env.BENCH_SQLITE_ONLY !== "1") {
    rows.push(
      ...(await benchDialect("PostgreSQL", async () => {
        const db = await createTestDatabase();
        drops.push(db.drop);
        return db.url;
      })),
    );
  }
  const markdown = `## Audit overhead on GetEnvironment (\`npm run bench:audit\`)

${machineLine()}; ${new Date().toISOString().slice(0, 10)}; load average ${loadavg()[0]?.toFixed(1)} at the start. Three in-process
servers in one run — as production; without the audit step; without authorization and audit (the bench-only
\`benchOnlyWithoutAudit\` / \`benchOnlyWithoutAuthz\` start options) — ${ROUNDS} rotated rounds of ${CALLS} sequential calls
and ${CALLS * 4} calls over ${STREAMS} concurrent streams each; gRPC over h2c; the caller is a member with a \`read\` grant on
the environment (so authorization loads real facts); a 42-value environment. Milliseconds.

| database | server | sequential p50 | sequential p99 | ${STREAMS} streams p50 | ${STREAMS} streams p99 | ${STREAMS} streams calls/s | CPU µs/call |
|---|---|---|---|---|---|---|---|
${rows.join("\n")}

CPU µs/call is this process's CPU time per call in the concurrent phase (client and server share the process; the
PostgreSQL backend's own CPU is not in it): unlike latency it does not depend on what else the machine runs.
A read's audit event is one statement on PostgreSQL (lock the chain head, hash, insert, move the head) and one
short transaction on SQLite; concurrent calls' events are group-committed. The budget of issue 6: authorization
and the audit write add ≤ 1 ms to GetEnvironment at p50.`;
  writeResultsSection("audit-overhead", markdown);
  process.stdout.write(`${markdown}\n`);
} finally {
  for (const drop of drops) await drop();
  await postgres?.stop();
}
