// Replica correctness (issue 9 §1): several real server processes on one real PostgreSQL. Nothing a
// request needs may live only in one process: a write through one replica is visible through every
// other on its next request, and concurrent writers on different replicas never collide.
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditService } from "../../src/gen/openesc/v1/audit_pb.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { EnvironmentTagService } from "../../src/gen/openesc/v1/environment_tag_pb.js";
import { GrantService } from "../../src/gen/openesc/v1/grant_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { RevisionService } from "../../src/gen/openesc/v1/revision_pb.js";
import { RevisionTagService } from "../../src/gen/openesc/v1/revision_tag_pb.js";
import { TokenService } from "../../src/gen/openesc/v1/token_pb.js";
import { clientFor } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { codeOf, startCluster, type Cluster } from "./cluster.js";

const pgUrl = testPostgresUrl();
if (pgUrl === undefined) console.warn("\n*** PostgreSQL not available: replica tests SKIPPED ***\n");

interface Replica {
  readonly env: Client<typeof EnvironmentService>;
  readonly tags: Client<typeof EnvironmentTagService>;
  readonly revTags: Client<typeof RevisionTagService>;
  readonly revisions: Client<typeof RevisionService>;
  readonly open: Client<typeof OpenService>;
  readonly tokens: Client<typeof TokenService>;
}

function replica(url: string, token: string): Replica {
  return {
    env: clientFor(EnvironmentService, "grpc", url, token),
    tags: clientFor(EnvironmentTagService, "connect", url, token),
    revTags: clientFor(RevisionTagService, "connect", url, token),
    revisions: clientFor(RevisionService, "connect", url, token),
    open: clientFor(OpenService, "grpc", url, token),
    tokens: clientFor(TokenService, "connect", url, token),
  };
}

