// `npm run bench:invalidation`: what the cross-replica version check (src/store/change-feed.ts) costs
// per request. In process, against a real database: `authenticate()` with a warm token cache, without
// the change feed (the cache trusted for its TTL, as before issue 9 §1) and with it (one single-row
// SELECT of the access version before the cache is trusted); `sync()` alone; and the same calls 32 at
// a time, where concurrent requests share the version query. SQLite and PostgreSQL. BENCH_CALLS
// (default 20000 sequential calls per row).
import { loadavg } from "node:os";
import { createAuthenticator, mintToken } from "../../src/auth/index.js";
import { createChangeFeed, type ChangeFeed, type Store } from "../../src/store/index.js";
import { machineLine, writeResultsSection } from "../support/results-file.js";
import { withBenchDatabases } from "../support/databases.js";

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
  await withBenchDatabases("invalidation", async ({ name, url, store }) => {
    const header = await seed(store);
    const changes: ChangeFeed = createChangeFeed({ db: store.db, url });
    try {
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
        rows.push(`| ${name} | ${label} | ${f(s.p50)} | ${f(s.p99)} | ${f(s.mean)} | ${Math.round(rate).toLocaleString("en-US")} |`);
      }
    } finally {
      await changes.close();
    }
  });
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
