// Fault (issue 9 §4): PostgreSQL restarted under load. Requests during the outage fail cleanly with
// Unavailable (no hang, no Internal); once the database is back the server reconnects by itself
// (no restart of the server) and every request succeeds again; /readyz follows.
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { clientFor } from "../support/clients.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { startDedicatedPostgres, type DedicatedPostgres } from "./dedicated-postgres.js";

type Outcome = Code | "ok";
const ref = { org: "default", project: "faults", environment: "restart" };

async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return ConnectError.from(e).code;
  }
}

async function until(what: string, check: () => Promise<boolean>, boundMs: number): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${boundMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pg = await startDedicatedPostgres();
if (pg === undefined) console.warn("\n*** PostgreSQL binaries not found: the PostgreSQL restart fault test is SKIPPED ***\n");

describe.skipIf(pg === undefined)("PostgreSQL restarted under load", () => {
  let server: TestServer;
  const db = pg as DedicatedPostgres;
  beforeAll(async () => {
    server = await startTestServer({ database: db.url });
  });
  afterAll(async () => {
    await server?.stop();
    db.destroy();
  });

  it("fails requests with Unavailable during the outage and serves again by itself afterwards", { timeout: 120_000 }, async () => {
    const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
    const open = clientFor(OpenService, "connect", server.url, server.token);
    await env.createEnvironment({ ...ref, definition: "values:\n  pw:\n    fn::secret: hunter2\n" });
    // A failed fetch means the server died: say so with what it printed.
    const ready = async () => (await fetch(`${server.url}/readyz`).catch((e: unknown) => Promise.reject(new Error(`server unreachable (${String(e)}):\n${server.output()}`)))).status;
    expect(await ready()).toBe(200);

    // Mixed load from 6 workers until told to stop; every outcome is recorded with the phase it ended in.
    type Phase = "before" | "outage" | "after";
    let phase = "before" as Phase;
    let running = true;
    // A call counts for "before" when it ended before the stop, for "after" when it started after the recovery.
    const outcomes: { phase: Phase; what: Outcome }[] = [];
    let base = 1n;
    const update = () => env.updateEnvironment({ ...ref, definition: `values:\n  n: ${base}\n`, baseRevision: base }).then((r) => (base = r.revision?.number ?? base));
    const worker = async (i: number): Promise<void> => {
      while (running) {
        const started = phase;
        const call =
          i === 0
            ? update()
            : i % 2 === 1
              ? open.resolveEnvironment(ref)
              : env.getEnvironment(ref)
        const what = await outcome(call);
        outcomes.push({ phase: started === "after" ? "after" : phase === "before" ? "before" : "outage", what });
        if (what !== "ok") {
          await new Promise((resolve) => setTimeout(resolve, 20));
          // an update acknowledged by the database whose answer was lost moves the base
          if (i === 0) base = (await env.getEnvironment(ref).catch(() => undefined))?.revision?.number ?? base;
        }
      }
    };
    const workers = Promise.all(Array.from({ length: 6 }, (_, i) => worker(i)));
    await until("20 calls before the outage", async () => outcomes.length >= 20, 30_000);

    phase = "outage";
    db.stop();
    await until("10 failed calls during the outage", async () => outcomes.filter((o) => o.phase === "outage" && o.what !== "ok").length >= 10, 30_000);
    expect(await ready()).toBe(503);
    db.start();

    // The server was not restarted: the pool reconnects on its own.
    await until("a successful resolve after the restart", async () => (await outcome(open.resolveEnvironment(ref))) === "ok", 30_000);
    phase = "after";
    await until("60 calls after the restart", async () => outcomes.filter((o) => o.phase === "after").length >= 60, 30_000);
    running = false;
    await workers;

    const codes = (p: string) => new Set(outcomes.filter((o) => o.phase === p).map((o) => o.what));
    expect(codes("before")).toEqual(new Set(["ok"]));
    // One worker updates and refreshes its base after a failure, so no Aborted: every failure is Unavailable.
    expect([...codes("outage")].filter((c) => c !== "ok")).toEqual([Code.Unavailable]);
    expect(codes("after")).toEqual(new Set(["ok"]));
    expect(await ready()).toBe(200);
    expect((await open.resolveEnvironment(ref)).valueJson).toMatch(/^\{\n  "n": \d+\n\}\n$/);
    expect(server.output()).not.toContain("hunter2");
  });
});