describe.each([2, 3])("%i replicas on one PostgreSQL", (count) => {
  let database: TestDatabase;
  let cluster: Cluster;
  let r: Replica[];
  beforeAll(async () => {
    if (pgUrl === undefined) return;
    database = await createTestDatabase();
    cluster = await startCluster(count, database.url);
    r = cluster.replicas.map((s) => replica(s.url, cluster.token));
  }, 120_000);
  afterAll(async () => {
    if (pgUrl === undefined) return;
    expect(await cluster.stop()).toEqual(Array.from({ length: count }, () => 0));
    await database.drop();
  });

  it.skipIf(pgUrl === undefined)("only the first replica bootstraps; the others join the same database", () => {
    expect(cluster.replicas[0]?.token).not.toBe("");
    for (const s of cluster.replicas.slice(1)) expect(s.token).toBe("");
  });

  it.skipIf(pgUrl === undefined)("a definition written through one replica is what every other serves next, resolved too", async () => {
    const ref = { org: "default", project: "vis", environment: `defs${count}` };
    const [a, b] = r as [Replica, Replica];
    await a.env.createEnvironment({ ...ref, definition: "values:\n  color: red\n  pw:\n    fn::secret: hunter2\n" });
    for (const x of r) {
      expect((await x.open.resolveEnvironment(ref)).valueJson).toBe('{\n  "color": "red",\n  "pw": "hunter2"\n}\n');
    }
    await b.env.updateEnvironment({ ...ref, definition: "values:\n  color: blue\n  pw:\n    fn::secret: swordfish\n", baseRevision: 1n });
    for (const x of r) {
      const got = await x.env.getEnvironment(ref);
      expect(got.revision?.number).toBe(2n);
      expect((await x.open.resolveEnvironment(ref)).valueJson).toBe('{\n  "color": "blue",\n  "pw": "swordfish"\n}\n');
      // an older revision still resolves to its own content
      expect((await x.open.resolveEnvironment({ ...ref, version: "1" })).valueJson).toContain('"color": "red"');
    }
  });

  it.skipIf(pgUrl === undefined)("an imported environment changed through one replica changes the importer's resolve on the others", async () => {
    const base = { org: "default", project: "imp", environment: `base${count}` };
    const app = { org: "default", project: "imp", environment: `app${count}` };
    const [a, b] = r as [Replica, Replica];
    await a.env.createEnvironment({ ...base, definition: "values:\n  host: one\n" });
    await a.env.createEnvironment({ ...app, definition: `imports: [imp/base${count}]\nvalues:\n  url: https://\${host}\n` });
    for (const x of r) expect((await x.open.resolveEnvironment(app)).valueJson).toContain('"url": "https://one"');
    await a.env.updateEnvironment({ ...base, definition: "values:\n  host: two\n", baseRevision: 1n });
    for (const x of [b, ...r]) expect((await x.open.resolveEnvironment(app)).valueJson).toContain('"url": "https://two"');
  });

  it.skipIf(pgUrl === undefined)("tags, moved revision tags, retractions, settings and deletes are seen by every replica", async () => {
    const ref = { org: "default", project: "vis", environment: `meta${count}` };
    const [a, b] = r as [Replica, Replica];
    await a.env.createEnvironment({ ...ref, definition: "values:\n  v: 1\n" });
    await a.env.updateEnvironment({ ...ref, definition: "values:\n  v: 2\n", baseRevision: 1n });
    await a.env.updateEnvironment({ ...ref, definition: "values:\n  v: 3\n", baseRevision: 2n });

    await a.tags.setEnvironmentTag({ ...ref, name: "team", value: "payments" });
    for (const x of r) expect((await x.env.getEnvironment(ref)).environment?.tags).toEqual({ team: "payments" });
    await b.tags.setEnvironmentTag({ ...ref, name: "team", value: "billing" });
    for (const x of r) expect((await x.tags.getEnvironmentTag({ ...ref, name: "team" })).tag?.value).toBe("billing");

    await a.revTags.createRevisionTag({ ...ref, tag: "stable", revision: 1n });
    for (const x of r) expect((await x.open.resolveEnvironment({ ...ref, version: "stable" })).valueJson).toBe('{\n  "v": 1\n}\n');
    await b.revTags.updateRevisionTag({ ...ref, tag: "stable", revision: 2n });
    for (const x of r) expect((await x.open.resolveEnvironment({ ...ref, version: "stable" })).valueJson).toBe('{\n  "v": 2\n}\n');

    await a.revisions.retractRevision({ ...ref, revision: 2n, reason: "leaked" });
    for (const x of r) {
      expect(await codeOf(x.open.resolveEnvironment({ ...ref, version: "2" }))).toBe(Code.FailedPrecondition);
    }

    await a.env.updateEnvironmentSettings({ ...ref, deletionProtected: true });
    for (const x of r) expect((await x.env.getEnvironmentSettings(ref)).settings?.deletionProtected).toBe(true);
    expect(await codeOf(b.env.deleteEnvironment(ref))).toBe(Code.FailedPrecondition);
    await b.env.updateEnvironmentSettings({ ...ref, deletionProtected: false });
    await b.env.deleteEnvironment(ref);
    for (const x of r) {
      expect(await codeOf(x.env.getEnvironment(ref))).toBe(Code.NotFound);
      expect(await codeOf(x.open.resolveEnvironment(ref))).toBe(Code.NotFound);
    }
  });

  it.skipIf(pgUrl === undefined)("a token revoked through one replica is refused by every other on its next call", async () => {
    const [a] = r as [Replica];
    const created = await a.tokens.createToken({ description: "replica test" });
    const users = cluster.replicas.map((s) => clientFor(EnvironmentService, "connect", s.url, created.secret));
    // every replica has looked the token up (and cached it) before the revocation
    for (const u of users) await u.listEnvironments({ org: "default" });
    await a.tokens.revokeToken({ id: created.token?.id ?? "" });
    for (const u of users) expect(await codeOf(u.listEnvironments({ org: "default" }))).toBe(Code.Unauthenticated);
  });

  it.skipIf(pgUrl === undefined)("a grant given and removed through one replica works and stops working on every other on its next call", async () => {
    const ref = { org: "default", project: "grants", environment: `env${count}` };
    const [a] = r as [Replica];
    const grants = clientFor(GrantService, "connect", cluster.replicas[0]?.url as string, cluster.token);
    await a.env.createEnvironment({ ...ref, definition: "values:\n  pw:\n    fn::secret: hunter2\n" });
    const bob = await a.tokens.createToken({ description: "bob", user: `bob${count}`, role: "member" });
    const opens = cluster.replicas.map((s) => clientFor(OpenService, "grpc", s.url, bob.secret));
    const denied = await Promise.all(opens.map((o) => codeOf(o.resolveEnvironment(ref))));
    await grants.setGrant({ org: "default", subject: `user:bob${count}`, project: ref.project, environment: ref.environment, permission: "open" });
    for (const o of opens) expect((await o.resolveEnvironment(ref)).valueJson).toBe('{\n  "pw": "hunter2"\n}\n');
    await grants.removeGrant({ org: "default", subject: `user:bob${count}`, project: ref.project, environment: ref.environment });
    const after = await Promise.all(opens.map((o) => codeOf(o.resolveEnvironment(ref))));
    expect(after).toEqual(denied);
    expect(new Set(after)).toEqual(new Set([Code.NotFound]));
  });

  it.skipIf(pgUrl === undefined)("warm open caches on every replica refuse, on the next call, an import whose open permission was taken away", async () => {
    const base = { org: "default", project: "perm", environment: `base${count}` };
    const app = { org: "default", project: "perm", environment: `app${count}` };
    const [a] = r as [Replica];
    const grants = clientFor(GrantService, "connect", cluster.replicas[0]?.url as string, cluster.token);
    await a.env.createEnvironment({ ...base, definition: "values:\n  pw:\n    fn::secret: hunter2\n" });
    await a.env.createEnvironment({ ...app, definition: `imports: [perm/base${count}]\nvalues:\n  url: https://x\n` });
    const carol = await a.tokens.createToken({ description: "carol", user: `carol${count}`, role: "member" });
    for (const env of [app, base]) await grants.setGrant({ org: "default", subject: `user:carol${count}`, project: env.project, environment: env.environment, permission: "open" });
    const opens = cluster.replicas.map((s) => clientFor(OpenService, "grpc", s.url, carol.secret));
    // twice on each replica: the second resolve is answered from the warm cache
    for (const o of [...opens, ...opens]) expect((await o.resolveEnvironment(app)).valueJson).toBe('{\n  "pw": "hunter2",\n  "url": "https://x"\n}\n');
    await grants.setGrant({ org: "default", subject: `user:carol${count}`, project: base.project, environment: base.environment, permission: "read" });
    for (const o of opens) {
      const refused = await o.resolveEnvironment(app).then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      );
      expect({ code: refused?.code, message: refused?.rawMessage }).toEqual({
        code: Code.PermissionDenied,
        message: `permission denied: needs "open" on imported environment "default/perm/base${count}"`,
      });
    }
  });

  it.skipIf(pgUrl === undefined)("concurrent writers on different replicas get distinct, gap-free revision numbers and one unforked audit chain", async () => {
    const ref = { org: "default", project: "race", environment: `writers${count}` };
    await r[0]?.env.createEnvironment({ ...ref, definition: "values: {}\n" });
    const acknowledged = new Map<bigint, string>();
    const writer = async (x: Replica, id: number): Promise<void> => {
      for (let done = 0; done < 5; ) {
        const latest = (await x.env.getEnvironment(ref)).revision?.number ?? 0n;
        const definition = `values:\n  writer: ${id}\n  step: ${done}\n`;
        try {
          const res = await x.env.updateEnvironment({ ...ref, definition, baseRevision: latest });
          const n = res.revision?.number ?? 0n;
          expect(acknowledged.has(n)).toBe(false);
          acknowledged.set(n, definition);
          done++;
        } catch (e) {
          expect(ConnectError.from(e).code).toBe(Code.Aborted); // a stale base: retry on the new latest
        }
      }
    };
    await Promise.all(r.flatMap((x, i) => [writer(x, i * 2), writer(x, i * 2 + 1)]));
    const total = r.length * 2 * 5;
    expect([...acknowledged.keys()].sort((p, q) => Number(p - q))).toEqual(Array.from({ length: total }, (_, i) => BigInt(i + 2)));
    const history = await r[1]?.revisions.listRevisions({ ...ref, pageSize: 100 });
    expect(history?.revisions.map((v) => v.number)).toEqual(Array.from({ length: total + 1 }, (_, i) => BigInt(total + 1 - i)));
    for (const [n, definition] of acknowledged) {
      const got = await r[Number(n) % r.length]?.env.getEnvironment({ ...ref, version: String(n) });
      expect(got?.revision?.definition).toBe(definition);
    }
    // every replica appended audit events to the same chain meanwhile: one unbroken chain, no fork
    const verified = await clientFor(AuditService, "grpc", cluster.replicas[count - 1]?.url as string, cluster.token).verifyAuditLog({ org: "default" });
    expect({ ok: verified.ok, reason: verified.reason, broken: verified.firstBrokenSequence }).toEqual({ ok: true, reason: "", broken: 0n });
    expect(verified.eventsChecked).toBe(verified.lastSequence);
    expect(verified.eventsChecked).toBeGreaterThan(BigInt(total));
  });

  it.skipIf(pgUrl === undefined)("a revision tag created at once through every replica exists once; the others get AlreadyExists", async () => {
    const ref = { org: "default", project: "race", environment: `tags${count}` };
    await r[0]?.env.createEnvironment({ ...ref, definition: "values: {}\n" });
    const codes = await Promise.all(r.flatMap((x) => [1, 2, 3].map(() => codeOf(x.revTags.createRevisionTag({ ...ref, tag: "prod", revision: 1n })))));
    expect(codes.filter((c) => c === "ok")).toHaveLength(1);
    expect(codes.filter((c) => c !== "ok")).toEqual(Array.from({ length: codes.length - 1 }, () => Code.AlreadyExists));
    const names = await Promise.all(
      r.flatMap((x) => [1, 2].map((i) => codeOf(x.env.createEnvironment({ org: "default", project: "race", environment: `same${count}`, definition: `values: {i: ${i}}\n` })))),
    );
    expect(names.filter((c) => c === "ok")).toHaveLength(1);
    expect(names.filter((c) => c !== "ok")).toEqual(Array.from({ length: names.length - 1 }, () => Code.AlreadyExists));
  });

  it.skipIf(pgUrl === undefined)("a session opened on one replica is read on every other, secrets decrypted", async () => {
    const ref = { org: "default", project: "vis", environment: `session${count}` };
    await r[0]?.env.createEnvironment({ ...ref, definition: "values:\n  db:\n    password:\n      fn::secret: s3cret\n" });
    const opened = await r[0]?.open.openEnvironment(ref);
    for (const x of r) {
      const read = await x.open.readOpenEnvironment({ ...ref, sessionId: opened?.sessionId ?? "", path: "db.password" });
      expect(read.valueJson).toBe('"s3cret"\n');
    }
  });
});
