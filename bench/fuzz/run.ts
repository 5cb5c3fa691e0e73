/**
 * The long fuzz run: `npm run fuzz -- SECONDS` (default 120) runs the CI fuzz properties
 * (test/fuzz) for a bounded time instead of a few hundred runs: the esc parser/evaluator in
 * process, and every RPC of a real server on SQLite and (when PostgreSQL is found) PostgreSQL.
 * Writes runs, duration and findings to bench/RESULTS.md (section `fuzz`); exits 1 on a finding.
 */
import { createClient } from "@connectrpc/connect";
import fc from "fast-check";
import { Health } from "../../src/gen/grpc/health/v1/health_pb.js";
import { neverThrows, secretsStayOutOfDiagnostics } from "../../test/fuzz/esc-properties.js";
import { ALL_METHODS, rpcAnswersCleanly } from "../../test/fuzz/rpc-properties.js";
import { transportFor } from "../../test/support/clients.js";
import { createTestDatabase, startTestPostgres } from "../../test/support/postgres.js";
import { startTestServer } from "../../test/support/server.js";
import { machineLine, writeResultsSection } from "../support/results-file.js";

interface Outcome {
  readonly name: string;
  readonly runs: number;
  readonly seconds: number;
  readonly finding?: string;
  readonly notes?: string;
}

const total = Number(process.argv[2] ?? 120);
if (!Number.isFinite(total) || total <= 0) {
  console.error("usage: npm run fuzz -- SECONDS");
  process.exit(2);
}

async function run<T extends [unknown, ...unknown[]]>(name: string, share: number, property: fc.IAsyncProperty<T>, notes?: () => string): Promise<Outcome> {
  const started = performance.now();
  const details = await fc.check(property, { numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: Math.round(total * share * 1000) });
  const seconds = (performance.now() - started) / 1000;
  const finding = details.failed ? `seed ${details.seed}, path ${details.counterexamplePath}: ${String(details.errorInstance ?? "property returned false").slice(0, 300)}` : undefined;
  const outcome = { name, runs: details.numRuns, seconds, ...(finding === undefined ? {} : { finding }), ...(notes === undefined ? {} : { notes: notes() }) };
  console.log(`${name}: ${outcome.runs} runs in ${seconds.toFixed(1)} s${finding === undefined ? "" : ` — FINDING ${finding}`}`);
  return outcome;
}

async function rpcOutcome(label: string, share: number, database?: string): Promise<Outcome> {
  const server = await startTestServer({ ...(database === undefined ? {} : { database }), env: { OPENESC_LOG_LEVEL: "warn" } });
  const codes = new Map<string, number>();
  try {
    const outcome = await run(`RPC decoding (${ALL_METHODS.length} methods), ${label}`, share, rpcAnswersCleanly({ url: server.url, token: server.token }, (code) => codes.set(code, (codes.get(code) ?? 0) + 1)), () =>
      [...codes.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([code, n]) => `${code} ${n}`)
        .join(", "),
    );
    // The server must still answer after the run.
    const health = createClient(Health, transportFor("grpc", server.url));
    const status = (await health.check({})).status;
    return status === 1 ? outcome : { ...outcome, finding: outcome.finding ?? `server not serving after the run (health ${status})` };
  } finally {
    await server.stop();
  }
}

const outcomes: Outcome[] = [];
outcomes.push(await run("esc: check + evaluate never throw", 0.3, neverThrows));
outcomes.push(await run("esc: secrets stay out of diagnostics", 0.1, secretsStayOutOfDiagnostics));
const postgres = await startTestPostgres();
outcomes.push(await rpcOutcome("SQLite", postgres === undefined ? 0.6 : 0.3));
if (postgres !== undefined) {
  const db = await createTestDatabase(postgres.url);
  try {
    outcomes.push(await rpcOutcome("PostgreSQL", 0.3, db.url));
  } finally {
    await db.drop();
    await postgres.stop();
  }
}

const rows = outcomes.map((o) => `| ${o.name} | ${o.runs.toLocaleString("en")} | ${o.seconds.toFixed(1)} | ${o.finding ?? "none"} |`);
const notes = outcomes.filter((o) => o.notes !== undefined).map((o) => `- ${o.name}, answers: ${o.notes}`);
writeResultsSection(
  "fuzz",
  `## Fuzzing (\`npm run fuzz -- ${total}\`)

${machineLine()}; ${new Date().toISOString().slice(0, 10)}. fast-check properties from \`test/fuzz/\` (CI runs the same
properties for a few hundred runs each). A finding is a counterexample: the property's seed and path reproduce it.

| property | runs | seconds | findings |
|---|---:|---:|---|
${rows.join("\n")}

${notes.join("\n")}

How to read the answers: \`http 505\` is a bidirectional stream (reflection) asked for over HTTP/1.1, which
Connect refuses by design; \`deadline_exceeded\` is a \`Health/Watch\` stream that ran to the fuzzer's 10 s
deadline, as a watch does.

Bugs the fuzzers and hostile-input tests found, all fixed with a regression test:
- native gRPC answered an undecodable request message with \`internal\` (grpc-js's deserializer error) → now \`invalid_argument\`
  (\`test/hostile/limits.test.ts\`, "malformed messages").
- Connect and gRPC-Web answered an undecodable binary message with \`internal\` "parse binary" (connect-es) → now
  \`invalid_argument\` on Connect unary, Connect streams and gRPC-Web (\`test/hostile/limits.test.ts\`).
- On PostgreSQL, text holding U+0000 failed as \`internal\` (definitions, descriptions) or \`unavailable\` (the audit write of a
  name holding it), while SQLite stored it → every request field holding U+0000 is refused with \`invalid_argument\`, and the
  audit step records such a name as U+FFFD (\`test/hostile/hostile-input.test.ts\`).
- The HTTP/1.1 header time-out never ran (the server behind the one-port listener never emitted \`listening\`, so Node never
  checked it): a slow-loris connection was held forever → now closed after \`--header-timeout-ms\` (\`test/hostile/limits.test.ts\`).`,
);
const found = outcomes.filter((o) => o.finding !== undefined);
process.exit(found.length === 0 ? 0 : 1);
