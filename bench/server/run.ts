// `npm run bench:server`: GetEnvironment, ListEnvironments (ghz) and UpdateEnvironment (a grpc-js
// load process) over h2c gRPC against the real server binary, on SQLite and PostgreSQL, 32 streams,
// BENCH_SECONDS (default 10) each; plus the bare grpc-js ceiling in the same run. Writes bench/RESULTS.md.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { clientFor } from "../../test/support/clients.js";
import { startTestPostgres, createTestDatabase } from "../../test/support/postgres.js";
import { REPO_ROOT, startTestServer } from "../../test/support/server.js";
import { findTool } from "../../test/support/tools.js";
import { machineLine, writeResultsSection } from "../support/results-file.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = 32;
const OUT = join(REPO_ROOT, "bench/.out");
mkdirSync(OUT, { recursive: true });
const ghz = findTool("ghz");
if (ghz === undefined) throw new Error("ghz not found: run scripts/setup-tools.sh");
const protoset = join(OUT, "openesc.binpb");
execFileSync("npx", ["buf", "build", "--path", "proto/openesc", "-o", protoset], { cwd: REPO_ROOT, stdio: "inherit" });

const DEFINITION = `values:
  app:
    name: payments
    region: eu-west-1
    replicas: 3
  db:
    host: db.internal
    port: 5432
    user: payments
  features: [a, b, c]
  environmentVariables:
    APP_NAME: payments
    DB_HOST: db.internal
  pulumiConfig:
    aws:region: eu-west-1
`;

/**
 * The "typical environment" of issue 4: 3 imports, 50 values, 10 secrets, no providers. Each import
 * holds 10 values (3 of them secrets); the root adds 20 values (1 secret) and interpolates imports.
 */
async function seedTypical(c: ReturnType<typeof clientFor<typeof EnvironmentService>>): Promise<void> {
  for (const base of ["net", "db", "obs"]) {
    const values = Array.from({ length: 10 }, (_, i) => (i < 3 ? `  ${base}_secret_${i}:\n    fn::secret: ${base}-s3cr3t-${i}\n` : `  ${base}_value_${i}: ${base}-${i}\n`)).join("");
    await c.createEnvironment({ org: "default", project: "typical", environment: base, definition: `values:\n${values}` });
  }
  const own = Array.from({ length: 19 }, (_, i) => `  app_${i}: \${net_value_${3 + (i % 7)}}-\${db_value_${3 + (i % 7)}}\n`).join("");
  const definition = `imports: [typical/net, typical/db, typical/obs]\nvalues:\n${own}  app_token:\n    fn::secret: app-token\n  environmentVariables:\n    DB_PASSWORD: \${db_secret_0}\n    REGION: \${net_value_3}\n`;
  await c.createEnvironment({ org: "default", project: "typical", environment: "app", definition });
}

interface Row {
  readonly label: string;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: string;
}

