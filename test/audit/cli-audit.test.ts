/**
 * `openesc audit ls|verify|export`: the real binary against a real server (SQLite and PostgreSQL),
 * its audit rows edited, reordered and deleted directly in the database.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hashEvent, GENESIS_HASH, type AuditEventRecord } from "../../src/audit/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { createTestDatabase, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { OPENESC_BIN, startTestServer, type TestServer } from "../support/server.js";
import { execSql } from "./support.js";

const run = promisify(execFile);

for (const dialect of ["sqlite", "postgres"] as const) {
  describe.skipIf(dialect === "postgres" && testPostgresUrl() === undefined)(`${dialect}: openesc audit`, () => {
    let server: TestServer;
    let db: Store;
    let database: TestDatabase | undefined;

    async function openesc(...args: string[]): Promise<{ stdout: string; stderr: string; exit: number }> {
      const env = { ...process.env, OPENESC_URL: server.url, OPENESC_TOKEN: server.token, OPENESC_HOME: join(server.dataDir, "cli-home") };
      try {
        const { stdout, stderr } = await run(process.execPath, [OPENESC_BIN, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
        return { stdout, stderr, exit: 0 };
      } catch (e) {
        const err = e as { stdout: string; stderr: string; code: number };
        return { stdout: err.stdout, stderr: err.stderr, exit: err.code };
      }
    }

    beforeAll(async () => {
      database = dialect === "postgres" ? await createTestDatabase() : undefined;
      server = await startTestServer(database === undefined ? {} : { database: database.url });
      db = await openStore({ url: database?.url ?? `sqlite:${join(server.dataDir, "openesc.db")}` });
      const seed = async (exit: number, ...args: string[]) => {
        const out = await openesc(...args);
        expect(out.exit, `${args.join(" ")}: ${out.stderr}`).toBe(exit);
      };
      await seed(0, "env", "init", "default/payments/prod");
      await seed(0, "env", "set", "default/payments/prod", "db.host", "db.internal");
      await seed(0, "env", "get", "default/payments/prod");
      await seed(1, "env", "get", "default/payments/missing");
    }, 60_000);
    afterAll(async () => {
      await db?.close();
      await server?.stop();
      await database?.drop();
    });

    test("ls shows the newest events first, filtered by environment and outcome", async () => {
      const all = await openesc("audit", "ls", "--env", "payments/prod", "--output", "json");
      expect(all.exit).toBe(0);
      const events = JSON.parse(all.stdout) as { action: string; outcome?: string; revision?: string; actor: string }[];
      expect(events.map((e) => `${e.action.replace("openesc.v1.", "")} ${e.revision ?? "-"}`)).toEqual([
        "EnvironmentService/GetEnvironment 2",
        "EnvironmentService/UpdateEnvironment 2",
        "EnvironmentService/GetEnvironment 1",
        "EnvironmentService/CreateEnvironment 1",
      ]);
      expect(new Set(events.map((e) => e.actor))).toEqual(new Set(["admin"]));

      const missing = await openesc("audit", "ls", "--outcome", "not_found", "--since", "1h");
      expect(missing.exit).toBe(0);
      const lines = missing.stdout.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^SEQ\s+TIME\s+ACTOR\s+ACTION\s+RESOURCE\s+REV\s+OUTCOME\s+SOURCE$/);
      expect(lines.slice(1).map((l) => l.split(/\s+/).slice(2, 7).join(" "))).toEqual(["admin EnvironmentService/GetEnvironment default/payments/missing - not_found"]);

      expect(await openesc("audit", "ls", "--since", "yesterday")).toEqual({
        stdout: "",
        stderr: 'error: --since "yesterday": expected a time (2026-01-02T15:04:05Z, 2026-01-02) or a duration ago (30m, 12h, 7d)\n',
        exit: 2,
      });
    });

    test("export writes NDJSON that verifies offline", async () => {
      const out = await openesc("audit", "export");
      expect(out.exit).toBe(0);
      const events = out.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as AuditEventRecord);
      let prev = GENESIS_HASH;
      for (const [i, e] of events.entries()) {
        expect([e.seq, e.prevHash, hashEvent(e.prevHash, e)]).toEqual([i + 1, prev, e.hash]);
        prev = e.hash;
      }
      expect(events.length).toBeGreaterThanOrEqual(5);
    });

    test("verify passes on an intact log and exits 1 naming the first bad event of an edited, reordered or deleted row", async () => {
      const ok = await openesc("audit", "verify");
      expect(ok.exit).toBe(0);
      const anchor = /^audit log of org default: \d+ events verified; anchor (\d+:[0-9a-f]{64})\n$/.exec(ok.stdout)?.[1];
      expect(anchor).toBeDefined();
      // From the anchor on, only newer events are checked.
      const since = await openesc("audit", "verify", "--after", anchor as string);
      expect(since.stdout).toMatch(/^audit log of org default: 1 event verified; anchor \d+:[0-9a-f]{64}\n$/);
      expect((await openesc("audit", "verify", "--after", "12:nothex")).stderr).toBe('error: --after "12:nothex": expected SEQ:HASH as printed by an earlier verify\n');
      const broken = (seq: number, reason: string) => ({ stdout: "", stderr: `error: audit log of org default is broken at event ${seq}: ${reason}\n`, exit: 1 });

      // Edited: the second event's revision.
      await execSql(db, "UPDATE audit_events SET revision = 7 WHERE chain = 'default' AND seq = 2");
      expect(await openesc("audit", "verify")).toEqual(broken(2, "event 2 does not match its hash (the row was changed)"));
      const json = await openesc("audit", "verify", "--output", "json");
      expect(json.exit).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ org: "default", ok: false, eventsChecked: 2, lastSequence: 1, firstBrokenSequence: 2 });
      await execSql(db, "UPDATE audit_events SET revision = 1 WHERE chain = 'default' AND seq = 2");
      expect((await openesc("audit", "verify")).exit).toBe(0);

      // Reordered: events 3 and 4 swapped.
      const swap = async () => {
        await execSql(db, "UPDATE audit_events SET seq = -1 WHERE chain = 'default' AND seq = 3");
        await execSql(db, "UPDATE audit_events SET seq = 3 WHERE chain = 'default' AND seq = 4");
        await execSql(db, "UPDATE audit_events SET seq = 4 WHERE chain = 'default' AND seq = -1");
      };
      await swap();
      expect(await openesc("audit", "verify")).toEqual(broken(3, "event 3 does not match its hash (the row was changed)"));
      await swap();
      expect((await openesc("audit", "verify")).exit).toBe(0);

      // Deleted: event 4.
      await execSql(db, "DELETE FROM audit_events WHERE chain = 'default' AND seq = 4");
      expect(await openesc("audit", "verify")).toEqual(broken(4, "event 4 is missing (the next stored event is 5)"));
    });
  });
}
