import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@connectrpc/connect";
import { Health } from "../../src/gen/grpc/health/v1/health_pb.js";
import { createTestDatabase, testPostgresUrl } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { transportFor } from "../support/clients.js";
import { ALL_METHODS, rpcAnswersCleanly } from "./rpc-properties.js";

// Bounded for CI; `npm run fuzz -- SECONDS` runs the same property longer.
const RUNS = Number(process.env.OPENESC_FUZZ_RUNS ?? 150);

it("covers every method of every served service", () => {
  expect(ALL_METHODS.length).toBeGreaterThan(40);
  expect(new Set(ALL_METHODS.map((m) => m.parent.typeName))).toContain("grpc.health.v1.Health");
});

const DIALECTS = ["sqlite", ...(testPostgresUrl() === undefined ? [] : ["postgres"])] as const;

describe.each(DIALECTS)("every RPC under fuzzing on %s", (dialect) => {
  let server: TestServer;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    let database: string | undefined;
    if (dialect === "postgres") {
      const db = await createTestDatabase();
      database = db.url;
      drop = () => db.drop();
    }
    server = await startTestServer({ ...(database === undefined ? {} : { database }), env: { OPENESC_LOG_LEVEL: "warn" } });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("answers random bytes, random JSON and random field values with a clean code, and keeps serving", async () => {
    // PostgreSQL gets half the runs: the text it refuses (U+0000) is what differs between the dialects.
    await fc.assert(rpcAnswersCleanly({ url: server.url, token: server.token }), { numRuns: dialect === "sqlite" ? RUNS : Math.ceil(RUNS / 2) });
    const health = createClient(Health, transportFor("grpc", server.url));
    expect((await health.check({})).status).toBe(1);
  }, 120_000);
});
