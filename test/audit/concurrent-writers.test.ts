/**
 * Concurrent writers never fork or collide a chain: many concurrent calls on one SQLite server,
 * and two server processes on one PostgreSQL database, every call writing one event.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { ConnectError } from "@connectrpc/connect";
import { afterEach, describe, expect, test } from "vitest";
import { verifyStoredChain } from "../../src/audit/index.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { createAuditRepository, openStore, type Store } from "../../src/store/index.js";
import { clientFor, type Protocol } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { countEvents } from "./support.js";

const ENV = { org: "default", project: "load", environment: "shared" };
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `n` calls at once over `urls` in turn: reads, and updates that race each other (most are Aborted). */
async function storm(urls: readonly string[], token: string, n: number): Promise<{ ok: number; failed: number }> {
  const protocols: Protocol[] = ["connect", "grpc", "grpc-web"];
  const results = await Promise.allSettled(
    Array.from({ length: n }, (_, i) => {
      const envs = clientFor(EnvironmentService, protocols[i % 3] as Protocol, urls[i % urls.length] as string, token);
      return i % 4 === 0 ? envs.updateEnvironment({ ...ENV, definition: `values:\n  i: ${i}\n`, baseRevision: 1n }) : envs.getEnvironment({ ...ENV, version: "" });
    }),
  );
  for (const r of results) if (r.status === "rejected" && !(r.reason instanceof ConnectError)) throw r.reason;
  return { ok: results.filter((r) => r.status === "fulfilled").length, failed: results.filter((r) => r.status === "rejected").length };
}

async function expectIntactChain(store: Store, events: number): Promise<void> {
  expect(await countEvents(store, "default")).toBe(events);
  const audit = createAuditRepository(store.db, store.capabilities);
  expect(await verifyStoredChain(audit, { chain: "default" })).toMatchObject({ ok: true, eventsChecked: events, lastSeq: events });
}

describe("concurrent audit writers", () => {
  test("sqlite: 120 concurrent calls on one server make 120 events in one unbroken chain", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.stop());
    await clientFor(EnvironmentService, "connect", server.url, server.token).createEnvironment({ ...ENV, definition: "values:\n  i: 0\n" });
    const result = await storm([server.url], server.token, 120);
    expect(result.ok + result.failed).toBe(120);
    const store = await openStore({ url: `sqlite:${join(server.dataDir, "openesc.db")}` });
    cleanups.push(() => store.close());
    await expectIntactChain(store, 121);
  }, 120_000);

  test.skipIf(testPostgresUrl() === undefined)("postgres: two server processes on one database, 160 concurrent calls, one unbroken chain", async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    // Replicas share the master key through the environment (a key file is per data directory).
    const env = { OPENESC_MASTER_KEY: randomBytes(32).toString("base64") };
    const first = await startTestServer({ database: database.url, env });
    cleanups.push(() => first.stop());
    const second = await startTestServer({ database: database.url, env });
    cleanups.push(() => second.stop());
    await clientFor(EnvironmentService, "connect", first.url, first.token).createEnvironment({ ...ENV, definition: "values:\n  i: 0\n" });
    const result = await storm([first.url, second.url], first.token, 160);
    // Exactly one of the racing updates from revision 1 wins.
    expect(result.ok + result.failed).toBe(160);
    const store = await openStore({ url: database.url });
    cleanups.push(() => store.close());
    await expectIntactChain(store, 161);
    const [{ revision }] = (await store.db.selectFrom("environments").select("latest_revision as revision").execute()) as [{ revision: number }];
    expect(Number(revision)).toBe(2);
  }, 120_000);
});
