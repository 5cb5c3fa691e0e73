// Fault (issue 9 §4): the disk under the database fills up. Writes fail cleanly with
// ResourceExhausted (never Internal, never a crash), reads keep working, every acknowledged write is
// still served, and the server stays up. The SQLite file sits on a small tmpfs in a private mount
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

async function codeOf(p: Promise<unknown>): Promise<Code | "ok"> {
  try {
    await p;
    return "ok";
  } catch (e) {
    return ConnectError.from(e).code;
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

  it("refuses writes with ResourceExhausted and keeps serving reads", { timeout: 60_000 }, async () => {
    const env = clientFor(EnvironmentService, "grpc", server.url, server.token);
    const open = clientFor(OpenService, "connect", server.url, server.token);
    const ref = { org: "default", project: "disk", environment: "full" };
    await env.createEnvironment({ ...ref, definition: "values:\n  pw:\n    fn::secret: hunter2\n" });
    let latest = 1n;
    let refused: Code | "ok" = "ok";
    for (let n = 2; n < 100 && refused === "ok"; n++) {
      refused = await codeOf(env.updateEnvironment({ ...ref, definition: big(n), baseRevision: latest }).then((r) => (latest = r.revision?.number ?? latest)));
    }
    expect(refused).toBe(Code.ResourceExhausted);
    expect(latest).toBeGreaterThan(2n);

    // reads: the latest acknowledged revision, an old one with its secret, listings
    expect((await env.getEnvironment(ref)).revision?.number).toBe(latest);
    expect((await open.resolveEnvironment({ ...ref, version: "1" })).valueJson).toBe('{\n  "pw": "hunter2"\n}\n');
    expect((await open.resolveEnvironment(ref)).valueJson).toContain(`"n": ${latest}`);
    expect((await env.listEnvironments({ org: "default" })).environments.map((e) => e.name)).toEqual(["full"]);
    // more writes keep failing the same clean way; the server did not crash
    expect(await codeOf(env.updateEnvironment({ ...ref, definition: big(0), baseRevision: latest }))).toBe(Code.ResourceExhausted);
    expect(await codeOf(env.createEnvironment({ org: "default", project: "disk", environment: "another", definition: big(1) }))).toBe(Code.ResourceExhausted);
    expect((await env.getEnvironment(ref)).revision?.number).toBe(latest);
    expect(server.output()).not.toContain("hunter2");
  });
});
