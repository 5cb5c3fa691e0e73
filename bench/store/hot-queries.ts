// `npm run bench:store`: what the environment repository's per-call methods cost in process — the
// read paths of GetEnvironment, ListEnvironments, Resolve (readDefinition, the open caches' pin check)
// and the write path of UpdateEnvironment — through the store's front door (`store.environments`),
// sequential calls on a seeded SQLite file and, when PostgreSQL can run here, a PostgreSQL database.
// µs per call, p50 and mean, each the median over ROUNDS rounds of BENCH_CALLS/ROUNDS calls.
//
// BENCH_STORE_BEFORE=<directory of another checkout> measures that checkout's code too: the two run
// alternately (PAIRS child processes each, this file copied into the other checkout), and the section
// in bench/RESULTS.md gets both figures, the medians over the pairs. BENCH_STORE_JSON=1: print the
// figures as JSON instead of writing them (the child processes of that comparison).
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import { join, relative, resolve } from "node:path";
import type { Store } from "../../src/store/index.js";
import { withBenchDatabases } from "../support/databases.js";
import { machineLine, writeResultsSection } from "../support/results-file.js";

const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const ROUNDS = 5;
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);

/** Figures per database, per method: µs per call. */
type Figures = Record<string, Record<string, { p50: number; mean: number }>>;

const KEY = { org: "acme", project: "payments", name: "app" };
const DEFINITION = "values:\n  region: eu-west-1\n  replicas: 3\n  endpoint: https://api.example.com\n";

async function seed(store: Store): Promise<void> {
  await store.organizations.create({ name: "acme", description: "" });
  const envs = store.environments;
  // 60 environments: a full first page of 50 and a second page.
  for (let i = 0; i < 60; i++) {
    const key = { ...KEY, name: i === 0 ? "app" : `svc-${String(i).padStart(2, "0")}` };
    await envs.create({ key, definition: DEFINITION, author: "seed" });
    await envs.setTag(key, { name: "team", value: i % 2 === 0 ? "payments" : "ledger", editor: "seed" });
    await envs.setTag(key, { name: "tier", value: String(i % 3), editor: "seed" });
  }
  for (let base = 1; base < 10; base++) await envs.update({ key: KEY, definition: `${DEFINITION}  build: ${base}\n`, baseRevision: base, author: "seed" });
  await envs.createRevisionTag(KEY, { name: "stable", revision: 5, editor: "seed" });
  await envs.createRevisionTag(KEY, { name: "canary", revision: 9, editor: "seed" });
  await envs.create({ key: { ...KEY, name: "written" }, definition: DEFINITION, author: "seed" });
}

function cases(store: Store): [string, () => Promise<unknown>][] {
  const envs = store.environments;
  const written = { ...KEY, name: "written" };
  let latest = 1;
  const page2 = envs.list({ org: "acme", pageSize: 50, pageToken: "" }).then((p) => p.nextPageToken);
  return [
    ["get (environment + its tags)", () => envs.get(KEY)],
    ["getAt latest", () => envs.getAt(KEY, "")],
    ["getAt by number", () => envs.getAt(KEY, "3")],
    ["getAt by tag", () => envs.getAt(KEY, "stable")],
    ["readDefinition latest", () => envs.readDefinition(KEY, "")],
    ["resolveVersion by tag", () => envs.resolveVersion(KEY, "stable")],
    ["pinRevisions (latest, number, tag)", () => envs.pinRevisions("acme", [{ project: "payments", name: "app", version: "" }, { project: "payments", name: "svc-01", version: "1" }, { project: "payments", name: "app", version: "stable" }])],
    ["list org, 10 per page", () => envs.list({ org: "acme", pageSize: 10, pageToken: "" })],
    ["list org, 50 per page, page 2", async () => envs.list({ org: "acme", pageSize: 50, pageToken: await page2 })],
    ["list org + tag filter", () => envs.list({ org: "acme", tags: { team: "payments" }, pageSize: 10, pageToken: "" })],
    ["listRevisions, 10 per page", () => envs.listRevisions(KEY, { pageSize: 10, pageToken: "" })],
    ["getAt, not found", () => envs.getAt({ ...KEY, name: "missing" }, "").catch(() => undefined)],
    ["update (new revision)", async () => {
      await envs.update({ key: written, definition: `${DEFINITION}  n: ${latest}\n`, baseRevision: latest, author: "bench" });
      latest++;
    }],
  ];
}

