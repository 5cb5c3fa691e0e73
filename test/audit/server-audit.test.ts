/**
 * The audit log end to end: the real server process (SQLite and PostgreSQL), real clients, and
 * direct SQL on the server's database for failure injection and tampering.
 */
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { GENESIS_HASH, hashEvent, type AuditEventRecord } from "../../src/audit/index.js";
import { Health, HealthCheckResponse_ServingStatus } from "../../src/gen/grpc/health/v1/health_pb.js";
import { AuditService, type AuditEvent } from "../../src/gen/openesc/v1/audit_pb.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OrganizationService } from "../../src/gen/openesc/v1/organization_pb.js";
import { mintToken } from "../../src/auth/index.js";
import { openStore, type OrgRole, type Store } from "../../src/store/index.js";
import { clientFor } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { breakAuditInserts, countEvents, execSql, repairAuditInserts } from "./support.js";

const ENV = { org: "default", project: "payments", environment: "prod" };
const BAD_TOKEN = `oesc_0123456789abcdef_${"A".repeat(43)}`;

async function failure(p: Promise<unknown>): Promise<[Code, string]> {
  try {
    await p;
  } catch (e) {
    const ce = ConnectError.from(e);
    return [ce.code, ce.rawMessage];
  }
  throw new Error("expected a failure");
}

