import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "@connectrpc/connect";
import { Health } from "../../src/gen/grpc/health/v1/health_pb.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { transportFor } from "../support/clients.js";
import { ALL_METHODS, rpcAnswersCleanly } from "./rpc-properties.js";

// Bounded for CI; `npm run fuzz -- SECONDS` runs the same property longer.
const RUNS = Number(process.env.OPENESC_FUZZ_RUNS ?? 150);

describe("every RPC under fuzzing", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { OPENESC_LOG_LEVEL: "warn" } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("covers every method of every served service", () => {
    expect(ALL_METHODS.length).toBeGreaterThan(40);
    expect(new Set(ALL_METHODS.map((m) => m.parent.typeName))).toContain("grpc.health.v1.Health");
  });

  it("answers random bytes, random JSON and random field values with a clean code, and keeps serving", async () => {
    await fc.assert(rpcAnswersCleanly({ url: server.url, token: server.token }), { numRuns: RUNS });
    const health = createClient(Health, transportFor("grpc", server.url));
    expect((await health.check({})).status).toBe(1);
  }, 120_000);
});
