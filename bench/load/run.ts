// `npm run bench:load` (issue 9 §2): mixed traffic (80% resolve, 15% get/list, 5% update) from a
// separate load process (bench/load/load-client.ts) on loopback against the real server binary:
// 1 and 2 replicas on PostgreSQL, 1 on SQLite. Each deployment runs two scenarios of BENCH_SECONDS
// (default 20) each: a closed loop (32 callers: the most it gives) and an open loop at BENCH_RATE
// (default 2000) calls per second on a fixed schedule (the issue's target: 0 errors, resolve p99 ≤ 25 ms
// on one replica). Writes its section of bench/RESULTS.md. For finding where time goes: BENCH_PROFILE=1
// writes server CPU profiles (bench/load/cpu-profile.cjs) and BENCH_STALLS=1 event-loop stall and GC
// summaries (bench/load/stall-probe.cjs) to bench/.out/profiles; BENCH_NODE_OPTIONS adds to the
// servers' NODE_OPTIONS; BENCH_SERVER_OUTPUT=FILE keeps the servers' output (e.g. V8's --trace-gc).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { clientFor } from "../../test/support/clients.js";
import { createTestDatabase, startTestPostgres } from "../../test/support/postgres.js";
import { REPO_ROOT, startTestServer, type TestServer } from "../../test/support/server.js";
import { machineLine, writeResultsSection } from "../support/results-file.js";
import type { LoadPlan, LoadReport, Op } from "./load-client.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const CONCURRENCY = 32;
const PROFILE_DIR = join(REPO_ROOT, "bench/.out/profiles");
const ONLY = process.env.BENCH_ONLY; // e.g. "sqlite" or "postgres-1" to run one deployment

type EnvClient = ReturnType<typeof clientFor<typeof EnvironmentService>>;

/**
 * The data the traffic touches: 5 "typical" environments to resolve (issue 4: 3 imports, 50 values,
 * 10 secrets, interpolation across imports), 100 environments to list and get, 64 to update.
 */
async function seed(c: EnvClient): Promise<Omit<LoadPlan, "targets" | "token" | "seconds" | "rate" | "concurrency">> {
  for (const base of ["net", "db", "obs"]) {
    const values = Array.from({ length: 10 }, (_, i) => (i < 3 ? `  ${base}_secret_${i}:\n    fn::secret: ${base}-s3cr3t-${i}\n` : `  ${base}_value_${i}: ${base}-${i}\n`)).join("");
    await c.createEnvironment({ org: "default", project: "typical", environment: base, definition: `values:\n${values}` });
  }
  const resolve = [];
  for (let a = 0; a < 5; a++) {
    const own = Array.from({ length: 19 }, (_, i) => `  app_${i}: \${net_value_${3 + (i % 7)}}-\${db_value_${3 + (i % 7)}}-${a}\n`).join("");
    const definition = `imports: [typical/net, typical/db, typical/obs]\nvalues:\n${own}  app_token:\n    fn::secret: app-token-${a}\n  environmentVariables:\n    DB_PASSWORD: \${db_secret_0}\n    REGION: \${net_value_3}\n`;
    await c.createEnvironment({ org: "default", project: "typical", environment: `app-${a}`, definition });
    resolve.push({ project: "typical", environment: `app-${a}` });
  }
  const get = [];
  for (let i = 0; i < 100; i++) {
    const environment = `env-${String(i).padStart(3, "0")}`;
    await c.createEnvironment({ org: "default", project: "list", environment, definition: `values:\n  app: service-${i}\n  replicas: ${i % 5}\n  region: eu-west-1\n` });
    get.push({ project: "list", environment });
  }
  const update = [];
  for (let i = 0; i < 64; i++) {
    await c.createEnvironment({ org: "default", project: "churn", environment: `lane-${i}`, definition: "values:\n  counter: 0\n" });
    update.push({ project: "churn", environment: `lane-${i}` });
  }
  return { org: "default", resolve, get, listProject: "list", update };
}

/**
 * The load process: the Go client (bench/load/go: a Node load process would take a large share of the
 * cores it shares with the servers) built into bench/.out; the Node client (bench/load/load-client.ts, same
 * protocol) when Go is missing or fails, or when BENCH_LOAD_CLIENT=node asks for it.
 */
function loadProcess(): { command: string; args: string[]; description: string } {
  const node = { command: process.execPath, args: ["--import", "tsx", join(REPO_ROOT, "bench/load/load-client.ts")], description: "Node.js @grpc/grpc-js process (bench/load/load-client.ts)" };
  if (process.env.BENCH_LOAD_CLIENT === "node") return node;
  const binary = join(REPO_ROOT, "bench/.out/load-client");
  try {
    execFileSync("go", ["build", "-o", binary, "."], { cwd: join(REPO_ROOT, "bench/load/go"), stdio: "inherit" });
    return { command: binary, args: [], description: "Go grpc-go process (bench/load/go)" };
  } catch (e) {
    console.warn(`*** the Go load client could not be built (${(e as Error).message}): FALLING BACK to the Node.js load client, which takes much more CPU from the servers ***`);
    return node;
  }
}

