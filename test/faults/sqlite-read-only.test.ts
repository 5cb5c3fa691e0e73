// Fault (issue 9 §4): the SQLite database's volume is read-only — the kernel remounted it read-only
// after I/O errors, the server crashed and was restarted on it. The server starts, reads are answered
// with the right values (their audit events waiting in the local audit spool on the data volume),
// writes fail cleanly with Unavailable ("the database is read-only"). Killed (-9) and restarted on a
// writable volume, it drains the spool into the chain at start-up, each event once, and the chain
// verifies. The read-only volume is a
// read-only bind mount in a private mount namespace (test/faults/namespaced-server.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { EnvironmentTagService } from "../../src/gen/openesc/v1/environment_tag_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { clientFor } from "../support/clients.js";
import { startTestServer } from "../support/server.js";
import { auditTrail, spooledEvents, until, verifyAuditLog } from "./audit-trail.js";
import { canMountTmpfs, startServerOnReadOnlyDisk } from "./namespaced-server.js";
import { READ_ONLY, failure } from "./outcomes.js";

const supported = canMountTmpfs();
if (!supported) console.warn("\n*** cannot create a mount namespace (unshare): the SQLite read-only fault test is SKIPPED ***\n");
if (!supported && process.env.CI !== undefined) throw new Error("the SQLite read-only fault test needs `unshare` with mount namespaces in CI");

describe.skipIf(!supported)("the SQLite database's volume is read-only", () => {
  const dbDir = mkdtempSync(join(tmpdir(), "openesc-ro-db-"));
  const dataDir = mkdtempSync(join(tmpdir(), "openesc-ro-data-"));
  afterAll(() => {
    rmSync(dbDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("answers reads, refuses writes with Unavailable, and drains the spooled events once writable again", { timeout: 90_000 }, async () => {
    const database = `sqlite:${join(dbDir, "openesc.db")}`;
    const ref = { org: "default", project: "ro", environment: "app" };
    const first = await startTestServer({ database, dataDir });
    const token = first.token;
    await clientFor(EnvironmentService, "grpc", first.url, token).createEnvironment({ ...ref, definition: "values:\n  pw:\n    fn::secret: hunter2\n" });
    // the I/O errors crash the server (its WAL stays behind, as after any crash)
    expect(await first.stop({ signal: "SIGKILL", keepData: true })).toBe(null);

    const readOnly = await startServerOnReadOnlyDisk(dbDir, dataDir);
    try {
      const env = clientFor(EnvironmentService, "grpc", readOnly.url, token);
      const open = clientFor(OpenService, "connect", readOnly.url, token);
      const tags = clientFor(EnvironmentTagService, "connect", readOnly.url, token);
      expect((await env.getEnvironment(ref)).revision?.number).toBe(1n);
      expect((await env.listEnvironments({ org: "default" })).environments.map((e) => [e.project, e.name, e.revision])).toEqual([["ro", "app", 1n]]);
      expect((await open.resolveEnvironment(ref)).valueJson).toBe('{\n  "pw": "hunter2"\n}\n');
      expect(await failure(env.updateEnvironment({ ...ref, definition: "values:\n  v: 2\n", baseRevision: 1n }))).toEqual(READ_ONLY);
      expect(await failure(env.createEnvironment({ ...ref, environment: "other", definition: "values: {}\n" }))).toEqual(READ_ONLY);
      expect(await failure(tags.setEnvironmentTag({ ...ref, name: "team", value: "x" }))).toEqual(READ_ONLY);
      expect(await spooledEvents(readOnly.url)).toBe(6);
      expect((await fetch(`${readOnly.url}/readyz`)).status).toBe(200);
      expect(readOnly.output()).toContain('"reason":"read-only"');
      expect(readOnly.output()).not.toContain("hunter2");
    } finally {
      // killed while the events sit in the spool: they must survive it
      expect(await readOnly.stop({ signal: "SIGKILL", keepData: true })).toBe(null);
    }

    // The volume is repaired: the next start drains the spool, each event once.
    const writableAt = Date.now();
    const repaired = await startTestServer({ database, dataDir });
    try {
      await until(async () => (await spooledEvents(repaired.url)) === 0);
      const trail = await auditTrail(repaired.url, token, "default");
      expect(trail.map((e) => [e.action, e.outcome])).toEqual([
        ["EnvironmentService/CreateEnvironment", "ok"],
        ["EnvironmentService/GetEnvironment", "ok"],
        ["EnvironmentService/ListEnvironments", "ok"],
        ["OpenService/ResolveEnvironment", "ok"],
        ["EnvironmentService/UpdateEnvironment", "unavailable"],
        ["EnvironmentService/CreateEnvironment", "unavailable"],
        ["EnvironmentTagService/SetEnvironmentTag", "unavailable"],
      ]);
      for (const e of trail) expect(e.timeMs).toBeLessThan(writableAt);
      expect(await verifyAuditLog(repaired.url, token, "default")).toEqual({ ok: true, reason: "" });
      const env = clientFor(EnvironmentService, "grpc", repaired.url, token);
      expect((await env.updateEnvironment({ ...ref, definition: "values:\n  v: 2\n", baseRevision: 1n })).revision?.number).toBe(2n);
      expect(repaired.output()).toContain("audit spool drained");
    } finally {
      expect(await repaired.stop({ keepData: true })).toBe(0);
    }
  });
});
