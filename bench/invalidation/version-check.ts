// `npm run bench:invalidation`: what the cross-replica version check (src/store/change-feed.ts) costs
// per request. In process, against a real database: `authenticate()` with a warm token cache, without
// the change feed (the cache trusted for its TTL, as before issue 9 §1) and with it (one single-row
// SELECT of the access version before the cache is trusted); `sync()` alone; and the same calls 32 at
// a time, where concurrent requests share the version query. SQLite and PostgreSQL. BENCH_CALLS
// (default 20000 sequential calls per row).
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createAuthenticator, mintToken } from "../../src/auth/index.js";
import { createChangeFeed, openStore, type ChangeFeed, type Store } from "../../src/store/index.js";
import { createTestDatabase, startTestPostgres, testPostgresUrl } from "../../test/support/postgres.js";
import { machineLine, writeResultsSection } from "../support/results-file.js";

const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const CONCURRENCY = 32;

interface Stats {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
}

async function timed(calls: number, fn: () => Promise<unknown>): Promise<Stats> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  return { p50: at(0.5), p99: at(0.99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

/** Calls per second with CONCURRENCY callers in flight. */
async function throughput(calls: number, fn: () => Promise<unknown>): Promise<number> {
  let left = calls;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await fn();
    }),
  );
  return calls / ((performance.now() - t0) / 1000);
}

async function seed(store: Store): Promise<string> {
  await store.organizations.create({ name: "default", description: "" });
  const user = await store.identities.createIdentity({ org: "default", login: "caller", kind: "user", role: "member" });
  const minted = mintToken();
  await store.identities.createToken({ id: minted.id, identityId: user.id, description: "", secretHash: minted.secretHash, expiresAt: null });
  return `Bearer ${minted.secret}`;
}

async function main(): Promise<void> {
  const rows: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), "openesc-bench-invalidation-"));
  let pgStop: (() => Promise<void>) | undefined;
  try {
    const targets: { name: string; url: string; drop?: () => Promise<void> }[] = [{ name: "SQLite", url: `sqlite:${join(dir, "bench.db")}` }];
    let pgUrl = testPostgresUrl();
    if (pgUrl === undefined) {
      const pg = await startTestPostgres();
      if (pg !== undefined) {
        pgUrl = pg.url;
        pgStop = pg.stop;
      }
    }
    if (pgUrl !== undefined) {
      const db = await createTestDatabase(pgUrl);
      targets.push({ name: "PostgreSQL", url: db.url, drop: db.drop });
    }
    for (const target of targets) {
      const store = await openStore({ url: target.url });
      let feed: ChangeFeed | undefined;
      try {
        const migrated = await store.migrate();
        if (migrated.error !== undefined) throw migrated.error;
        const header = await seed(store);
        feed = createChangeFeed({ db: store.db, url: target.url });
        const changes = feed;
        const without = createAuthenticator({ identities: store.identities, cacheTtlMs: 3_600_000 });
        const withFeed = createAuthenticator({ identities: store.identities, cacheTtlMs: 3_600_000, changes });
        const cases: [string, () => Promise<unknown>][] = [
          ["authenticate, warm cache, no version check", () => without.authenticate(header)],
          ["authenticate, warm cache, version check", () => withFeed.authenticate(header)],
          ["version check alone (`sync`)", () => changes.sync()],
        ];
        for (const [, fn] of cases) await timed(1000, fn); // warm-up
        const f = (n: number) => (n * 1000).toFixed(1);
        for (const [label, fn] of cases) {
          const s = await timed(CALLS, fn);
          const rate = await throughput(CALLS, fn);
          rows.push(`| ${target.name} | ${label} | ${f(s.p50)} | ${f(s.p99)} | ${f(s.mean)} | ${Math.round(rate).toLocaleString("en-US")} |`);
        }
      } finally {
        await feed?.close();
        await store.close();
        await target.drop?.();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await pgStop?.();
  }
  const markdown = `## Cross-replica invalidation: the per-request version check (\`npm run bench:invalidation\`)

${machineLine()}; ${new Date().toISOString().slice(0, 10)}; load average ${loadavg()[0]?.toFixed(1)} at the start. In process, the
database on loopback. Every request starts with one single-row primary-key SELECT of the access version
(src/store/change-feed.ts) so that a revocation or a removed grant committed through another replica is seen by the
next request, not after the 2 s cache lifetime. Rows: \`authenticate()\` with a warm token cache without the check (as
before) and with it, and the check alone. Microseconds per call, sequential; the last column is calls per second
with ${CONCURRENCY} callers in flight, where concurrent requests share one version query. p99 and mean are stretched by
the load of the shared machine; the p50 difference is the cost per request.

| database | call | p50 µs | p99 µs | mean µs | calls/s at ${CONCURRENCY} in flight |
|---|---|---|---|---|---|
${rows.join("\n")}
`;
  writeResultsSection("invalidation", markdown);
  process.stdout.write(markdown);
}

await main();