function load(plan: LoadPlan): LoadReport {
  const out = execFileSync(LOAD.command, [...LOAD.args, JSON.stringify(plan)], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split("\n").pop() as string) as LoadReport;
}

interface Deployment {
  readonly id: string;
  readonly label: string;
  readonly replicas: number;
  /** `serve --workers` of each replica (processes sharing its port); default 1. */
  readonly workers?: number;
  readonly database: () => Promise<{ url: string | undefined; drop(): Promise<void> }>;
}

interface Row {
  readonly deployment: string;
  readonly scenario: string;
  readonly report: LoadReport;
  /** CPU seconds all server processes used during the scenario (from /proc). */
  readonly serverCpuSeconds: number;
  /** The bucket bound under which 99% of resolves took, measured inside the servers (ms). */
  readonly serverResolveP99: number | undefined;
}

/**
 * The servers' own ResolveEnvironment histogram (authentication to response, from /metrics): the
 * cumulative count per bucket bound in ms, summed over replicas. Against the load process's figure it
 * tells time spent handling a call from time spent before the server reads it (sockets, a busy loop).
 */
async function resolveBuckets(servers: readonly TestServer[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const server of servers) {
    const text = await (await fetch(new URL("/metrics", server.url))).text();
    for (const m of text.matchAll(/^openesc_rpc_duration_seconds_bucket\{le="([^"]+)",service="openesc\.v1\.OpenService",method="ResolveEnvironment",code="ok"\} (\d+)$/gm)) {
      const bound = m[1] === "+Inf" ? Infinity : 1000 * Number(m[1]);
      counts.set(bound, (counts.get(bound) ?? 0) + Number(m[2]));
    }
  }
  return counts;
}

/** The smallest bucket bound holding 99% of the calls between two scrapes. */
function p99Bound(before: Map<number, number>, after: Map<number, number>): number | undefined {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const delta = (b: number) => (after.get(b) ?? 0) - (before.get(b) ?? 0);
  const total = delta(Infinity);
  if (total === 0) return undefined;
  return bounds.find((b) => delta(b) >= 0.99 * total);
}

