import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { RevisionService } from "../../src/gen/openesc/v1/revision_pb.js";
import { clientFor } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";

const pgUrl = testPostgresUrl();
if (pgUrl === undefined) console.warn("\n*** PostgreSQL not available: server-on-Postgres tests SKIPPED ***\n");

const DIALECTS = [
  { name: "sqlite", enabled: true },
  { name: "postgres", enabled: pgUrl !== undefined },
] as const;

describe.each(DIALECTS)("server on $name", ({ name, enabled }) => {
  let server: TestServer;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    if (!enabled) return;
    database = name === "postgres" ? await createTestDatabase() : undefined;
    server = await startTestServer({ database: database?.url });
  });
  afterAll(async () => {
    if (!enabled) return;
    expect(await server.stop()).toBe(0);
    await database?.drop();
  });

  it.skipIf(!enabled)("lets exactly one of 50 concurrent updates from one base win, with no gap in history", async () => {
    const ref = { org: "default", project: "race", environment: "dev" };
    // gRPC over h2c and Connect over HTTP/1.1 race each other
    const grpc = clientFor(EnvironmentService, "grpc", server.url, server.token);
    const connect = clientFor(EnvironmentService, "connect", server.url, server.token);
    await grpc.createEnvironment({ ...ref, definition: "values: {}\n" });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        (i % 2 === 0 ? grpc : connect).updateEnvironment({ ...ref, definition: `values:\n  writer: ${i}\n`, baseRevision: 1n }),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.flatMap((r) => (r.status === "rejected" ? [ConnectError.from(r.reason)] : []));
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(49);
    expect(new Set(lost.map((e) => e.code))).toEqual(new Set([Code.Aborted]));
    const history = await clientFor(RevisionService, "grpc", server.url, server.token).listRevisions(ref);
    expect(history.revisions.map((r) => r.number)).toEqual([2n, 1n]);
    const winner = (won[0] as PromiseFulfilledResult<{ revision?: { definition: string } }>).value;
    const latest = await grpc.getEnvironment(ref);
    expect(latest.revision?.definition).toBe(winner.revision?.definition);
  });

  it.skipIf(!enabled)("pages environment listings in a stable order", async () => {
    const c = clientFor(EnvironmentService, "connect", server.url, server.token);
    const names = ["b", "a", "c", "e", "d"];
    for (const n of names) await c.createEnvironment({ org: "default", project: "paging", environment: n });
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await c.listEnvironments({ org: "default", project: "paging", pageSize: 2, pageToken });
      expect(page.environments.length).toBeLessThanOrEqual(2);
      seen.push(...page.environments.map((e) => e.name));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual(["a", "b", "c", "d", "e"]);
  });
});
