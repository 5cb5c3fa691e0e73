// Cross-replica cache invalidation (issue 9 §1, src/store/change-feed.ts): a change of access made
// through one replica is seen by every other replica on its VERY NEXT call — no sleeps anywhere.
// Every replica's caches are warmed first (token lookups, permission facts, the JWKS), so each test
// fails when a replica answers from a cache filled before the change.
import { spawnSync } from "node:child_process";
import type { DescService } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { GrantService } from "../../src/gen/openesc/v1/grant_pb.js";
import { MemberService } from "../../src/gen/openesc/v1/member_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { OrganizationService } from "../../src/gen/openesc/v1/organization_pb.js";
import { ServiceAccountService } from "../../src/gen/openesc/v1/service_account_pb.js";
import { TeamService } from "../../src/gen/openesc/v1/team_pb.js";
import { TokenService } from "../../src/gen/openesc/v1/token_pb.js";
import { LISTENER_APPLICATION_NAME } from "../../src/store/index.js";
import { clientFor } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { OPENESC_BIN } from "../support/server.js";
import { codeOf, startCluster, type Cluster } from "./cluster.js";

const pgUrl = testPostgresUrl();
if (pgUrl === undefined) console.warn("\n*** PostgreSQL not available: replica invalidation tests SKIPPED ***\n");

const DEFINITION = "values:\n  pw:\n    fn::secret: hunter2\n";
const RESOLVED = '{\n  "pw": "hunter2"\n}\n';

