import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, test } from "vitest";
import { createStoreDialect, decodePageToken, encodePageToken, openStore, sqlitePath } from "../../src/store/index.js";

describe("createStoreDialect()", () => {
  test.each([
    ["sqlite:/data/openesc.db", "/data/openesc.db"],
    ["sqlite:///data/openesc.db", "/data/openesc.db"],
    ["sqlite:rel/openesc.db", "rel/openesc.db"],
    ["file:/data/openesc.db", "/data/openesc.db"],
    ["file:///data/openesc.db", "/data/openesc.db"],
    ["/data/openesc.db", "/data/openesc.db"],
    ["./openesc.db", "./openesc.db"],
    [":memory:", ":memory:"],
    ["sqlite::memory:", ":memory:"],
  ])("sqlitePath(%s) = %s", (url, path) => {
    expect(sqlitePath(url)).toBe(path);
  });

  test("capabilities by URL", () => {
    expect(createStoreDialect("sqlite::memory:").capabilities).toEqual({ kind: "sqlite", supportsRowLocks: false, keyTextType: "text" });
    for (const url of ["postgres://u:secret@h:5432/db", "postgresql://h/db"]) {
      expect(createStoreDialect(url).capabilities).toEqual({ kind: "postgres", supportsRowLocks: true, keyTextType: 'text collate "C"' });
    }
  });

  test("display URLs hide the password", () => {
    expect(createStoreDialect("postgres://u:secret@h:5432/db").displayUrl).toBe("postgres://u:***@h:5432/db");
    expect(createStoreDialect("sqlite:/x/y.db").displayUrl).toBe("sqlite:/x/y.db");
  });

  test("unknown schemes are refused", () => {
    expect(() => createStoreDialect("mysql://h/db")).toThrow('unsupported database url scheme "mysql:" (use sqlite:PATH or postgres://…)');
    expect(() => createStoreDialect("sqlite:")).toThrow("the sqlite database path is empty");
  });
});

describe("sqlite connection settings", () => {
  const dir = mkdtempSync(join(tmpdir(), "openesc-dialect-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("WAL, foreign keys, synchronous NORMAL on both connections; the writer waits from the event loop, the reader only reads; parent directory created", async () => {
    const store = await openStore({ url: `sqlite:${join(dir, "nested", "deeper", "db.sqlite")}` });
    try {
      // A PRAGMA statement runs on the writer; a query of a pragma function on the reader (sqlite-driver.ts).
      const writer = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
      const reader = async (name: string) => Object.values((await sql.raw(`select * from pragma_${name}()`).execute(store.db)).rows[0] as object)[0];
      expect(await writer("journal_mode")).toBe("wal");
      expect(await reader("journal_mode")).toBe("wal");
      expect(await writer("busy_timeout")).toBe(0);
      expect(await reader("busy_timeout")).toBe(5000);
      expect(await writer("query_only")).toBe(0);
      expect(await reader("query_only")).toBe(1);
      for (const get of [writer, reader]) {
        expect(await get("foreign_keys")).toBe(1);
        expect(await get("synchronous")).toBe(1);
      }
    } finally {
      await store.close();
      await store.close(); // idempotent
    }
  });
});

describe("page tokens", () => {
  test("round trip", () => {
    const token = encodePageToken(["acme", "payments", "dev"]);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, ["string", "string", "string"] as const)).toEqual(["acme", "payments", "dev"]);
    expect(decodePageToken(encodePageToken([12, "x"]), ["number", "string"] as const)).toEqual([12, "x"]);
    expect(decodePageToken("", ["string"] as const)).toBeUndefined();
  });

  test.each(["=", "a b", "e30", encodePageToken([1.5]), encodePageToken(["a", "b"]), Buffer.from("[").toString("base64url")])("rejects %s", (token) => {
    expect(() => decodePageToken(token, ["number"] as const)).toThrow("invalid page token");
  });
});
