// Fault (issue 9 §4): the disk under the database fills up. The write that does not fit fails with
// ResourceExhausted; afterwards every call ends cleanly (never Internal, never a crash) and the server
// stays up. Reads keep working only while their audit events still fit: the audit log is fail-closed. The SQLite file sits on a small tmpfs in a private mount
// namespace (test/faults/namespaced-server.ts).
import { randomBytes } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { clientFor } from "../support/clients.js";
import { canMountTmpfs, startServerOnTinyDisk, type NamespacedServer } from "./namespaced-server.js";

const supported = canMountTmpfs();
if (!supported) console.warn("\n*** cannot create a mount namespace with a tmpfs (unshare): the disk-full fault test is SKIPPED ***\n");
if (!supported && process.env.CI !== undefined) throw new Error("the disk-full fault test needs `unshare` with mount namespaces in CI");

/** An incompressible ~200 KB definition: a few of them fill the 2 MiB disk. */
const big = (n: number) => `values:\n  n: ${n}\n  blob: "${randomBytes(150_000).toString("base64")}"\n`;

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return `${ConnectError.from(e).code} ${ConnectError.from(e).rawMessage}`;
  }
}

describe.skipIf(!supported)("the database's disk is full", () => {
  let server: NamespacedServer;
  beforeAll(async () => {
    server = await startServerOnTinyDisk(2048);
  });
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
  });

  it("refuses the write that does not fit with ResourceExhausted, then ends every call cleanly and stays up", { timeout: 60_000 }, async () => {
    const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
    const open = clientFor(OpenService, "connect", server.url, server.token);
    const ref = { org: "default", project: "disk", environment: "full" };
    await env.createEnvironment({ ...ref, definition: "values:\n  pw:\n    fn::secret: hunter2\n" });
    let latest = 1n;
    let refused: { code: Code; message: string } | undefined;
    for (let n = 2; n < 100 && refused === undefined; n++) {
      await env.updateEnvironment({ ...ref, definition: big(n), baseRevision: latest }).then(
        (r) => (latest = r.revision?.number ?? latest),
        (e: unknown) => (refused = { code: ConnectError.from(e).code, message: ConnectError.from(e).rawMessage }),
      );
    }
    expect(refused).toEqual({ code: Code.ResourceExhausted, message: "the database is out of space: writes are refused" });
    expect(latest).toBeGreaterThan(2n);

    // From now on every call ends cleanly in one of three ways: a read that still fits its audit event
    // in the last free pages succeeds; a write is refused as out of space; anything whose audit event
    // cannot be written is refused by the fail-closed audit log (issue 6). Never Internal, no crash.
    const clean = new Set([
      "ok",
      `${Code.ResourceExhausted} the database is out of space: writes are refused`,
      `${Code.Unavailable} the audit log could not be written; the request was not carried out`,
    ]);
    const calls = [
      () => env.updateEnvironment({ ...ref, definition: big(0), baseRevision: latest }),
      () => env.createEnvironment({ org: "default", project: "disk", environment: "another", definition: big(1) }),
      () => env.getEnvironment(ref),
      () => open.resolveEnvironment({ ...ref, version: "1" }),
      () => env.listEnvironments({ org: "default" }),
      () => env.updateEnvironment({ ...ref, definition: "values: {}\n", baseRevision: latest }),
    ];
    for (let round = 0; round < 3; round++) {
      for (const call of calls) expect(clean).toContain(await outcome(call()));
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(server.output()).not.toContain("hunter2");
  });
});