describe.each([2, 3])("%i replicas: access changed through one is seen by the next call through the others", (count) => {
  let database: TestDatabase;
  let cluster: Cluster;
  let admin: pg.Client;
  const databaseName = () => new URL(database.url).pathname.slice(1);
  /** An admin client of replica `i` for service `S`. */
  const as = <S extends DescService>(service: S, i: number, token = cluster.token) => clientFor(service, i % 2 === 0 ? "connect" : "grpc", cluster.replicas[i]?.url as string, token);
  /** Calls `call` once through every replica but the first (the one the change went through). */
  async function throughOthers<T>(call: (i: number) => Promise<T>): Promise<Awaited<T>[]> {
    const out: Awaited<T>[] = [];
    for (let i = 1; i < count; i++) out.push(await call(i));
    return out;
  }
  /** The listener connections of the cluster's database, once their count is `expected` (polled; a reconnect takes a moment). */
  async function listeners(expected: number): Promise<number> {
    for (let i = 0; ; i++) {
      const r = await admin.query<{ n: string }>("select count(*) as n from pg_stat_activity where application_name = $1 and datname = $2", [LISTENER_APPLICATION_NAME, databaseName()]);
      const n = Number(r.rows[0]?.n);
      if (n === expected || i === 200) return n;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    if (pgUrl === undefined) return;
    database = await createTestDatabase();
    cluster = await startCluster(count, database.url);
    admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
  }, 120_000);
  afterAll(async () => {
    if (pgUrl === undefined) return;
    await admin.end();
    // Graceful drain closes the LISTEN connection too: every replica exits 0.
    expect(await cluster.stop()).toEqual(Array.from({ length: count }, () => 0));
    await database.drop();
  });

  it.skipIf(pgUrl === undefined)("a revoked token is refused at once by every other replica", async () => {
    const created = await as(TokenService, 0).createToken({ description: "revoke me" });
    const users = cluster.replicas.map((_, i) => as(EnvironmentService, i, created.secret));
    for (const u of [...users, ...users]) expect(await codeOf(u.listEnvironments({ org: "default" }))).toBe("ok");
    await as(TokenService, 0).revokeToken({ id: created.token?.id ?? "" });
    expect(await throughOthers((i) => codeOf(users[i]?.listEnvironments({ org: "default" }) as Promise<unknown>))).toEqual(Array.from({ length: count - 1 }, () => Code.Unauthenticated));
  });

  it.skipIf(pgUrl === undefined)("a removed member's and a deleted service account's tokens are refused at once", async () => {
    const member = await as(TokenService, 0).createToken({ description: "m", user: `leaver${count}`, role: "member" });
    await as(ServiceAccountService, 0).createServiceAccount({ org: "default", name: `robot${count}` });
    const robot = await as(TokenService, 0).createToken({ description: "r", serviceAccount: `robot${count}` });
    const clients = [member.secret, robot.secret].flatMap((secret) => cluster.replicas.map((_, i) => as(EnvironmentService, i, secret)));
    for (const c of clients) expect(await codeOf(c.listEnvironments({ org: "default" }))).toBe("ok");
    await as(MemberService, 0).removeMember({ org: "default", login: `leaver${count}` });
    await as(ServiceAccountService, 0).deleteServiceAccount({ org: "default", name: `robot${count}` });
    const codes = await Promise.all(clients.map((c) => codeOf(c.listEnvironments({ org: "default" }))));
    expect(codes).toEqual(clients.map(() => Code.Unauthenticated));
  });

  it.skipIf(pgUrl === undefined)("a grant added through one replica allows at once on the others; removed, it denies at once", async () => {
    const ref = { org: "default", project: "inval", environment: `grant${count}` };
    await as(EnvironmentService, 0).createEnvironment({ ...ref, definition: DEFINITION });
    const bob = await as(TokenService, 0).createToken({ description: "bob", user: `bob${count}`, role: "member" });
    const opens = cluster.replicas.map((_, i) => as(OpenService, i, bob.secret));
    // Every replica caches bob's facts without the grant.
    for (const o of [...opens, ...opens]) expect(await codeOf(o.resolveEnvironment(ref))).toBe(Code.NotFound);
    await as(GrantService, 0).setGrant({ org: "default", subject: `user:bob${count}`, project: ref.project, environment: ref.environment, permission: "open" });
    expect(await throughOthers(async (i) => (await opens[i]?.resolveEnvironment(ref))?.valueJson)).toEqual(Array.from({ length: count - 1 }, () => RESOLVED));
    for (const o of opens) expect((await o.resolveEnvironment(ref)).valueJson).toBe(RESOLVED);
    await as(GrantService, 0).removeGrant({ org: "default", subject: `user:bob${count}`, project: ref.project, environment: ref.environment });
    expect(await throughOthers((i) => codeOf(opens[i]?.resolveEnvironment(ref) as Promise<unknown>))).toEqual(Array.from({ length: count - 1 }, () => Code.NotFound));
  });

  it.skipIf(pgUrl === undefined)("team membership added and removed through one replica counts at once on the others", async () => {
    const ref = { org: "default", project: "inval", environment: `team${count}` };
    await as(EnvironmentService, 0).createEnvironment({ ...ref, definition: DEFINITION });
    await as(TeamService, 0).createTeam({ org: "default", name: `ops${count}` });
    await as(GrantService, 0).setGrant({ org: "default", subject: `team:ops${count}`, project: ref.project, environment: ref.environment, permission: "open" });
    const dave = await as(TokenService, 0).createToken({ description: "dave", user: `dave${count}`, role: "member" });
    const opens = cluster.replicas.map((_, i) => as(OpenService, i, dave.secret));
    for (const o of [...opens, ...opens]) expect(await codeOf(o.resolveEnvironment(ref))).toBe(Code.NotFound);
    await as(TeamService, 0).addTeamMember({ org: "default", team: `ops${count}`, login: `dave${count}` });
    expect(await throughOthers(async (i) => (await opens[i]?.resolveEnvironment(ref))?.valueJson)).toEqual(Array.from({ length: count - 1 }, () => RESOLVED));
    await as(TeamService, 0).removeTeamMember({ org: "default", team: `ops${count}`, login: `dave${count}` });
    expect(await throughOthers((i) => codeOf(opens[i]?.resolveEnvironment(ref) as Promise<unknown>))).toEqual(Array.from({ length: count - 1 }, () => Code.NotFound));
  });

  it.skipIf(pgUrl === undefined)("an organization's default permission changed through one replica applies at once on the others", async () => {
    const ref = { org: "default", project: "inval", environment: `default${count}` };
    await as(EnvironmentService, 0).createEnvironment({ ...ref, definition: DEFINITION });
    const erin = await as(TokenService, 0).createToken({ description: "erin", user: `erin${count}`, role: "member" });
    const opens = cluster.replicas.map((_, i) => as(OpenService, i, erin.secret));
    for (const o of [...opens, ...opens]) expect(await codeOf(o.resolveEnvironment(ref))).toBe(Code.NotFound);
    const orgs = as(OrganizationService, 0);
    await orgs.updateOrganizationSettings({ org: "default", settings: { defaultPermission: "open" } });
    try {
      expect(await throughOthers(async (i) => (await opens[i]?.resolveEnvironment(ref))?.valueJson)).toEqual(Array.from({ length: count - 1 }, () => RESOLVED));
    } finally {
      await orgs.updateOrganizationSettings({ org: "default", settings: { defaultPermission: "none" } });
    }
    expect(await throughOthers((i) => codeOf(opens[i]?.resolveEnvironment(ref) as Promise<unknown>))).toEqual(Array.from({ length: count - 1 }, () => Code.NotFound));
  });

  it.skipIf(pgUrl === undefined)("a rotated OIDC signing key is in every replica's JWKS at once", async () => {
    const jwks = async (i: number) => ((await (await fetch(`${cluster.replicas[i]?.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
    const before = await jwks(0);
    expect(before).toHaveLength(1);
    for (let i = 0; i < count; i++) expect(await jwks(i)).toEqual(before);
    const out = spawnSync(process.execPath, [OPENESC_BIN, "admin", "oidc", "rotate-key", "--database", database.url], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: cluster.replicas[0]?.dataDir, ...cluster.env },
    });
    expect(out.stderr).toBe("");
    const after = await jwks(1);
    expect(after).toHaveLength(2);
    expect(after[1]).toBe(before[0]);
    for (let i = 0; i < count; i++) expect(await jwks(i)).toEqual(after);
  });

  it.skipIf(pgUrl === undefined)("killed LISTEN connections come back, and no cache serves stale access meanwhile or after", async () => {
    // Every replica has served calls above, so each has its listener.
    expect(await listeners(count)).toBe(count);
    const killed = await admin.query<{ ok: boolean }>("select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1 and datname = $2", [LISTENER_APPLICATION_NAME, databaseName()]);
    expect(killed.rows).toEqual(Array.from({ length: count }, () => ({ ok: true })));
    // Right after the kill (listeners down or reconnecting): a revocation is still refused at once.
    const first = await as(TokenService, 0).createToken({ description: "during" });
    const during = cluster.replicas.map((_, i) => as(EnvironmentService, i, first.secret));
    for (const u of [...during, ...during]) expect(await codeOf(u.listEnvironments({ org: "default" }))).toBe("ok");
    await as(TokenService, 0).revokeToken({ id: first.token?.id ?? "" });
    expect(await throughOthers((i) => codeOf(during[i]?.listEnvironments({ org: "default" }) as Promise<unknown>))).toEqual(Array.from({ length: count - 1 }, () => Code.Unauthenticated));
    // The listeners reconnect by themselves, and a revocation after that is refused at once too.
    expect(await listeners(count)).toBe(count);
    const second = await as(TokenService, 0).createToken({ description: "after" });
    const after = cluster.replicas.map((_, i) => as(EnvironmentService, i, second.secret));
    for (const u of [...after, ...after]) expect(await codeOf(u.listEnvironments({ org: "default" }))).toBe("ok");
    await as(TokenService, 0).revokeToken({ id: second.token?.id ?? "" });
    expect(await throughOthers((i) => codeOf(after[i]?.listEnvironments({ org: "default" }) as Promise<unknown>))).toEqual(Array.from({ length: count - 1 }, () => Code.Unauthenticated));
  });
});
