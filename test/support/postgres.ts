/**
 * A real PostgreSQL server for tests. `test/global-setup.ts` calls `startTestPostgres()` once per
 * run; test files call `createTestDatabase()` to get an isolated database of their own, so files
 * can run in parallel. Nothing here is used by the product.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** The environment variable that points the tests at a PostgreSQL server (an admin URL). */
export const POSTGRES_URL_ENV = "OPENESC_TEST_POSTGRES_URL";
/**
 * `off`: skip the Postgres cases even where PostgreSQL is installed (quick local runs);
 * `required`: fail the run instead of skipping when no server can be found or started (CI).
 */
export const POSTGRES_SWITCH_ENV = "OPENESC_TEST_POSTGRES";

/** A server started by `startTestPostgres`; `stop()` stops it and deletes its files. */
export interface TestPostgres {
  readonly url: string;
  /** True when this process started the server (false when it came from the environment). */
  readonly started: boolean;
  stop(): Promise<void>;
}

/** The PostgreSQL URL the tests should use, or undefined when Postgres tests are skipped. */
export function testPostgresUrl(): string | undefined {
  const url = process.env[POSTGRES_URL_ENV];
  return url === undefined || url === "" ? undefined : url;
}

/** The newest `/usr/lib/postgresql/<v>/bin` holding initdb, pg_ctl and postgres, if any. */
export function findPostgresBinDir(root = "/usr/lib/postgresql"): string | undefined {
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, "bin");
    if (["initdb", "pg_ctl", "postgres"].every((b) => existsSync(join(bin, b)))) return bin;
  }
  return undefined;
}

/**
 * Uses `OPENESC_TEST_POSTGRES_URL` when set; otherwise starts a throwaway cluster (trust auth on
 * 127.0.0.1, a free port, a temp dir) when PostgreSQL binaries exist. Returns undefined when there is
 * neither, or when `OPENESC_TEST_POSTGRES=off`. As root, the server runs as the `postgres` OS user (initdb refuses root).
 */
export async function startTestPostgres(): Promise<TestPostgres | undefined> {
  const given = testPostgresUrl();
  if (given !== undefined) return { url: given, started: false, stop: async () => {} };
  if (process.env[POSTGRES_SWITCH_ENV] === "off") return undefined;
  const bin = findPostgresBinDir();
  if (bin === undefined) return undefined;

  const dir = mkdtempSync(join(tmpdir(), "openesc-pg-"));
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
  const run = (cmd: string, args: string[]): void => {
    const [file, argv] = owner === undefined ? [cmd, args] : ["runuser", ["-u", "postgres", "--", cmd, ...args]];
    execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"], cwd: dir });
  };
  const data = join(dir, "data");
  try {
    run(join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      "-h 127.0.0.1",
      `-k ${dir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=400",
    ].join(" ");
    run(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60", "-o", options, "start"]);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    let stopped = false;
    const stopSync = (): void => {
      if (stopped) return;
      stopped = true;
      try {
        run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    // A run that dies without its teardown (a crash, a closed stdout) still stops the server.
    process.once("exit", stopSync);
    const stop = async (): Promise<void> => {
      process.removeListener("exit", stopSync);
      stopSync();
    };
    return { url, started: true, stop };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a throwaway PostgreSQL in ${dir}: ${describeExecError(err)}`, { cause: err });
  }
}

/** An isolated database on the test server; `drop()` removes it (connections are closed first). */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** Creates a database with a random name on the server at `adminUrl` (default: the test server). */
export async function createTestDatabase(adminUrl = testPostgresUrl()): Promise<TestDatabase> {
  if (adminUrl === undefined) throw new Error(`${POSTGRES_URL_ENV} is not set`);
  const name = `openesc_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => dropDatabase(adminUrl, name),
  };
}

/**
 * Drops politely first: a closed pool's sockets may still be saying goodbye, and FORCE would
 * kill them mid-way (an uncaught error in the test). FORCE only after 5 s of waiting.
 */
async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}"`);
      return;
    } catch (err) {
      const inUse = typeof err === "object" && err !== null && (err as { code?: unknown }).code === "55006";
      if (!inUse) throw err;
      if (Date.now() > deadline) return adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Sets the test database's default to read-only (or back) and ends its sessions, so the pools of the
 * servers on it reconnect under the new default: how the fault tests make PostgreSQL refuse writes.
 */
export async function setDatabaseReadOnly(database: TestDatabase, on: boolean, adminUrl = testPostgresUrl()): Promise<void> {
  const name = new URL(database.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = ${on ? "on" : "off"}`);
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
  } finally {
    await admin.end();
  }
}

/** The uid/gid of the `postgres` user, which owns test clusters when the tests run as root. */
export function postgresUser(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function describeExecError(err: unknown): string {
  if (typeof err === "object" && err !== null && "stderr" in err) {
    const stderr = String((err as { stderr: unknown }).stderr ?? "").trim();
    if (stderr !== "") return stderr;
  }
  return err instanceof Error ? err.message : String(err);
}
