// `openesc serve --workers 2` is one server, and its rate limits are the server's: the primary owns the
// buckets and the workers lease tokens from it (src/server/cluster/cluster-leases.ts). Calls on several
// connections — which node:cluster hands to both workers in turn — are admitted up to the configured
// burst once, not once per worker. Buckets refill at one call per 1000 s: nothing refills during the
// test, however slow the machine, so the counts are exact but for the documented bound (a worker may
// still hold one leased token it has not used).
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Health } from "../../src/gen/grpc/health/v1/health_pb.js";
import { OrganizationService } from "../../src/gen/openesc/v1/organization_pb.js";
import { clientFor, transportFor } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { codeOf } from "./cluster.js";

const BURST = 20;
const WORKERS = 2;
/** Each gRPC client has its own HTTP/2 connection; the connections go to the workers in turn. */
const CONNECTIONS = 6;

describe("serve --workers 2: the rate limits hold for the replica as a whole", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ args: ["--workers", String(WORKERS), "--rate-limit", "0.001", "--rate-limit-burst", String(BURST), "--peer-rate-limit", "0.001"] });
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it("admits an identity's burst once across the workers, then refuses with ResourceExhausted and retry info", { timeout: 60_000 }, async () => {
    const clients = Array.from({ length: CONNECTIONS }, () => clientFor(OrganizationService, "grpc", server.url, server.token));
    const codes: (Code | "ok")[] = [];
    for (let i = 0; i < 4 * BURST; i++) codes.push(await codeOf((clients[i % CONNECTIONS] as (typeof clients)[number]).listOrganizations({})));
    const admitted = codes.filter((c) => c === "ok").length;
    expect(codes.filter((c) => c !== "ok" && c !== Code.ResourceExhausted)).toEqual([]);
    // Per-worker buckets admitted 2 × BURST here. A chunk is 1 token (5 % of 20): each worker holds at most one unused.
    expect(admitted).toBeLessThanOrEqual(BURST);
    expect(admitted).toBeGreaterThanOrEqual(BURST - WORKERS);
    // Once refused, refused on every connection.
    expect(codes.slice(-2 * CONNECTIONS)).toEqual(Array.from({ length: 2 * CONNECTIONS }, () => Code.ResourceExhausted));

    const error = await (clients[0] as (typeof clients)[number]).listOrganizations({}).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(error?.code).toBe(Code.ResourceExhausted);
    expect(error?.rawMessage).toMatch(/^rate limit exceeded for this identity: retry in \d+\.\d{3} s$/);
    expect(Number(error?.metadata.get("retry-after"))).toBeGreaterThan(900);
    expect(error?.details.some((d) => "type" in d && d.type === "google.rpc.RetryInfo")).toBe(true);
  });

  it("limits calls without an identity by address once across the workers", { timeout: 30_000 }, async () => {
    const health = Array.from({ length: CONNECTIONS }, () => createClient(Health, transportFor("grpc", server.url)));
    const codes: (Code | "ok")[] = [];
    for (let i = 0; i < 2 * CONNECTIONS; i++) codes.push(await codeOf((health[i % CONNECTIONS] as (typeof health)[number]).check({})));
    // The burst is one call (twice the rate, at least one); per-worker buckets admitted one per worker.
    expect(codes).toEqual(["ok", ...Array.from({ length: 2 * CONNECTIONS - 1 }, () => Code.ResourceExhausted)]);
  });
});
