// Fault (issue 9 §4): the disk under the database fills up. Writes fail cleanly with ResourceExhausted;
// reads keep being answered with the right values, their audit events waiting in the local audit spool
// (on the normal disk, DATA_DIR/audit-spool); once space is freed the spool drains into the chain, in
// call order and with the calls' own times, and the chain verifies. The SQLite file sits on a small
// tmpfs in a private mount namespace (test/faults/namespaced-server.ts).
import { randomBytes } from "node:crypto";
import { closeSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { clientFor } from "../support/clients.js";
import { auditTrail, spooledEvents, until, verifyAuditLog } from "./audit-trail.js";
import { canMountTmpfs, startServerOnTinyDisk, type NamespacedServer } from "./namespaced-server.js";
import { FULL, failure, fill } from "./outcomes.js";

const supported = canMountTmpfs();
if (!supported) console.warn("\n*** cannot create a mount namespace with a tmpfs (unshare): the disk-full fault test is SKIPPED ***\n");
if (!supported && process.env.CI !== undefined) throw new Error("the disk-full fault test needs `unshare` with mount namespaces in CI");

/** An incompressible ~200 KB definition: a few of them fill the 3 MiB disk (the migrations alone leave ~0.9 MB of WAL). */
const big = (n: number) => `values:\n  n: ${n}\n  blob: "${randomBytes(150_000).toString("base64")}"\n`;

describe.skipIf(!supported)("the database's disk is full", () => {
  let server: NamespacedServer;
  beforeAll(async () => {
    server = await startServerOnTinyDisk(3072);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it("refuses writes with ResourceExhausted, answers reads (their events spooled), and drains the spool into a verifiable chain once space is freed", { timeout: 90_000 }, async () => {
    const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
    const open = clientFor(OpenService, "connect", server.url, server.token);
    const ref = { org: "default", project: "disk", environment: "full" };
    // Something the operator can delete later to make room (an old backup on the same volume).
    writeFileSync(server.diskPath("old-backup"), randomBytes(512 * 1024));
    await env.createEnvironment({ ...ref, definition: "values:\n  pw:\n    fn::secret: hunter2\n" });
    let latest = 1n;
    let lastDefinition = "";
    let refused: { code: Code; message: string } | "ok" = "ok";
    for (let n = 2; n < 100 && refused === "ok"; n++) {
      const definition = big(n);
      refused = await failure(
        env.updateEnvironment({ ...ref, definition, baseRevision: latest }).then((r) => {
          latest = r.revision?.number ?? latest;
          lastDefinition = definition;
        }),
      );
    }
    expect(refused).toEqual(FULL);
    expect(latest).toBeGreaterThan(2n);
    fill(server.diskPath("filler"));
    // SQLite may still reuse space its refused write left in the WAL: reads fill that until the first
    // event no longer fits and goes to the spool. From then on every event is spooled.
    let reads = 0;
    while ((await spooledEvents(server.url)) === 0 && reads++ < 500) await env.getEnvironment(ref);
    expect(await spooledEvents(server.url)).toBe(1);

    // Reads answer, with the right values.
    const got = await env.getEnvironment(ref);
    expect(got.revision?.number).toBe(latest);
    expect(got.revision?.definition).toBe(lastDefinition);
    expect((await env.listEnvironments({ org: "default" })).environments.map((e) => [e.project, e.name, e.revision])).toEqual([["disk", "full", latest]]);
    expect((await open.resolveEnvironment({ ...ref, version: "1" })).valueJson).toBe('{\n  "pw": "hunter2"\n}\n');
    // Writes fail cleanly, small or big.
    expect(await failure(env.updateEnvironment({ ...ref, definition: "values: {}\n", baseRevision: latest }))).toEqual(FULL);
    expect(await failure(env.updateEnvironment({ ...ref, definition: big(0), baseRevision: latest }))).toEqual(FULL);
    expect(await failure(env.createEnvironment({ org: "default", project: "disk", environment: "another", definition: "values: {}\n" }))).toEqual(FULL);

    // Seven events wait in the spool on the normal disk: one 0600 JSON line each.
    expect(await spooledEvents(server.url)).toBe(7);
    const spoolFile = join(server.dataDir, "audit-spool", "audit-spool.ndjson");
    expect(statSync(spoolFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(spoolFile, "utf8").trimEnd().split("\n").map((l) => (JSON.parse(l) as { action: string }).action.replace(/^openesc\.v1\./, ""))).toEqual([
      "EnvironmentService/GetEnvironment",
      "EnvironmentService/GetEnvironment",
      "EnvironmentService/ListEnvironments",
      "OpenService/ResolveEnvironment",
      "EnvironmentService/UpdateEnvironment",
      "EnvironmentService/UpdateEnvironment",
      "EnvironmentService/CreateEnvironment",
    ]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    // Free the disk (the operator deletes the old backup): the drain moves the events into the chain.
    const freedAt = Date.now();
    rmSync(server.diskPath("filler"));
    rmSync(server.diskPath("old-backup"));
    await until(async () => (await spooledEvents(server.url)) === 0);
    expect(readFileSync(spoolFile, "utf8")).toBe("");
    const trail = await auditTrail(server.url, server.token, "default");
    const spooled = trail.slice(-7);
    expect(spooled.map((e) => [e.action, e.outcome])).toEqual([
      ["EnvironmentService/GetEnvironment", "ok"],
      ["EnvironmentService/GetEnvironment", "ok"],
      ["EnvironmentService/ListEnvironments", "ok"],
      ["OpenService/ResolveEnvironment", "ok"],
      ["EnvironmentService/UpdateEnvironment", "resource_exhausted"],
      ["EnvironmentService/UpdateEnvironment", "resource_exhausted"],
      ["EnvironmentService/CreateEnvironment", "resource_exhausted"],
    ]);
    // the events keep the time of their calls (before the disk was freed), not the drain's
    for (const e of spooled) expect(e.timeMs).toBeLessThan(freedAt);
    // the reads that still fitted were written directly, right before them
    expect(trail.slice(-7 - (reads - 1), -7).map((e) => [e.action, e.outcome])).toEqual(Array.from({ length: reads - 1 }, () => ["EnvironmentService/GetEnvironment", "ok"]));
    expect(await verifyAuditLog(server.url, server.token, "default")).toEqual({ ok: true, reason: "" });

    // and writes work again
    expect((await env.updateEnvironment({ ...ref, definition: "values: {}\n", baseRevision: latest })).revision?.number).toBe(latest + 1n);
    expect(server.output()).toContain("audit events of calls that change nothing are spooled to local disk");
    expect(server.output()).toContain("audit spool drained");
    expect(server.output()).not.toContain("hunter2");
  });
});
