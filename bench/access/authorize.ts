// `npm run bench:authz`: the authorization step alone, in process, for GetEnvironment as a member whose
// access comes from a team grant — the rule lookup, the effective-permission computation and, on a cache
// miss, the two queries that load the caller's facts (org default + applicable grants). Warm: the facts
// are cached (the ≤ 2 s cache every replica keeps); cold: every call loads them (cache disabled).
// SQLite and PostgreSQL. BENCH_CALLS (default 20000 warm, a tenth cold).
import { loadavg } from "node:os";
import { createContextValues, createHandlerContext } from "@connectrpc/connect";
import { createAuthorizer, createStoreAccessFacts, UNSCOPED, type Principal } from "../../src/auth/index.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { authorize } from "../../src/server/rpc/authorize.js";
import { principalKey } from "../../src/server/rpc/call-context.js";
import { createGrantRepository, createTeamRepository, type Store } from "../../src/store/index.js";
import { machineLine, writeResultsSection } from "../support/results-file.js";
import { withBenchDatabases } from "../support/databases.js";

const CALLS = Number(process.env.BENCH_CALLS ?? 20_000);
const method = EnvironmentService.method.getEnvironment;
const request = { org: "default", project: "bench", environment: "app", version: "", reveal: false };

async function seed(store: Store): Promise<Principal> {
  await store.organizations.create({ name: "default", description: "" });
  const user = await store.identities.createIdentity({ org: "default", login: "reader", kind: "user", role: "member" });
  await store.identities.createToken({ id: "00000000000000b1", identityId: user.id, description: "", secretHash: "h", expiresAt: null });
  const team = await createTeamRepository(store.db).create({ org: "default", name: "readers", description: "" });
  await createTeamRepository(store.db).addMember(team.id, user.id);
  const grants = createGrantRepository(store.db);
  await grants.set({ org: "default", subjectKind: "team", subjectId: team.id, project: "bench", environment: "app", permission: "read", editor: "bench" });
  // Noise: other grants the query must skip.
  for (let i = 0; i < 200; i++) await grants.set({ org: "default", subjectKind: "identity", subjectId: `other-${i}`, project: "bench", environment: `e${i}`, permission: "open", editor: "bench" });
  return { identityId: user.id, login: "reader", org: "default", kind: "user", role: "member", tokenId: "00000000000000b1", scope: UNSCOPED, tokenExpiresAt: null };
}

async function measure(store: Store, principal: Principal, cacheTtlMs: number, calls: number): Promise<{ p50: number; p99: number; mean: number }> {
  const authorizer = createAuthorizer({ source: createStoreAccessFacts(store), cacheTtlMs });
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const ctx = createHandlerContext({
      service: EnvironmentService,
      method,
      protocolName: "bench",
      requestMethod: "POST",
      url: "http://bench/",
      contextValues: createContextValues(),
    });
    ctx.values.set(principalKey, principal);
    const t0 = performance.now();
    await authorize(method, request, ctx, authorizer);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  return { p50: at(0.5), p99: at(0.99), mean: times.reduce((a, b) => a + b, 0) / times.length };
}

async function main(): Promise<void> {
  const rows: string[] = [];
  await withBenchDatabases("authz", async ({ name, store }) => {
    const principal = await seed(store);
    await measure(store, principal, 60_000, 1000); // warm-up
    const warm = await measure(store, principal, 60_000, CALLS);
    const cold = await measure(store, principal, 0, Math.max(100, Math.floor(CALLS / 10)));
    const f = (n: number) => (n * 1000).toFixed(1);
    rows.push(`| ${name} | cached facts | ${f(warm.p50)} | ${f(warm.p99)} | ${f(warm.mean)} |`);
    rows.push(`| ${name} | facts loaded on every call | ${f(cold.p50)} | ${f(cold.p99)} | ${f(cold.mean)} |`);
  });
  const markdown = `## Authorization step alone (\`npm run bench:authz\`)

${machineLine()}; ${new Date().toISOString().slice(0, 10)}; load average ${loadavg()[0]?.toFixed(1)} at the start. In process, no
network: \`authorize()\` for GetEnvironment as a member whose \`read\` comes through a team grant (200 other grants in
the table). "Cached facts" is the steady state (each replica caches a caller's grants for ≤ 2 s); "loaded on every
call" adds the two queries of a cache miss (at most one per token every 2 s in production). Microseconds per
call. p99 and mean are stretched by the load of the shared machine; the p50 is the cost: a few µs per call once
cached, against a ≤ 1 ms budget for authorization and audit together (\`bench:audit\` measures both end to end).

| database | facts | p50 µs | p99 µs | mean µs |
|---|---|---|---|---|
${rows.join("\n")}
`;
  writeResultsSection("authz-step", markdown);
  process.stdout.write(markdown);
}

await main();
