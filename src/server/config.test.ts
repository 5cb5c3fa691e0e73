import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, resolveServerConfig } from "./config.js";

describe("resolveServerConfig()", () => {
  it("defaults to 127.0.0.1:8080 and SQLite under ./.openesc", () => {
    const c = resolveServerConfig({}, {});
    expect(c).toMatchObject({ host: "127.0.0.1", port: 8080, dataDir: resolve(".openesc"), databaseUrl: `sqlite:${resolve(".openesc/openesc.db")}`, logLevel: "info" });
    expect(c.tls).toBeUndefined();
  });

  it("reads OPENESC_* variables, and flags win over them", () => {
    const env = { OPENESC_LISTEN: "0.0.0.0:9000", OPENESC_DATA_DIR: "/var/lib/o", OPENESC_DATABASE_URL: "postgres://x@db/o", OPENESC_LOG_LEVEL: "warn" };
    expect(resolveServerConfig({}, env)).toMatchObject({ host: "0.0.0.0", port: 9000, dataDir: "/var/lib/o", databaseUrl: "postgres://x@db/o", logLevel: "warn" });
    expect(resolveServerConfig({ listen: "[::1]:7000", database: "sqlite:/tmp/a.db" }, env)).toMatchObject({ host: "::1", port: 7000, databaseUrl: "sqlite:/tmp/a.db" });
  });

  it("puts the audit spool in DATA_DIR/audit-spool, 64 MiB, unless told otherwise", () => {
    expect(resolveServerConfig({ dataDir: "/var/lib/o" }, {}).auditSpool).toEqual({ dir: "/var/lib/o/audit-spool", maxBytes: 64 * 1024 * 1024 });
    const env = { OPENESC_AUDIT_SPOOL_DIR: "/spool", OPENESC_AUDIT_SPOOL_MAX_BYTES: "1000" };
    expect(resolveServerConfig({}, env).auditSpool).toEqual({ dir: "/spool", maxBytes: 1000 });
    expect(resolveServerConfig({ auditSpoolDir: "/other", auditSpoolMaxBytes: "0" }, env).auditSpool).toEqual({ dir: "/other", maxBytes: 0 });
  });

  it("serves from one process unless told how many workers to run; auto is one per core", () => {
    expect(resolveServerConfig({}, {}).workers).toBe(1);
    expect(resolveServerConfig({}, { OPENESC_WORKERS: "3" }).workers).toBe(3);
    expect(resolveServerConfig({ workers: "2" }, { OPENESC_WORKERS: "3" }).workers).toBe(2);
    expect(resolveServerConfig({ workers: "auto" }, {}).workers).toBe(Math.min(64, availableParallelism()));
  });

  it.each([
    [{ workers: "0" }, 'invalid --workers "0": expected 1 to 64, or auto'],
    [{ workers: "65" }, 'invalid --workers "65": expected 1 to 64, or auto'],
    [{ workers: "two" }, 'invalid --workers "two": expected 1 to 64, or auto'],
    [{ listen: "8080" }, 'invalid listen address "8080": expected HOST:PORT'],
    [{ listen: "h:99999" }, 'invalid listen address "h:99999": expected HOST:PORT'],
    [{ tlsCert: "c.pem" }, "--tls-cert and --tls-key must be given together"],
    [{ logLevel: "loud" }, 'invalid log level "loud"'],
    [{ auditSpoolMaxBytes: "64M" }, 'invalid --audit-spool-max-bytes "64M": expected a number of bytes (0 = off)'],
  ])("refuses %j", (flags, message) => {
    expect(() => resolveServerConfig(flags, {})).toThrow(new ConfigError(message));
  });
});