async function timed(calls: number, fn: () => Promise<unknown>): Promise<{ p50: number; mean: number }> {
  const times = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await fn();
    times[i] = performance.now() - t0;
  }
  times.sort();
  let sum = 0;
  for (const t of times) sum += t;
  return { p50: (times[Math.floor(calls / 2)] as number) * 1000, mean: (sum / calls) * 1000 };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function measure(): Promise<Figures> {
  const figures: Figures = {};
  await withBenchDatabases("store", async ({ name, store }) => {
    await seed(store);
    const list = cases(store);
    for (const [, fn] of list) for (let i = 0; i < 500; i++) await fn(); // warm-up (JIT, statement caches)
    const rounds: Record<string, { p50: number; mean: number }[]> = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, fn] of list) (rounds[label] ??= []).push(await timed(Math.max(1, Math.floor(CALLS / ROUNDS)), fn));
    }
    figures[name] = Object.fromEntries(Object.entries(rounds).map(([label, r]) => [label, { p50: median(r.map((x) => x.p50)), mean: median(r.map((x) => x.mean)) }]));
  });
  return figures;
}

/** Runs this benchmark in `root` (a checkout) as a child process and returns its figures. */
function measureIn(root: string): Figures {
  const here = resolve(import.meta.dirname, "hot-queries.ts");
  const there = join(root, relative(resolve(import.meta.dirname, "..", ".."), here));
  if (there !== here) {
    mkdirSync(join(there, ".."), { recursive: true });
    copyFileSync(here, there);
  }
  const child = spawnSync(process.execPath, ["--import", "tsx", there], { cwd: root, env: { ...process.env, BENCH_STORE_JSON: "1", BENCH_STORE_BEFORE: "" }, encoding: "utf8", maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`bench in ${root} failed: ${child.stderr}`);
  const line = child.stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as Figures;
}

const f = (n: number | undefined): string => (n === undefined ? "–" : n.toFixed(1));

function table(after: Figures, before?: Figures): string {
  const rows: string[] = [];
  for (const [db, methods] of Object.entries(after)) {
    for (const [label, s] of Object.entries(methods)) {
      const b = before?.[db]?.[label];
      rows.push(before === undefined ? `| ${db} | ${label} | ${f(s.p50)} | ${f(s.mean)} |` : `| ${db} | ${label} | ${f(b?.p50)} | ${f(s.p50)} | ${f(b?.mean)} | ${f(s.mean)} |`);
    }
  }
  const head = before === undefined ? "| database | method | p50 µs | mean µs |\n|---|---|---:|---:|" : "| database | method | p50 µs before | p50 µs after | mean µs before | mean µs after |\n|---|---|---:|---:|---:|---:|";
  return `${head}\n${rows.join("\n")}`;
}

function medianFigures(runs: readonly Figures[]): Figures {
  const out: Figures = {};
  for (const [db, methods] of Object.entries(runs[0] ?? {})) {
    out[db] = Object.fromEntries(
      Object.keys(methods).map((label) => [
        label,
        { p50: median(runs.map((r) => r[db]?.[label]?.p50 ?? Number.NaN)), mean: median(runs.map((r) => r[db]?.[label]?.mean ?? Number.NaN)) },
      ]),
    );
  }
  return out;
}

async function main(): Promise<void> {
  if (process.env.BENCH_STORE_JSON === "1") {
    process.stdout.write(`${JSON.stringify(await measure())}\n`);
    return;
  }
  const beforeRoot = process.env.BENCH_STORE_BEFORE ?? "";
  const load = loadavg()[0]?.toFixed(1);
  const started = new Date().toISOString().slice(0, 16).replace("T", " ");
  let body: string;
  if (beforeRoot === "") {
    body = `Command: \`npm run bench:store\` (BENCH_CALLS=${CALLS}).\n\n${table(await measure())}`;
  } else {
    const here = resolve(import.meta.dirname, "..", "..");
    const befores: Figures[] = [];
    const afters: Figures[] = [];
    for (let pair = 0; pair < PAIRS; pair++) {
      befores.push(measureIn(resolve(beforeRoot)));
      afters.push(measureIn(here));
      process.stderr.write(`pair ${pair + 1}/${PAIRS} done\n`);
    }
    body = `Command: \`BENCH_STORE_BEFORE=<checkout of the code before> npm run bench:store\` (BENCH_CALLS=${CALLS}, ${PAIRS} pairs of runs, before and after alternately; medians over the pairs).\n\n${table(medianFigures(afters), medianFigures(befores))}`;
  }
  const markdown = `## Store: the environment repository's per-call queries (\`npm run bench:store\`)

${machineLine()}; ${started} UTC; load average ${load} at the start (the machine is shared: figures are noisy).
In process, sequential calls through \`store.environments\` on a seeded store (60 environments with two tags each, the
target with 10 revisions and two revision tags); SQLite is a WAL file, PostgreSQL a local throwaway cluster.
Each figure is the median of ${ROUNDS} rounds of ${Math.floor(CALLS / ROUNDS)} calls after a warm-up.

${body}`;
  process.stdout.write(`${markdown}\n`);
  writeResultsSection("store", markdown);
}

await main();
