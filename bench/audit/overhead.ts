// `npm run bench:audit`: what the audit step adds to GetEnvironment. Two in-process servers in the
// same run on the same machine — one as production runs, one started with the bench-only option
// that leaves the audit step out (an internal startServer option, never a CLI flag) — answer
// GetEnvironment over h2c gRPC, measured in interleaved rounds so that machine noise falls on both
// alike. Sequential calls (latency) and 16 concurrent streams (throughput), on SQLite and
// PostgreSQL. BENCH_ROUNDS (default 20) × BENCH_CALLS (default 100) calls per server and mode.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { pino } from "pino";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
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
}

async function startTarget(database: string | undefined, withoutAudit: boolean): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), "openesc-bench-audit-"));
  const config = resolveServerConfig({ listen: "127.0.0.1:0", dataDir, ...(database === undefined ? {} : { database }), logLevel: "warn" }, process.env);
  let token = "";
  const server = await startServer(config, {
    logger: pino({ level: "warn" }),
    benchOnlyWithoutAudit: withoutAudit,
    announce: (s) => (token = s.bootstrap.adminToken ?? ""),
  });
  const transport = createGrpcTransport({
    baseUrl: server.url,
    interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${token}`), next(req))],
  });
  const client = createClient(EnvironmentService, transport);
  await client.createEnvironment({ ...ENV, definition: DEFINITION });
  return {
    server,
    client,
    latencies: { sequential: [], concurrent: [] },
    concurrentMs: 0,
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
  let next = 0;
  await Promise.all(
    Array.from({ length: STREAMS }, async () => {
      while (next++ < CALLS * 4) await timed(target, target.latencies.concurrent);
    }),
  );
  target.concurrentMs += performance.now() - t0;
}

function pct(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function benchDialect(name: string, database: () => Promise<string | undefined>): Promise<string[]> {
  const audited = await startTarget(await database(), false);
  const plain = await startTarget(await database(), true);
  try {
    // Warm-up: JIT, statement caches, pools.
    for (const t of [audited, plain]) for (let i = 0; i < 200; i++) await t.client.getEnvironment({ ...ENV, version: "" });
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? [audited, plain] : [plain, audited];
      for (const t of order) await round(t);
    }
    const f = (n: number) => n.toFixed(3);
    const row = (label: string, t: Target) => {
      const rps = t.latencies.concurrent.length / (t.concurrentMs / 1000);
      return `| ${name} | ${label} | ${f(pct(t.latencies.sequential, 50))} | ${f(pct(t.latencies.sequential, 99))} | ${f(pct(t.latencies.concurrent, 50))} | ${f(pct(t.latencies.concurrent, 99))} | ${Math.round(rps)} |`;
    };
    const delta = (p: "sequential" | "concurrent") => pct(audited.latencies[p], 50) - pct(plain.latencies[p], 50);
    const summary = `| ${name} | **audit adds (p50)** | **${f(delta("sequential"))}** |  | **${f(delta("concurrent"))}** |  |  |`;
    return [row("with audit", audited), row("without audit", plain), summary];
  } finally {
    await audited.dispose();
    await plain.dispose();
  }
}

const postgres = testPostgresUrl() === undefined ? await startTestPostgres() : undefined;
if (postgres !== undefined) process.env.OPENESC_TEST_POSTGRES_URL = postgres.url;
const drops: (() => Promise<void>)[] = [];
try {
  const rows = [...(await benchDialect("SQLite", async () => undefined))];
  if (testPostgresUrl() !== undefined) {
    rows.push(
      ...(await benchDialect("PostgreSQL", async () => {
        const db = await createTestDatabase();
        drops.push(db.drop);
        return db.url;
      })),
    );
  }
  const markdown = `## Audit overhead on GetEnvironment (\`npm run bench:audit\`)

${machineLine()}; ${new Date().toISOString().slice(0, 10)}. Two in-process servers in one run — one with the audit step, one
without (the bench-only \`benchOnlyWithoutAudit\` start option) — ${ROUNDS} interleaved rounds of ${CALLS} sequential calls and
${CALLS * 4} calls over ${STREAMS} concurrent streams each, gRPC over h2c, admin token, a 42-value environment. Milliseconds.
Authorization: the access step was not in the pipeline when this ran, so the figures are the audit write alone.

| database | server | sequential p50 | sequential p99 | ${STREAMS} streams p50 | ${STREAMS} streams p99 | ${STREAMS} streams calls/s |
|---|---|---|---|---|---|---|
${rows.join("\n")}

The audit write is one short transaction per read (lock the chain head, insert the event, move the head); the
budget of issue 6 is ≤ 1 ms at p50.`;
  writeResultsSection("audit-overhead", markdown);
  process.stdout.write(`${markdown}\n`);
} finally {
  for (const drop of drops) await drop();
  await postgres?.stop();
}