/** The pids of a process's children (a replica's workers), from /proc (Linux). */
function childrenOf(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat (Linux). */
function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** NODE_OPTIONS for the servers: the CPU profiler (BENCH_PROFILE=1) and the stall probe (BENCH_STALLS=1). */
function preloads(): Record<string, string> {
  const modules = [
    ...(process.env.BENCH_PROFILE === "1" ? ["cpu-profile.cjs"] : []),
    ...(process.env.BENCH_STALLS === "1" ? ["stall-probe.cjs"] : []),
  ];
  const extra = process.env.BENCH_NODE_OPTIONS; // anything else, e.g. V8 flags to try
  if (modules.length === 0 && extra === undefined) return {};
  return {
    NODE_OPTIONS: [...modules.map((m) => `--require ${join(REPO_ROOT, "bench/load", m)}`), ...(extra === undefined ? [] : [extra])].join(" "),
    BENCH_PROFILE_DIR: PROFILE_DIR,
    BENCH_STALLS_DIR: PROFILE_DIR,
  };
}

async function runDeployment(d: Deployment): Promise<Row[]> {
  const db = await d.database();
  const env = {
    OPENESC_LOG_LEVEL: "warn",
    OPENESC_MASTER_KEY: randomBytes(32).toString("base64"),
    ...preloads(),
  };
  const servers: TestServer[] = [];
  try {
    const args = ["--workers", String(d.workers ?? 1)];
    servers.push(await startTestServer({ database: db.url, env, args }));
    for (let i = 1; i < d.replicas; i++) servers.push(await startTestServer({ database: db.url, env, args }));
    const token = servers[0]?.token as string;
    const data = await seed(clientFor(EnvironmentService, "grpc", servers[0]?.url as string, token));
    const targets = servers.map((s) => new URL(s.url).host);
    const rows: Row[] = [];
    const scenarios = [
      { scenario: `closed loop, ${CONCURRENCY} callers`, rate: 0 },
      { scenario: `open loop, ${RATE.toLocaleString("en-US")} calls/s`, rate: RATE },
    ];
    for (const s of scenarios) {
      console.log(`[${d.label}] ${s.scenario} for ${SECONDS} s…`);
      // a short warm-up so both scenarios measure a warm server (JIT, pools, caches)
      load({ ...data, targets, token, seconds: 2, rate: 0, concurrency: 8 });
      // A replica with workers is its primary and their processes.
      const serverCpu = () => servers.flatMap((server) => [server.process.pid, ...childrenOf(server.process.pid)]).reduce((sum: number, pid) => sum + cpuSecondsOf(pid), 0);
      const cpuBefore = serverCpu();
      const bucketsBefore = await resolveBuckets(servers);
      const report = load({ ...data, targets, token, seconds: SECONDS, rate: s.rate, concurrency: CONCURRENCY });
      const serverCpuSeconds = serverCpu() - cpuBefore;
      const serverResolveP99 = p99Bound(bucketsBefore, await resolveBuckets(servers));
      console.log(JSON.stringify({ ...report, serverCpuSeconds, serverResolveP99 }));
      rows.push({ deployment: d.label, scenario: s.scenario, report, serverCpuSeconds, serverResolveP99 });
    }
    return rows;
  } finally {
    for (const s of servers) await s.stop();
    if (process.env.BENCH_SERVER_OUTPUT !== undefined) (await import("node:fs")).writeFileSync(process.env.BENCH_SERVER_OUTPUT, servers.map((s) => s.output()).join("\n"));
    await db.drop();
  }
}

const ms = (x: number) => x.toFixed(1);
const errorsOf = (r: LoadReport) => {
  const parts = (Object.entries(r.ops) as [Op, LoadReport["ops"][Op]][]).flatMap(([op, o]) => Object.entries(o.errors).map(([code, n]) => `${op} ${code}: ${n}`));
  if (r.shed > 0) parts.push(`shed: ${r.shed}`);
  return parts.length === 0 ? "0" : parts.join(", ");
};

mkdirSync(PROFILE_DIR, { recursive: true });
const LOAD = loadProcess();
const pg = await startTestPostgres();
if (pg === undefined) console.warn("*** PostgreSQL not found: the PostgreSQL deployments are SKIPPED ***");
const deployments: Deployment[] = [
  ...(pg === undefined
    ? []
    : [
        ...[1, 2].map((n) => ({ id: `postgres-${n}`, label: `PostgreSQL, ${n} replica${n > 1 ? "s" : ""}`, replicas: n, database: () => createTestDatabase(pg.url) })),
        { id: "postgres-1x2", label: "PostgreSQL, 1 replica, 2 workers", replicas: 1, workers: 2, database: () => createTestDatabase(pg.url) },
      ]),
  { id: "sqlite", label: "SQLite, 1 replica", replicas: 1, database: async () => ({ url: undefined, drop: async () => {} }) },
  { id: "sqlite-1x2", label: "SQLite, 1 replica, 2 workers", replicas: 1, workers: 2, database: async () => ({ url: undefined, drop: async () => {} }) },
];
const rows: Row[] = [];
try {
  for (const d of deployments) if (ONLY === undefined || ONLY === d.id) rows.push(...(await runDeployment(d)));
} finally {
  await pg?.stop();
}

const table = [
  "| deployment | scenario | req/s | resolve p50 / p99 ms | get p50 / p99 | list p50 / p99 | update p50 / p99 | errors | server CPU ms/call | resolve p99 in the server | load process CPU |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
  ...rows.map(({ deployment, scenario, report: r, serverCpuSeconds, serverResolveP99 }) =>
    `| ${deployment} | ${scenario} | ${Math.round(r.rps).toLocaleString("en-US")} | ${ms(r.ops.resolve.p50)} / ${ms(r.ops.resolve.p99)} | ${ms(r.ops.get.p50)} / ${ms(r.ops.get.p99)} | ${ms(r.ops.list.p50)} / ${ms(r.ops.list.p99)} | ${ms(r.ops.update.p50)} / ${ms(r.ops.update.p99)} | ${errorsOf(r)} | ${r.total === 0 ? "–" : ((1000 * serverCpuSeconds) / r.total).toFixed(2)} | ${serverResolveP99 === undefined ? "–" : `≤ ${serverResolveP99} ms`} | ${((100 * r.loadCpuSeconds) / r.seconds).toFixed(0)}% of a core |`,
  ),
].join("\n");
const section = `## Load (\`npm run bench:load\`)

- Date: ${new Date().toISOString()}
- Machine: ${machineLine()}; load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(", ")} (other sessions share the 2 cores)
- Traffic: 80% ResolveEnvironment (5 typical environments: 3 imports, 50 values, 10 secrets), 10% GetEnvironment, 5% ListEnvironments (page of 20), 5% UpdateEnvironment (64 environments, correct base revision); h2c gRPC from a separate ${LOAD.description}, 2 connections per replica, replicas round-robin.
- Scenarios, ${SECONDS} s each after a 2 s warm-up: closed loop (${CONCURRENCY} callers back to back) and open loop (a fixed schedule of ${RATE.toLocaleString("en-US")} calls/s; latency from the scheduled start, so queueing counts).
- Servers: the real binary (log level warn), sharing one master key; PostgreSQL: a local throwaway cluster (fsync off) on the same 2 cores; the load process runs on them too.

${table}
`;
writeResultsSection("load", section);
console.log(section);