for (const dialect of ["sqlite", "postgres"] as const) {
  describe.skipIf(dialect === "postgres" && testPostgresUrl() === undefined)(`${dialect}: audit log through the server`, () => {
    let server: TestServer;
    let database: TestDatabase | undefined;
    let db: Store;

    beforeAll(async () => {
      database = dialect === "postgres" ? await createTestDatabase() : undefined;
      server = await startTestServer(database === undefined ? {} : { database: database.url });
      db = await openStore({ url: database?.url ?? `sqlite:${join(server.dataDir, "openesc.db")}` });
      await clientFor(EnvironmentService, "connect", server.url, server.token).createEnvironment({ ...ENV, definition: "values:\n  a: 1\n" });
    }, 60_000);
    afterAll(async () => {
      await db?.close();
      await server?.stop();
      await database?.drop();
    });
    beforeEach(async () => {
      await repairAuditInserts(db);
    });

    const audit = () => clientFor(AuditService, "connect", server.url, server.token);
    const envs = (token = server.token) => clientFor(EnvironmentService, "grpc", server.url, token);

    /** An identity with an org role and a token for it, made directly in the database. */
    async function tokenFor(login: string, role: OrgRole): Promise<string> {
      const identity = await db.identities.createIdentity({ org: "default", login, kind: "user", role });
      const minted = mintToken();
      await db.identities.createToken({ id: minted.id, identityId: identity.id, description: "audit test", secretHash: minted.secretHash, expiresAt: null });
      return minted.secret;
    }

    async function newest(org = "default", filter = {}): Promise<AuditEvent> {
      const [event] = (await audit().listAuditEvents({ org, filter, pageSize: 1 })).events;
      if (event === undefined) throw new Error("no audit event");
      return event;
    }

    test("every call writes one event: actor, token, source, agent, action, resource, revision, outcome, request id", async () => {
      const before = (await audit().verifyAuditLog({ org: "default" })).lastSequence;
      let requestId = "";
      await clientFor(EnvironmentService, "connect", server.url, server.token).getEnvironment(
        { ...ENV, version: "" },
        { onHeader: (h) => (requestId = h.get("x-request-id") ?? "") },
      );
      const get = await newest();
      // The VerifyAuditLog call above wrote the event before this one.
      expect(get.sequence).toBe(before + 2n);
      expect({
        chain: get.chain,
        actor: get.actor,
        tokenId: get.tokenId,
        action: get.action,
        resource: `${get.org}/${get.project}/${get.environment}`,
        revision: get.revision,
        outcome: get.outcome,
        requestId: get.requestId,
      }).toEqual({
        chain: "default",
        actor: "admin",
        tokenId: server.token.slice(5, 21),
        action: "openesc.v1.EnvironmentService/GetEnvironment",
        resource: "default/payments/prod",
        revision: 1n,
        outcome: "ok",
        requestId,
      });
      expect(get.sourceAddress).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(get.userAgent).toMatch(/connect-es/);

      // A mutation records the revision it wrote; a failed one records its code.
      await envs().updateEnvironment({ ...ENV, definition: "values:\n  a: 2\n", baseRevision: 1n });
      expect(await newest()).toMatchObject({ action: "openesc.v1.EnvironmentService/UpdateEnvironment", revision: 2n, outcome: "ok" });
      expect((await failure(envs().updateEnvironment({ ...ENV, definition: "values:\n  a: 3\n", baseRevision: 1n })))[0]).toBe(Code.Aborted);
      expect(await newest()).toMatchObject({ action: "openesc.v1.EnvironmentService/UpdateEnvironment", revision: 0n, outcome: "aborted" });
      // Reading the audit log is itself audited (the list call above is the newest now).
      expect(await newest()).toMatchObject({ action: "openesc.v1.AuditService/ListAuditEvents", outcome: "ok" });
    });

    test("failed authentication is recorded: in the named org's chain, or the system chain", async () => {
      expect((await failure(envs(BAD_TOKEN).getEnvironment({ ...ENV, version: "" })))[0]).toBe(Code.Unauthenticated);
      expect(await newest("default", { outcome: "unauthenticated" })).toMatchObject({
        chain: "default",
        actor: "",
        actorId: "",
        tokenId: "0123456789abcdef",
        action: "openesc.v1.EnvironmentService/GetEnvironment",
        environment: "prod",
        outcome: "unauthenticated",
      });
      expect((await failure(clientFor(OrganizationService, "grpc-web", server.url).listOrganizations({})))[0]).toBe(Code.Unauthenticated);
      expect(await newest("")).toMatchObject({ chain: "", actor: "", tokenId: "", action: "openesc.v1.OrganizationService/ListOrganizations", outcome: "unauthenticated" });
      // A name that cannot be an org does not open a chain of its own.
      expect((await failure(envs(BAD_TOKEN).getEnvironment({ org: "no such org!", project: "p", environment: "e", version: "" })))[0]).toBe(Code.Unauthenticated);
      expect(await newest("")).toMatchObject({ chain: "", org: "no such org!", outcome: "unauthenticated" });
    });

    test("health checks are not audited (no identity, no resource: probes would drown the log)", async () => {
      const before = await countEvents(db, "");
      const beforeDefault = await countEvents(db, "default");
      expect((await clientFor(Health, "grpc", server.url).check({})).status).toBe(HealthCheckResponse_ServingStatus.SERVING);
      expect([await countEvents(db, ""), await countEvents(db, "default")]).toEqual([before, beforeDefault]);
    });

    test("no event ever holds a secret value", async () => {
      const secret = "sup3r-s3cret-value-do-not-log";
      const current = (await envs().getEnvironment({ ...ENV, version: "" })).environment?.revision ?? 0n;
      await envs().updateEnvironment({ ...ENV, definition: `values:\n  pw:\n    fn::secret: ${secret}\n`, baseRevision: current });
      await envs().getEnvironment({ ...ENV, version: "", reveal: true });
      const chunks: string[] = [];
      for await (const part of audit().exportAuditEvents({ org: "default" })) chunks.push(new TextDecoder().decode(part.ndjson));
      expect(chunks.join("")).not.toContain(secret);
    });

    test("reading the audit log needs admin or auditor; the denial is audited", async () => {
      const member = await tokenFor(`bob-${dialect}`, "member");
      const auditor = await tokenFor(`carol-${dialect}`, "auditor");
      expect((await failure(clientFor(AuditService, "grpc", server.url, member).listAuditEvents({ org: "default" })))[0]).toBe(Code.PermissionDenied);
      expect(await newest()).toMatchObject({ actor: `bob-${dialect}`, action: "openesc.v1.AuditService/ListAuditEvents", outcome: "permission_denied" });
      const seen = await clientFor(AuditService, "grpc", server.url, auditor).listAuditEvents({ org: "default", filter: { actor: `bob-${dialect}` } });
      expect(seen.events.map((e) => `${e.actor} ${e.outcome}`)).toEqual([`bob-${dialect} permission_denied`]);
      // An auditor of one org cannot read another org's chain (the authorizer hides orgs the caller is not in).
      await clientFor(OrganizationService, "connect", server.url, server.token).createOrganization({ name: `other-${dialect}` });
      expect((await failure(clientFor(AuditService, "grpc", server.url, auditor).verifyAuditLog({ org: `other-${dialect}` })))[0]).toBe(Code.NotFound);
    });

    test("filters and pages through the server", async () => {
      const all = await audit().listAuditEvents({ org: "default", filter: { project: "payments", environment: "prod", action: "openesc.v1.EnvironmentService/UpdateEnvironment" } });
      expect(all.events.length).toBeGreaterThanOrEqual(2);
      expect(new Set(all.events.map((e) => e.action))).toEqual(new Set(["openesc.v1.EnvironmentService/UpdateEnvironment"]));
      const first = await audit().listAuditEvents({ org: "default", pageSize: 2 });
      const second = await audit().listAuditEvents({ org: "default", pageSize: 2, pageToken: first.nextPageToken });
      expect(second.events[0]!.sequence).toBe(first.events[1]!.sequence - 1n);
      expect(await failure(audit().listAuditEvents({ org: "default", filter: { environment: "prod" } }))).toEqual([Code.InvalidArgument, "filter.project: must be set with filter.environment"]);
    });

    test("when the audit insert fails, the call fails and the mutation is rolled back", async () => {
      const current = (await envs().getEnvironment({ ...ENV, version: "" })).environment!.revision;
      await breakAuditInserts(db);
      expect((await failure(envs().updateEnvironment({ ...ENV, definition: "values:\n  a: 9\n", baseRevision: current })))[0]).toBe(Code.Unavailable);
      // Reads fail too: no answer without its audit record.
      expect(await failure(envs().getEnvironment({ ...ENV, version: "" }))).toEqual([Code.Unavailable, "the audit log could not be written; the request was not carried out"]);
      await repairAuditInserts(db);
      expect((await envs().getEnvironment({ ...ENV, version: "" })).environment!.revision).toBe(current);
      expect((await audit().verifyAuditLog({ org: "default" })).ok).toBe(true);
    });

    test("export streams NDJSON that verifies offline; a tampered row is named by VerifyAuditLog", async () => {
      let text = "";
      for await (const part of audit().exportAuditEvents({ org: "default" })) text += new TextDecoder().decode(part.ndjson);
      const events = text.trimEnd().split("\n").map((line) => JSON.parse(line) as AuditEventRecord & { timeIso: string });
      expect(events.length).toBeGreaterThan(5);
      let prev = GENESIS_HASH;
      for (const [i, e] of events.entries()) {
        expect(e.seq).toBe(i + 1);
        expect(e.prevHash).toBe(prev);
        expect(hashEvent(e.prevHash, e)).toBe(e.hash);
        prev = e.hash;
      }
      expect((await audit().verifyAuditLog({ org: "default" })).ok).toBe(true);
      await execSql(db, "UPDATE audit_events SET actor = 'mallory' WHERE chain = 'default' AND seq = 3");
      expect(await audit().verifyAuditLog({ org: "default" })).toMatchObject({
        ok: false,
        firstBrokenSequence: 3n,
        reason: "event 3 does not match its hash (the row was changed)",
        lastSequence: 2n,
      });
    });
  });
}
