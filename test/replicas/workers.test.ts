// `openesc serve --workers N` (src/server/cluster): one server, several processes on one port. Worker 1
// prepares the database alone (migrations, bootstrap), the others join; node:cluster spreads the
// connections. Every guarantee of several replicas holds, on SQLite too (one file, many processes):
// gap-free revisions from concurrent writers, one unbroken audit chain, /metrics adding up every
// worker, a dead worker started again, and SIGTERM draining all of them with exit code 0.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditService } from "../../src/gen/openesc/v1/audit_pb.js";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { clientFor, PROTOCOLS } from "../support/clients.js";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { startTestServer, type TestServer } from "../support/server.js";

/** The pids of a process's children. */
function childrenOf(pid: number): number[] {
  const out = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" });
  return out.split("\n").map((l) => Number(l.trim())).filter((n) => n > 0);
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const got = probe();
    if (got !== undefined) return got;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const pgUrl = testPostgresUrl();

for (const dialect of ["sqlite", "postgres"] as const) {
  describe.skipIf(dialect === "postgres" && pgUrl === undefined)(`${dialect}: serve --workers 2`, () => {
    let server: TestServer;
    let db: TestDatabase | undefined;
    let calls = 0;
    beforeAll(async () => {
      db = dialect === "postgres" ? await createTestDatabase() : undefined;
      server = await startTestServer({ args: ["--workers", "2"], ...(db === undefined ? {} : { database: db.url }) });
    });
    afterAll(async () => {
      expect(await server.stop()).toBe(0);
      await db?.drop();
    });

    it("runs a primary and two workers, and prints the admin token once", async () => {
      expect(childrenOf(server.process.pid as number)).toHaveLength(2);
      expect(server.output().split("shown only this once")).toHaveLength(2);
      expect(server.output().match(/openesc: listening on /g)).toHaveLength(1);
    });

    it("serves every protocol, and concurrent writers on both workers get gap-free revisions and one unbroken audit chain", { timeout: 60_000 }, async () => {
      const ref = { org: "default", project: "workers", environment: "counter" };
      const admin = clientFor(EnvironmentService, "grpc", server.url, server.token);
      await admin.createEnvironment({ ...ref, definition: "values:\n  n: 0\n" });
      calls++;
      const acknowledged: bigint[] = [];
      // Each client has its own connection: node:cluster hands the connections to the workers in turn.
      const writer = async (lane: number) => {
        const env = clientFor(EnvironmentService, PROTOCOLS[lane % PROTOCOLS.length] as (typeof PROTOCOLS)[number], server.url, server.token);
        for (let done = 0; done < 5; ) {
          const latest = await env.getEnvironment(ref);
          calls++;
          try {
            const updated = await env.updateEnvironment({ ...ref, definition: `values:\n  n: ${lane}-${done}\n`, baseRevision: latest.revision?.number ?? 0n });
            calls++;
            acknowledged.push(updated.revision?.number ?? 0n);
            done++;
          } catch (e) {
            calls++;
            expect(ConnectError.from(e).code).toBe(Code.Aborted);
          }
        }
      };
      await Promise.all(Array.from({ length: 6 }, (_, lane) => writer(lane)));
      expect(acknowledged.sort((a, b) => Number(a - b))).toEqual(Array.from({ length: 30 }, (_, i) => BigInt(i + 2)));
      const resolved = await clientFor(OpenService, "connect", server.url, server.token).resolveEnvironment(ref);
      calls++;
      expect(resolved.revision).toBe(31n);
      const verified = await clientFor(AuditService, "grpc", server.url, server.token).verifyAuditLog({ org: "default" });
      calls++;
      expect({ ok: verified.ok, reason: verified.reason }).toEqual({ ok: true, reason: "" });
      expect(verified.eventsChecked).toBe(verified.lastSequence);
    });

    it("serves /metrics as every worker's counts added up", async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const counted = [...text.matchAll(/^openesc_rpc_requests_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
      expect(counted).toBe(calls);
    });

    it("lets no worker outlive a primary that was killed", { timeout: 30_000 }, async () => {
      // Its own database: a second server on the first one's would need its master key.
      const otherDb = dialect === "postgres" ? await createTestDatabase() : undefined;
      const other = await startTestServer({ args: ["--workers", "2"], ...(otherDb === undefined ? {} : { database: otherDb.url }) });
      const workers = childrenOf(other.process.pid as number);
      expect(workers).toHaveLength(2);
      await other.stop({ signal: "SIGKILL" });
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      await until("the workers to exit", () => (workers.some(alive) ? undefined : true));
      await otherDb?.drop();
    });

    it("exits with an error, workers and all, when the first worker cannot start", { timeout: 30_000 }, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "openesc-workers-"));
      writeFileSync(join(dataDir, "master.key"), "garbage\n", { mode: 0o600 });
      const started = await startTestServer({ dataDir, args: ["--workers", "2"] }).then(
        () => "started",
        (e: unknown) => String(e),
      );
      expect(started).toContain("server exited with 1 before listening");
      expect(started).toContain("master key file");
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("starts a worker that died again, and keeps serving meanwhile", { timeout: 30_000 }, async () => {
      const [victim, survivor] = childrenOf(server.process.pid as number) as [number, number];
      process.kill(victim, "SIGKILL");
      const replacement = await until("a new worker", () => childrenOf(server.process.pid as number).find((pid) => pid !== victim && pid !== survivor));
      expect(replacement).toBeGreaterThan(0);
      const env = clientFor(EnvironmentService, "connect", server.url, server.token);
      for (let i = 0; i < 6; i++) expect((await env.getEnvironment({ org: "default", project: "workers", environment: "counter" })).revision?.number).toBe(31n);
    });
  });
}
