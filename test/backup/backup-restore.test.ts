// Backup and restore (issue 9 §6), exactly as docs/deployment.md tells operators to do it: an online
// backup of a running server (SQLite `VACUUM INTO`, PostgreSQL `pg_dump -Fc`), a restore into a fresh
// database (a file copy / `pg_restore`), and a new server on the restored database with the same
// master key reads everything back: definitions, history, tags, secrets decrypted, tokens, sessions.
// The same backup under another master key is refused at start (the keyring check).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { EnvironmentService } from "../../src/gen/openesc/v1/environment_pb.js";
import { OpenService } from "../../src/gen/openesc/v1/open_pb.js";
import { RevisionService } from "../../src/gen/openesc/v1/revision_pb.js";
import { RevisionTagService } from "../../src/gen/openesc/v1/revision_tag_pb.js";
import { TokenService } from "../../src/gen/openesc/v1/token_pb.js";
import { clientFor } from "../support/clients.js";
import { createTestDatabase, findPostgresBinDir, testPostgresUrl, type TestDatabase } from "../support/postgres.js";
import { startTestServer } from "../support/server.js";

const pgUrl = testPostgresUrl();
const pgBin = findPostgresBinDir();
if (pgUrl === undefined || pgBin === undefined) console.warn("\n*** PostgreSQL (server or pg_dump) not available: the PostgreSQL backup/restore test is SKIPPED ***\n");

interface Dialect {
  readonly name: string;
  readonly enabled: boolean;
  /** A database for the original server. */
  fresh(dir: string, label: string): Promise<{ url: string; drop(): Promise<void> }>;
  /** Backs up `source` while its server runs, restores into a new database, returns its URL. */
  backupAndRestore(source: string, dir: string): Promise<{ url: string; drop(): Promise<void> }>;
}

const sqlite: Dialect = {
  name: "sqlite",
  enabled: true,
  async fresh(dir, label) {
    return { url: `sqlite:${join(dir, `${label}.db`)}`, drop: async () => {} };
  },
  async backupAndRestore(source, dir) {
    // `sqlite3 openesc.db "VACUUM INTO 'backup.db'"`: a consistent copy while the server writes (WAL).
    const backup = join(dir, "backup.db");
    const db = new SqliteDatabase(source.slice("sqlite:".length), { readonly: true });
    try {
      db.exec(`VACUUM INTO '${backup}'`);
    } finally {
      db.close();
    }
    return { url: `sqlite:${backup}`, drop: async () => {} };
  },
};

const postgres: Dialect = {
  name: "postgres",
  enabled: pgUrl !== undefined && pgBin !== undefined,
  async fresh() {
    return createTestDatabase();
  },
  async backupAndRestore(source, dir) {
    const dump = join(dir, "openesc.dump");
    execFileSync(join(pgBin as string, "pg_dump"), ["--format=custom", "--no-owner", "--file", dump, source], { stdio: "pipe", timeout: 60_000 });
    const target: TestDatabase = await createTestDatabase();
    execFileSync(join(pgBin as string, "pg_restore"), ["--no-owner", "--exit-on-error", "--dbname", target.url, dump], { stdio: "pipe", timeout: 60_000 });
    return target;
  },
};

describe.each([sqlite, postgres])("backup and restore on $name", (dialect) => {
  it.skipIf(!dialect.enabled)("restores everything a new server needs, secrets included, with the same key only", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "openesc-backup-"));
    const masterKey = randomBytes(32).toString("base64");
    const source = await dialect.fresh(dir, "source");
    let restored: { url: string; drop(): Promise<void> } | undefined;
    const original = await startTestServer({ database: source.url, env: { OPENESC_MASTER_KEY: masterKey } });
    try {
      const token = original.token;
      const env = clientFor(EnvironmentService, "grpc", original.url, token);
      const ref = { org: "default", project: "payments", environment: "prod" };
      await env.createEnvironment({ org: "default", project: "payments", environment: "base", definition: "values:\n  region: eu-west-1\n" });
      await env.createEnvironment({ ...ref, definition: "imports: [payments/base]\nvalues:\n  db:\n    password:\n      fn::secret: s3cret-1\n" });
      await env.updateEnvironment({ ...ref, definition: "imports: [payments/base]\nvalues:\n  db:\n    password:\n      fn::secret: s3cret-2\n  url: https://${region}.example\n", baseRevision: 1n });
      await clientFor(RevisionTagService, "connect", original.url, token).createRevisionTag({ ...ref, tag: "stable", revision: 1n });
      const ci = await clientFor(TokenService, "connect", original.url, token).createToken({ description: "ci" });
      const session = await clientFor(OpenService, "connect", original.url, token).openEnvironment(ref);
      const before = await env.getEnvironment(ref);

      restored = await dialect.backupAndRestore(source.url, dir);
      // writes after the backup are not in it
      await env.updateEnvironment({ ...ref, definition: "values: {}\n", baseRevision: 2n });
      expect(await original.stop()).toBe(0);

      const wrongKey = await startTestServer({ database: restored.url, env: { OPENESC_MASTER_KEY: randomBytes(32).toString("base64") } }).then(
        async (s) => ({ started: true, code: await s.stop() }),
        (e: unknown) => ({ started: false, code: String(e) }),
      );
      expect(wrongKey.started).toBe(false);

      const server = await startTestServer({ database: restored.url, env: { OPENESC_MASTER_KEY: masterKey } });
      try {
        expect(server.token).toBe(""); // nothing to bootstrap: the admin came back with the data
        const env2 = clientFor(EnvironmentService, "connect", server.url, token);
        const open2 = clientFor(OpenService, "grpc", server.url, token);
        const after = await env2.getEnvironment(ref);
        expect(after.revision?.number).toBe(2n);
        expect(after.revision?.definition).toBe(before.revision?.definition);
        expect(after.revision?.etag).toBe(before.revision?.etag);
        expect((await env2.listEnvironments({ org: "default" })).environments.map((e) => e.name)).toEqual(["base", "prod"]);
        const history = await clientFor(RevisionService, "connect", server.url, token).listRevisions(ref);
        expect(history.revisions.map((r) => r.number)).toEqual([2n, 1n]);
        expect((await open2.resolveEnvironment(ref)).valueJson).toBe('{\n  "db": {\n    "password": "s3cret-2"\n  },\n  "region": "eu-west-1",\n  "url": "https://eu-west-1.example"\n}\n');
        expect((await open2.resolveEnvironment({ ...ref, version: "stable" })).valueJson).toContain('"password": "s3cret-1"');
        expect((await env2.getEnvironment({ ...ref, reveal: true })).revision?.definition).toContain("s3cret-2");
        // the CI token and the open session were in the backup too
        expect((await clientFor(EnvironmentService, "grpc", server.url, ci.secret).getEnvironment(ref)).revision?.number).toBe(2n);
        const read = await open2.readOpenEnvironment({ ...ref, sessionId: session.sessionId, path: "db.password" });
        expect(read.valueJson).toBe('"s3cret-2"\n');
      } finally {
        expect(await server.stop()).toBe(0);
      }
    } finally {
      await original.stop();
      await restored?.drop();
      await source.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
