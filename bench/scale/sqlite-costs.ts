// `node --import tsx bench/scale/sqlite-costs.ts sqlite:SEEDED.db` (issue 9 §3, notes on scale): where the
// time of Get / List / Resolve goes on a seeded SQLite file, without the server. Times, in this process,
// the repository calls a request makes — the reads of Get, Resolve and List, and the audit append every
// call ends with — on the seeded file and on a fresh file holding only the environment read, so that a
// slowdown can be pinned on the reads or on the append into the large audit table. Prints a table.
// A diagnostic, not a test; it appends a few hundred audit events to the seeded file.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AuditEventDraft } from "../../src/audit/index.js";
import { createAuditRepository, openStore, sqlitePath, type Store } from "../../src/store/index.js";
import { seededKey } from "./seed.js";
import { sampleEach } from "./sample.js";

const SAMPLES = Number(process.env.BENCH_SCALE_SAMPLES ?? 300);
const ENVIRONMENTS = Number(process.env.BENCH_SCALE_ENVIRONMENTS ?? 100_000);
const TARGET = seededKey(Math.floor(ENVIRONMENTS / 2) + 50);
const KEY = { org: "default", project: TARGET.project, name: TARGET.name };

type Op = "get (getAt)" | "resolve (readDefinition)" | "list first page" | "audit append (own transaction)";
const OPS: readonly Op[] = ["get (getAt)", "resolve (readDefinition)", "list first page", "audit append (own transaction)"];

function draft(i: number): AuditEventDraft {
  return {
    chain: "default",
    time: Date.now(),
    actor: "admin",
    actorId: "bench",
    tokenId: "bench",
    source: "127.0.0.1:1",
    userAgent: "sqlite-costs",
    action: "openesc.v1.EnvironmentService/GetEnvironment",
    org: "default",
    project: KEY.project,
    environment: KEY.name,
    revision: 1,
    providerCalls: [],
    outcome: "ok",
    requestId: `costs-${i}`,
  };
}

async function measure(store: Store): Promise<Record<Op, { p50: number; p99: number }>> {
  const audit = createAuditRepository(store.db, store.capabilities);
  let n = 0;
  const calls: Record<Op, () => Promise<unknown>> = {
    "get (getAt)": () => store.environments.getAt(KEY, ""),
    "resolve (readDefinition)": () => store.environments.readDefinition(KEY, ""),
    "list first page": () => store.environments.list({ org: "default", tags: {}, pageSize: 50, pageToken: "" }),
    "audit append (own transaction)": () => audit.append(draft(n++)),
  };
  return sampleEach(OPS, calls, SAMPLES);
}

const seededUrl = process.argv[2];
if (seededUrl === undefined) {
  console.error("usage: node --import tsx bench/scale/sqlite-costs.ts sqlite:SEEDED.db");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), "openesc-costs-"));
try {
  const empty = await openStore({ url: `sqlite:${join(dir, "empty.db")}` });
  const migrated = await empty.migrate();
  if (migrated.error !== undefined) throw migrated.error;
  await empty.db.insertInto("organizations").values({ name: "default", description: "", created_at: Date.now() }).execute();
  await empty.environments.create({ key: KEY, definition: "values:\n  app: service\n", author: "bench" });
  const seeded = await openStore({ url: seededUrl });
  const results: [string, Record<Op, { p50: number; p99: number }>][] = [];
  try {
    results.push(["empty", await measure(empty)]);
    results.push(["seeded", await measure(seeded)]);
  } finally {
    await empty.close();
    await seeded.close();
  }
  const [e, s] = [results[0]![1], results[1]![1]];
  console.log(`seeded file: ${(statSync(sqlitePath(seededUrl)).size / 2 ** 30).toFixed(2)} GiB; ${SAMPLES} calls each, in-process, ms`);
  console.log("| call | empty p50 / p99 | seeded p50 / p99 | seeded / empty (p50) |\n|---|---|---|---|");
  for (const op of OPS) console.log(`| ${op} | ${e[op].p50.toFixed(3)} / ${e[op].p99.toFixed(3)} | ${s[op].p50.toFixed(3)} / ${s[op].p99.toFixed(3)} | ${(s[op].p50 / e[op].p50).toFixed(2)}× |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