function runGhz(address: string, call: string, data: object, token?: string): Row & { raw: unknown } {
  const args = ["--insecure", "--protoset", protoset, "--call", call, "-d", JSON.stringify(data), "-c", String(CONCURRENCY), "-z", `${SECONDS}s`, "--duration-stop", "wait", "--format", "json"];
  if (token !== undefined) args.push("--metadata", JSON.stringify({ authorization: `Bearer ${token}` }));
  const out = execFileSync(ghz as string, [...args, address], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const r = JSON.parse(out) as { rps: number; latencyDistribution: { percentage: number; latency: number }[] | null; statusCodeDistribution: Record<string, number> };
  const at = (p: number) => (r.latencyDistribution?.find((d) => d.percentage === p)?.latency ?? 0) / 1e6;
  const errors = Object.entries(r.statusCodeDistribution).filter(([code]) => code !== "OK").map(([code, n]) => `${code}: ${n}`).join(", ") || "0";
  return { label: call.split(".").pop() as string, rps: r.rps, p50: at(50), p99: at(99), errors, raw: r };
}

function runUpdates(address: string, token: string, project: string): Row {
  const out = execFileSync(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench/server/update-load.ts"), address, token, project, String(CONCURRENCY), String(SECONDS)], { encoding: "utf8", cwd: REPO_ROOT });
  const r = JSON.parse(out.trim().split("\n").pop() as string) as { rps: number; p50: number; p99: number; errors: number };
  return { label: "UpdateEnvironment", rps: r.rps, p50: r.p50, p99: r.p99, errors: String(r.errors) };
}

async function benchDialect(name: string, database: string | undefined): Promise<Row[]> {
  const server = await startTestServer({ database, env: { OPENESC_LOG_LEVEL: "warn" } });
  try {
    const address = new URL(server.url).host;
    const c = clientFor(EnvironmentService, "grpc", server.url, server.token);
    await c.createEnvironment({ org: "default", project: "bench", environment: "dev", definition: DEFINITION });
    for (let i = 0; i < 100; i++) await c.createEnvironment({ org: "default", project: "list", environment: `env-${String(i).padStart(3, "0")}`, definition: DEFINITION });
    for (let i = 0; i < CONCURRENCY; i++) await c.createEnvironment({ org: "default", project: "upd", environment: `lane-${i}`, definition: DEFINITION });
    console.log(`[${name}] GetEnvironment…`);
    const get = runGhz(address, "openesc.v1.EnvironmentService.GetEnvironment", { org: "default", project: "bench", environment: "dev" }, server.token);
    console.log(`[${name}] ListEnvironments…`);
    const list = runGhz(address, "openesc.v1.EnvironmentService.ListEnvironments", { org: "default", project: "list", page_size: 20 }, server.token);
    console.log(`[${name}] UpdateEnvironment…`);
    const update = runUpdates(address, server.token, "upd");
    await seedTypical(c);
    console.log(`[${name}] ResolveEnvironment…`);
    const resolve = runGhz(address, "openesc.v1.OpenService.ResolveEnvironment", { org: "default", project: "typical", environment: "app" }, server.token);
    return [get, list, update, resolve];
  } finally {
    await server.stop();
  }
}

async function ceiling(): Promise<Row> {
  const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "bench/server/grpc-js-ceiling.ts")], {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_DEFINITION: DEFINITION },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = await new Promise<string>((resolve) => child.stdout.on("data", (d: Buffer) => { const m = /PORT (\d+)/.exec(String(d)); if (m) resolve(m[1] as string); }));
  try {
    console.log("[ceiling] bare grpc-js GetEnvironment…");
    return { ...runGhz(`127.0.0.1:${port}`, "openesc.v1.EnvironmentService.GetEnvironment", { org: "default", project: "bench", environment: "dev" }), label: "GetEnvironment (bare grpc-js, constant reply)" };
  } finally {
    child.kill();
  }
}

const fmt = (r: Row) => `| ${r.label} | ${Math.round(r.rps).toLocaleString("en-US")} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.errors} |`;
const sections: string[] = [];
const ceil = await ceiling();
const sqlite = await benchDialect("sqlite", undefined);
const pg = await startTestPostgres();
let postgres: Row[] | undefined;
if (pg !== undefined) {
  const db = await createTestDatabase(pg.url);
  postgres = await benchDialect("postgres", db.url);
  await db.drop();
  await pg.stop();
} else {
  console.warn("*** PostgreSQL not found: the Postgres half of the benchmark is SKIPPED ***");
}
const header = "| RPC | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|";
sections.push(`## Server (\`npm run bench:server\`)\n\nMachine: ${machineLine()}. Date: ${new Date().toISOString().slice(0, 10)}.\n` +
  `Load: ghz (Go, separate process) over h2c gRPC, ${CONCURRENCY} concurrent, ${SECONDS} s per row, one connection, --protoset; ` +
  `UpdateEnvironment by a @grpc/grpc-js load process (32 lanes, each on its own environment with the correct base revision). ` +
  `Server: the real binary, log level warn.\n`);
sections.push(`### Ceiling\n\n${header}\n${fmt(ceil)}\n`);
sections.push(`### SQLite\n\n${header}\n${sqlite.map(fmt).join("\n")}\n\nGetEnvironment reaches ${Math.round((100 * (sqlite[0] as Row).rps) / ceil.rps)}% of the bare grpc-js ceiling measured in the same run.\n`);
if (postgres !== undefined) sections.push(`### PostgreSQL\n\n${header}\n${postgres.map(fmt).join("\n")}\n`);
writeResultsSection("server", sections.join("\n"));
console.log(sections.join("\n"));
